/**
 * When PostgreSQL dies under the runtime: the embedded server is restarted by the runtime, an
 * external one (DATABASE_URL) is waited for; meanwhile /health and the API answer 503 (the API
 * with Retry-After), and afterwards the processes that were running end by running: they resume,
 * or, if their execution could not outlast the outage, end FAILED with DATABASE_ERROR instead of
 * waiting for the sweeper.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SWEPT_MESSAGE } from '../../../functions/src/state/processing-state-service';
import { LocalRuntime, freePort, isTerminal } from '../../../harness/local-runtime';
import { startBody } from '../../../harness/processes';

/** Workflow retries a second apart: the DatabaseError retrier's attempts then outlast a restart of a few seconds. */
const OUTLASTING_RETRIES = { AIP_RETRY_INTERVAL_MS: '1000' };

interface Seen {
  health: Array<{ status: number; database?: string; attempt?: number }>;
  /** Status responses (GET) by HTTP status, and how many 503s lacked Retry-After. */
  api: Record<number, number>;
  api503WithoutRetryAfter: number;
}

/** Polls /health and one process's status until /health answers 200 after having failed. */
async function watchOutage(rt: LocalRuntime, token: string, processId: string, timeoutMs = 30_000): Promise<Seen> {
  const seen: Seen = { health: [], api: {}, api503WithoutRetryAfter: 0 };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const health = await fetch(`${rt.url}/health`);
    const body = (await health.json()) as { database?: string; attempt?: number };
    seen.health.push({ status: health.status, database: body.database, attempt: body.attempt });
    const res = await fetch(`${rt.url}/v1/processes/${processId}`, { headers: { authorization: `Bearer ${token}` } });
    await res.text();
    seen.api[res.status] = (seen.api[res.status] ?? 0) + 1;
    if (res.status === 503 && !res.headers.get('retry-after')) seen.api503WithoutRetryAfter++;
    if (health.status === 200 && seen.health.some((h) => h.status === 503)) return seen;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`/health did not fail and recover within ${timeoutMs} ms: ${JSON.stringify(seen)}`);
}

/** Calls `fetch` until its response satisfies `until` (within 20 s), and returns that response. */
async function seenWithin(call: () => Promise<Response>, until: (r: Response) => boolean): Promise<Response> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await call();
    if (until(res)) return res;
    await res.text();
    if (Date.now() > deadline) throw new Error(`still ${res.status} after 20 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const postmasterPid = (rt: LocalRuntime): number => {
  const line = rt.output
    .split('\n')
    .filter((l) => l.includes('"PostgreSQL started"'))
    .at(-1)!;
  return JSON.parse(line).pid;
};

describe('local runtime: PostgreSQL dies', () => {
  let rt: LocalRuntime | undefined;
  afterEach(async () => rt?.dispose());

  it('restarts its embedded server, answers 503 meanwhile, and the running process resumes and completes', async () => {
    // prepare: a process mid-run, its DatabaseError retries (8) a second apart: longer than the restart takes
    rt = await LocalRuntime.start({ env: { AIP_PG_PORT: String(await freePort()), ...OUTLASTING_RETRIES } });
    const token = await rt.token('user-outage');
    await rt.setFaults({ mode: 'none', latencyMs: 400 });
    const { body } = await rt.request('POST', '/v1/processes', { token, body: startBody() });
    await rt.poll(token, body.processId, (p) => p.status === 'PROCESSING');

    // act
    process.kill(postmasterPid(rt), 'SIGKILL');
    const seen = await watchOutage(rt, token, body.processId);

    // assess
    expect(seen.health).toContainEqual({ status: 503, database: 'restarting', attempt: 1 });
    expect(
      Object.keys(seen.api)
        .map(Number)
        .filter((s) => s >= 500 && s !== 503),
    ).toEqual([]);
    expect(seen.api503WithoutRetryAfter).toBe(0);
    expect(rt.output).toMatch(/"PostgreSQL restarted","attempt":1/);
    const final = (await rt.poll(token, body.processId, isTerminal, 60_000)).at(-1);
    expect(final).toMatchObject({ status: 'COMPLETED', error: null });
  }, 120_000);

  describe('with DATABASE_URL (a server the runtime does not own)', () => {
    const OWNER = resolve(__dirname, '..', '..', 'helpers', 'pg-owner.mjs');
    let root: string;
    const kills: Array<() => void> = [];
    afterEach(async () => {
      await rt?.dispose();
      rt = undefined;
      for (const kill of kills.splice(0)) kill();
      rmSync(root, { recursive: true, force: true });
    });

    /** A PostgreSQL in a program of its own (pg-owner.mjs), started again on the same folder and port after a kill. */
    const ownServer = (dataDir: string, port: number) =>
      new Promise<{ url: string; kill: () => void }>((res, rej) => {
        const child = spawn(process.execPath, [OWNER, dataDir, String(port), 'serve'], {
          detached: true,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        child.once('exit', (code) => rej(new Error(`pg-owner exited with ${code}`)));
        const kill = () => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // gone already
          }
        };
        kills.push(kill);
        child.stdout!.once('data', (line: Buffer) => res({ url: JSON.parse(line.toString()).url, kill }));
      });

    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'aip-external-'));
      chmodSync(root, 0o755);
    });

    it('reports the database unreachable, answers 503 with Retry-After, and recovers by itself when the server is back', async () => {
      // prepare
      const port = await freePort();
      let server = await ownServer(join(root, 'pg'), port);
      rt = await LocalRuntime.start({ databaseUrl: server.url, env: OUTLASTING_RETRIES });
      const token = await rt.token('user-external');
      await rt.setFaults({ mode: 'none', latencyMs: 400 });
      const { body } = await rt.request('POST', '/v1/processes', { token, body: startBody() });
      await rt.poll(token, body.processId, (p) => p.status === 'PROCESSING');

      // act: the server dies, stays away a while, and comes back
      server.kill();
      const down = await seenWithin(
        () => fetch(`${rt!.url}/v1/processes/${body.processId}`, { headers: { authorization: `Bearer ${token}` } }),
        (r) => r.status !== 200,
      );
      const health = await seenWithin(
        () => fetch(`${rt!.url}/health`),
        (r) => r.status !== 200,
      );
      await new Promise((r) => setTimeout(r, 1000));
      server = await ownServer(join(root, 'pg'), port);
      const back = await seenWithin(
        () => fetch(`${rt!.url}/health`),
        (r) => r.status === 200,
      );

      // assess
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ ok: false, database: 'unreachable' });
      expect(await back.json()).toMatchObject({ ok: true, database: 'up' });
      const final = (await rt.poll(token, body.processId, isTerminal, 60_000)).at(-1);
      expect(final).toMatchObject({ status: 'COMPLETED' });
    }, 120_000);

    it('ends FAILED with DATABASE_ERROR, not by the sweeper, a process whose execution could not outlast the outage', async () => {
      // prepare: retries 20 ms apart give up long before the server is back
      const port = await freePort();
      let server = await ownServer(join(root, 'pg'), port);
      rt = await LocalRuntime.start({ databaseUrl: server.url });
      const token = await rt.token('user-outage');
      await rt.setFaults({ mode: 'none', latencyMs: 400 });
      const { body } = await rt.request('POST', '/v1/processes', { token, body: startBody() });
      await rt.poll(token, body.processId, (p) => p.status === 'PROCESSING');

      // act: three seconds without a database
      server.kill();
      await new Promise((r) => setTimeout(r, 3000));
      server = await ownServer(join(root, 'pg'), port);
      const final = (await rt.poll(token, body.processId, isTerminal, 30_000)).at(-1);

      // assess: within a few queue-monitor periods, long before the workflow timeout
      expect(final).toMatchObject({ status: 'FAILED', error: { code: 'DATABASE_ERROR' } });
      expect(final.error.message).not.toBe(SWEPT_MESSAGE);
    }, 120_000);
  });
});
