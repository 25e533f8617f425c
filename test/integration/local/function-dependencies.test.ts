/**
 * A pool per function in the local runtime (local/function-dependencies.ts), the way it fails:
 * a session holds a row, the worker's statements on it hang until the worker's pool is used up,
 * and the API handlers and the queue monitor still get their connections, as each function's
 * own containers would on AWS. The handlers' code asks getDependencies() as on AWS; the wrapper
 * decides whose pool it gets.
 */
import { Client } from 'pg';
import { DB_POOL, FUNCTIONS } from '../../../guide';
import { loadConfig } from '../../../functions/src/runtime/config';
import { buildDependencies, getDependencies } from '../../../functions/src/runtime/deps';
import { FunctionDependencies, localPoolSizes, RUNTIME_POOL_MAX } from '../../../local/function-dependencies';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';

let db: TestDatabase;
let functions: FunctionDependencies;
const saved = process.env.DATABASE_URL;
const WORKER_POOL = 3;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  functions = new FunctionDependencies({ aiGenerationWorker: WORKER_POOL, statusCheckHandler: 2 });
});

afterAll(async () => {
  await functions.end();
  await db.drop();
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
});

const poolOf = (key: Parameters<FunctionDependencies['of']>[0]) => functions.wrap(key, async () => (await getDependencies()).pool)();

/** A process row that another session holds (SELECT … FOR UPDATE in an open transaction), as a forgotten session would. */
async function heldRow(
  userId: string,
  status: 'PENDING' | 'PROCESSING',
): Promise<{ id: string; release: (how: 'COMMIT' | 'ROLLBACK') => Promise<void> }> {
  const holder = new Client({ connectionString: db.url });
  await holder.connect();
  const { rows } = await holder.query<{ id: string }>(
    `INSERT INTO processing_state (id, user_id, type, status, input) VALUES (gen_random_uuid(), $1, 'SUBGOAL_GENERATION', $2, '{}') RETURNING id`,
    [userId, status],
  );
  const id = rows[0]!.id;
  await holder.query('BEGIN');
  await holder.query('SELECT id FROM processing_state WHERE id = $1 FOR UPDATE', [id]);
  return {
    id,
    release: async (how) => {
      await holder.query(how);
      await holder.end();
    },
  };
}

test('each function gets its own pool, sized as given (DB_POOL.max otherwise), the same on every invocation', async () => {
  const worker = await poolOf('aiGenerationWorker');
  const status = await poolOf('statusCheckHandler');
  const monitor = await poolOf('queueMonitor');
  expect(new Set([worker, status, monitor]).size).toBe(3);
  expect(await poolOf('aiGenerationWorker')).toBe(worker);
  expect([worker.options.max, status.options.max, monitor.options.max]).toEqual([WORKER_POOL, 2, DB_POOL.max]);
});

test("a worker whose statements hang on a held row uses up the worker's connections only", async () => {
  const { id, release } = await heldRow('u1', 'PROCESSING');
  let hanging: Promise<unknown>[] = [];
  try {
    // Every worker connection waits on the row lock.
    const stuckWorker = functions.wrap('aiGenerationWorker', async () => {
      const { pool } = await getDependencies();
      return pool.query('UPDATE processing_state SET progress = 50 WHERE id = $1', [id]);
    });
    hanging = Array.from({ length: WORKER_POOL }, () => stuckWorker());
    const worker = await poolOf('aiGenerationWorker');
    await waitFor(() => worker.totalCount === WORKER_POOL && worker.idleCount === 0);
    // The worker's next statement gets no connection in its pool's connection timeout.
    await expect(functions.wrap('aiGenerationWorker', async () => (await getDependencies()).pool.query('SELECT 1'))()).rejects.toThrow(
      /timeout/i,
    );
    // The API handler's and the queue monitor's statements answer.
    const status = functions.wrap('statusCheckHandler', async () => (await getDependencies()).store.get(id));
    await expect(status()).resolves.toMatchObject({ id, status: 'PROCESSING' });
    const monitor = functions.wrap('queueMonitor', async () =>
      (await getDependencies()).pool.query('SELECT count(*) FROM processing_state'),
    );
    await expect(monitor()).resolves.toMatchObject({ rowCount: 1 });
  } finally {
    await release('COMMIT');
    await Promise.all(hanging);
  }
}, 30_000);

test("a lock wait ends just after its function's timeout on the runtime's clock (here 600x compressed)", async () => {
  const scaled = process.env.AIP_TIME_SCALE;
  process.env.AIP_TIME_SCALE = '600';
  const compressed = new FunctionDependencies({});
  const { id, release } = await heldRow('u2', 'PENDING');
  try {
    const started = Date.now();
    const update = compressed.wrap('asyncProcessingHandler', async () =>
      (await getDependencies()).pool.query('UPDATE processing_state SET progress = 1 WHERE id = $1', [id]),
    );
    await expect(update()).rejects.toMatchObject({ code: '55P03' });
    // 30 s on a 600x clock is 50 ms; it waited at least that, and far less than a real 30 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual((FUNCTIONS.asyncProcessingHandler.timeoutSeconds * 1000) / 600);
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    await release('ROLLBACK');
    await compressed.end();
    if (scaled === undefined) delete process.env.AIP_TIME_SCALE;
    else process.env.AIP_TIME_SCALE = scaled;
  }
});

test('the pools fit the server: the worker gets its concurrency, or what the server has left; too few connections is a clear error', () => {
  const others = 6 * DB_POOL.max + RUNTIME_POOL_MAX;
  expect(localPoolSizes(1000).aiGenerationWorker).toBe(FUNCTIONS.aiGenerationWorker.reservedConcurrency.max);
  const fitted = localPoolSizes(100);
  const total = Object.values(fitted).reduce((a, b) => a + (b ?? 0), 0) + RUNTIME_POOL_MAX;
  expect(total).toBeLessThan(100);
  expect(fitted.aiGenerationWorker).toBeGreaterThanOrEqual(DB_POOL.max);
  expect(() => localPoolSizes(others + 5)).toThrow(/max_connections.*Raise max_connections.*unset DATABASE_URL/s);
});

test('as deployed, DB_LOCK_TIMEOUT_MS (the Pulumi program sets it from the function timeout) ends a wait on a held row', async () => {
  // The same build the Lambda bundles run, configured the way infra/specs/lambdas.ts configures them.
  const deployed = await buildDependencies(loadConfig({ DATABASE_URL: db.url, DB_LOCK_TIMEOUT_MS: '300' }));
  const { id, release } = await heldRow('u3', 'PENDING');
  try {
    const started = Date.now();
    await expect(deployed.pool.query('UPDATE processing_state SET progress = 1 WHERE id = $1', [id])).rejects.toMatchObject({
      code: '55P03',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // The connection is usable again at once: the wait ended, not the session.
    expect((await deployed.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  } finally {
    await release('ROLLBACK');
    await deployed.pool.end();
  }
}, 30_000);

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(ok()).toBe(true);
}
