/**
 * The local runtime end to end, over HTTP: start → PROCESSING with rising progress → COMPLETED
 * with a schema-valid result, for each type; cancel mid-flight; idempotent starts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RESULT_SCHEMAS } from '../../../functions/src/domain/schemas';
import { isTerminal, useLocalRuntime } from '../../../harness/local-runtime';
import { VALID_INPUTS } from '../../../harness/processes';

const INPUTS = VALID_INPUTS;

describe('local runtime: process lifecycle', () => {
  const fixture = useLocalRuntime();
  let token: string;
  beforeAll(async () => {
    token = await fixture.rt.token('user-lifecycle');
  });

  it.each(Object.entries(INPUTS))('completes a %s process with rising progress and a schema-valid result', async (type, input) => {
    await fixture.rt.setFaults({ mode: 'none', latencyMs: 150 });

    const started = await fixture.rt.request('POST', '/v1/processes', { token, body: { type, input } });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/v1/processes/${started.body.processId}`);
    expect(started.body).toMatchObject({ type, result: null, error: null, retryCount: 0, completedAt: null });
    const seen = await fixture.rt.poll(token, started.body.processId, isTerminal);

    const final = seen.at(-1);
    expect(final.status).toBe('COMPLETED');
    expect(final.progress).toBe(100);
    expect(RESULT_SCHEMAS[type as keyof typeof RESULT_SCHEMAS].safeParse(final.result).success).toBe(true);
    const running = seen.filter((p) => p.status === 'PROCESSING').map((p) => p.progress);
    expect(new Set(running).size).toBeGreaterThanOrEqual(2);
    expect(running).toEqual([...running].sort((a, b) => a - b));
  });

  it('answers Retry-After while running and none once finished', async () => {
    await fixture.rt.setFaults({ mode: 'none', latencyMs: 200 });
    const started = await fixture.rt.request('POST', '/v1/processes', {
      token,
      body: { type: 'TASK_GENERATION', input: INPUTS.TASK_GENERATION },
    });
    const running = await fixture.rt.request('GET', `/v1/processes/${started.body.processId}`, { token });
    expect(running.headers.get('retry-after')).toMatch(/^\d+$/);
    await fixture.rt.poll(token, started.body.processId, isTerminal);

    const done = await fixture.rt.request('GET', `/v1/processes/${started.body.processId}`, { token });

    expect(done.headers.get('retry-after')).toBeNull();
  });

  it("cancels a running process and discards the worker's late output", async () => {
    await fixture.rt.setFaults({ mode: 'none', latencyMs: 600 });
    const started = await fixture.rt.request('POST', '/v1/processes', {
      token,
      body: { type: 'SUBGOAL_GENERATION', input: INPUTS.SUBGOAL_GENERATION },
    });
    const id = started.body.processId;
    await fixture.rt.poll(token, id, (p) => p.status === 'PROCESSING' && p.progress > 1);

    const stored = () =>
      fixture.db.pool.query('SELECT jsonb_array_length(partial_result) AS slices, progress FROM processing_state WHERE id = $1', [id]);

    const cancelled = await fixture.rt.request('POST', `/v1/processes/${id}/cancel`, { token });
    const atCancel = (await stored()).rows[0];
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    // Longer than a model call: the worker that was mid-call has come back by now.
    await new Promise((r) => setTimeout(r, 1500));

    const later = await fixture.rt.request('GET', `/v1/processes/${id}`, { token });
    expect(later.body).toMatchObject({ status: 'CANCELLED', progress: cancelled.body.progress, result: null });
    expect((await stored()).rows[0]).toEqual(atCancel);
    expect(fixture.rt.output).toMatch(/Discarding the model's output: the attempt is no longer running|Discarding the step/);
    const again = await fixture.rt.request('POST', `/v1/processes/${id}/cancel`, { token });
    expect(again.status).toBe(200);
  });

  it('returns the same process for a repeated Idempotency-Key and 422 for a different body', async () => {
    const headers = { 'idempotency-key': 'lifecycle-key-1' };
    const body = { type: 'TASK_GENERATION', input: INPUTS.TASK_GENERATION };

    const first = await fixture.rt.request('POST', '/v1/processes', { token, body, headers });
    const second = await fixture.rt.request('POST', '/v1/processes', { token, body, headers });
    const other = await fixture.rt.request('POST', '/v1/processes', {
      token,
      body: { ...body, input: { action: { title: 'Other' } } },
      headers,
    });

    expect(second.status).toBe(202);
    expect(second.body.processId).toBe(first.body.processId);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it("hides another user's process", async () => {
    const started = await fixture.rt.request('POST', '/v1/processes', {
      token,
      body: { type: 'TASK_GENERATION', input: INPUTS.TASK_GENERATION },
    });

    const res = await fixture.rt.request('GET', `/v1/processes/${started.body.processId}`, {
      token: await fixture.rt.token('someone-else'),
    });

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('lists executions and statistics with the ops commands of the guide', async () => {
    const { body } = await fixture.rt.request('POST', '/v1/processes', {
      token,
      body: { type: 'TASK_GENERATION', input: INPUTS.TASK_GENERATION },
    });
    await fixture.rt.poll(token, body.processId, isTerminal);
    const ops = (...args: string[]) =>
      promisify(execFile)('npm', ['run', '--silent', 'ops', '--', ...args], {
        env: { ...process.env, AIP_URL: fixture.rt.url, DATABASE_URL: fixture.db.url },
      });

    const executions = await ops('executions', '--status', 'SUCCEEDED', '--max', '50');
    const stats = await ops('stats');

    expect(executions.stdout).toContain(`${body.processId}-a1`);
    expect(stats.stdout).toMatch(/COMPLETED.*TASK_GENERATION/);
  });
});
