/**
 * The runtime's compressed clock (local/clock.ts) on a real PostgreSQL: work keeps real speed, what
 * does not answer is a wait, compressed. At 60× an API handler's 30 s timeout is half a real second
 * of waiting, but any amount of CPU and answered statements.
 */
import { createServer, request, type Server } from 'node:http';
import { Client, Pool } from 'pg';
import { FUNCTIONS } from '../../../guide';
import { compressedClock } from '../../../local/clock';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';

const SCALE = 60;
const TIMEOUT_MS = FUNCTIONS.statusCheckHandler.timeoutSeconds * 1000;
const timedOut = () => new Error('timed out');
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  pool = new Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('the work clock (API handlers, maintenance)', () => {
  const clock = compressedClock(SCALE, 'work');

  it('counts CPU and answered statements at real speed: longer than the compressed timeout, yet on time', async () => {
    const realMs = (TIMEOUT_MS / SCALE) * 2;
    const started = performance.now();
    const run = clock.run(
      async () => {
        for (let i = 0; i < 5; i++) {
          await pool.query('SELECT 1');
          busy(realMs / 5);
        }
        return 'answered';
      },
      TIMEOUT_MS,
      timedOut,
    );
    await expect(run.done).resolves.toBe('answered');
    const real = performance.now() - started;
    expect(run.elapsedMs()).toBeGreaterThanOrEqual(realMs);
    expect(run.elapsedMs()).toBeLessThan(real + 1);
  });

  it('times out on the scenario clock a statement that waits for a lock the scenario holds', async () => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('CREATE TABLE IF NOT EXISTS held (id int)');
    await holder.query('BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE');
    try {
      const started = performance.now();
      const run = clock.run(() => pool.query('SELECT * FROM held'), TIMEOUT_MS, timedOut);
      await expect(run.done).rejects.toThrow('timed out');
      // Half a real second of waiting is the 30 s timeout (far less than the lock's real hold).
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS);
      expect(run.elapsedMs()).toBe(TIMEOUT_MS);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('times out a call that is never answered (an HTTP request, as the AWS SDK makes)', async () => {
    const server: Server = createServer(() => undefined);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as { port: number };
    try {
      const call = () => new Promise((ok, no) => request({ host: '127.0.0.1', port, path: '/' }, ok).on('error', no).end());
      const run = clock.run(call, TIMEOUT_MS, timedOut);
      await expect(run.done).rejects.toThrow('timed out');
      expect(run.elapsedMs()).toBe(TIMEOUT_MS);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("the wait clock (the worker: the model's latency)", () => {
  it('compresses the whole invocation', async () => {
    const clock = compressedClock(SCALE, 'waits');
    const run = clock.run(() => new Promise((ok) => setTimeout(ok, 100)), FUNCTIONS.aiGenerationWorker.timeoutSeconds * 1000, timedOut);
    await run.done;
    expect(run.elapsedMs()).toBeGreaterThanOrEqual(100 * SCALE * 0.95);
    const stuck = clock.run(() => new Promise(() => undefined), 6000, timedOut);
    await expect(stuck.done).rejects.toThrow('timed out');
    expect(stuck.elapsedMs()).toBe(6000);
  });
});
