/**
 * What a crash leaves behind never waits for the sweeper: a re-sent request whose first start
 * was lost starts it; an execution the local Step Functions lost is started again. (kill -9 of
 * the whole runtime with processes in flight, and the restarts right after it, are the chaos
 * suite's kill-runtime part, whose quick slice runs in test/integration/chaos.)
 */
import { Client } from 'pg';
import { executionNameFor } from '../../../functions/src/domain/process';
import { requestHashOf } from '../../../functions/src/usecases/start-process';
import { SWEPT_MESSAGE } from '../../../functions/src/state/processing-state-service';
import { LocalRuntime, freePort, isTerminal } from '../../../harness/local-runtime';
import { startBody } from '../../../harness/processes';

async function embeddedDb(pgPort: number): Promise<Client> {
  const client = new Client({ connectionString: `postgres://aip:aip@127.0.0.1:${pgPort}/aip` });
  await client.connect();
  return client;
}

describe('local runtime: kill -9 and what follows', () => {
  let rt: LocalRuntime | undefined;
  let pgPort: number;
  beforeEach(async () => {
    pgPort = await freePort();
  });
  afterEach(async () => rt?.dispose());

  const start = async (env: Record<string, string> = {}) => {
    // Steps of 10 s: a busy machine must not turn a slow step into a TIMEOUT here.
    rt = await LocalRuntime.start({ ownProcessGroup: true, env: { AIP_PG_PORT: String(pgPort), AIP_STEP_TIMEOUT_SECONDS: '10', ...env } });
    return rt;
  };

  it('starts the workflow of a process whose start was lost when the client sends the request again', async () => {
    // prepare: the row a crashed start left (committed, no execution), as the start API writes it
    const runtime = await start();
    const token = await runtime.token('user-lost-start');
    const { type, input } = startBody();
    const db = await embeddedDb(pgPort);
    const id = '7b0d2f4e-1c3a-4e5b-9a6d-0f1e2d3c4b5a';
    try {
      await db.query(
        `INSERT INTO processing_state (id, user_id, type, status, progress, input, idempotency_key, request_hash, created_at, updated_at, started_at, heartbeat_at)
         VALUES ($1, 'user-lost-start', $2, 'PENDING', 0, $3, 'resend-1', $4, now(), now(), now(), now())`,
        [id, type, JSON.stringify(input), requestHashOf(type, input)],
      );

      // act
      const res = await runtime.request('POST', '/v1/processes', {
        token,
        body: { type, input },
        headers: { 'Idempotency-Key': 'resend-1' },
      });

      // assess
      expect(res).toMatchObject({ status: 202, body: { processId: id } });
      const final = (await runtime.poll(token, id, isTerminal)).at(-1);
      expect(final).toMatchObject({ status: 'COMPLETED', error: null });
      expect((await db.query('SELECT execution_name FROM processing_state WHERE id = $1', [id])).rows[0].execution_name).toBe(
        executionNameFor(id, 1),
      );
    } finally {
      await db.end();
    }
  });

  it('starts again an execution the local Step Functions lost while the row says it runs', async () => {
    // prepare: a running process whose execution record is gone when the runtime crashes
    const runtime = await start();
    const token = await runtime.token('user-lost-execution');
    await runtime.setFaults({ mode: 'none', latencyMs: 2000 });
    const { body } = await runtime.request('POST', '/v1/processes', { token, body: startBody() });
    await runtime.poll(token, body.processId, (p) => p.status === 'PROCESSING');
    const db = await embeddedDb(pgPort);
    try {
      await db.query('DELETE FROM local_sfn.execution WHERE name = $1', [executionNameFor(body.processId, 1)]);
    } finally {
      await db.end();
    }
    await runtime.crash();
    await runtime.boot();

    // act: the queue monitor finds the quiet process whose execution Step Functions does not know
    const final = (await runtime.poll(token, body.processId, isTerminal, 45_000)).at(-1);

    // assess
    expect(final).toMatchObject({ status: 'COMPLETED' });
    expect(final.error?.message).not.toBe(SWEPT_MESSAGE);
    expect(runtime.output).toMatch(/Started again a process whose execution Step Functions did not know/);
  }, 120_000);
});
