/**
 * Failure paths end to end, with the local model's fault control (DESIGN.md §5) and the
 * workflow's timeouts shortened (test/helpers/local-runtime.ts FAST_ENV).
 */
import { isTerminal, useLocalRuntime } from '../../../harness/local-runtime';

const BODY = { type: 'SUBGOAL_GENERATION', input: { goal: { title: 'Learn to play the cello' } } };

describe('local runtime: failures, retries and timeouts', () => {
  const fixture = useLocalRuntime();
  let token: string;
  beforeAll(async () => {
    token = await fixture.rt.token('user-failures');
  });

  const start = async () => (await fixture.rt.request('POST', '/v1/processes', { token, body: BODY })).body.processId as string;
  const settle = async (id: string) => (await fixture.rt.poll(token, id, isTerminal)).at(-1);

  it('ends FAILED with AI_ERROR when the model keeps failing, and a retry then completes', async () => {
    await fixture.rt.setFaults({ mode: 'error', count: 1000 });
    const id = await start();
    const failed = await settle(id);
    expect(failed).toMatchObject({ status: 'FAILED', error: { code: 'AI_ERROR' }, result: null });
    expect(failed.completedAt).not.toBeNull();
    await fixture.rt.setFaults({ mode: 'none' });

    const retried = await fixture.rt.request('POST', `/v1/processes/${id}/retry`, { token });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ retryCount: 1, error: null });
    const done = await settle(id);

    expect(done).toMatchObject({ status: 'COMPLETED', retryCount: 1, error: null, progress: 100 });
    expect(done.result.subgoals).toHaveLength(8);
  });

  it('refuses the fourth retry with RETRY_LIMIT_EXCEEDED', async () => {
    await fixture.rt.setFaults({ mode: 'error', count: 100_000 });
    const id = await start();
    await settle(id);
    for (let i = 1; i <= 3; i++) {
      const r = await fixture.rt.request('POST', `/v1/processes/${id}/retry`, { token });
      expect(r.status).toBe(202);
      expect((await settle(id)).status).toBe('FAILED');
    }

    const fourth = await fixture.rt.request('POST', `/v1/processes/${id}/retry`, { token });

    expect(fourth.status).toBe(409);
    expect(fourth.body.error.code).toBe('RETRY_LIMIT_EXCEEDED');
    expect((await fixture.rt.request('GET', `/v1/processes/${id}`, { token })).body).toMatchObject({ status: 'FAILED', retryCount: 3 });
  });

  it('completes when throttling clears within the retry budget', async () => {
    await fixture.rt.setFaults({ mode: 'throttle', count: 3 });

    const done = await settle(await start());

    expect(done.status).toBe('COMPLETED');
    expect(fixture.rt.output).toMatch(/Step failed: ModelThrottled/);
  });

  it('ends FAILED with VALIDATION_ERROR when the model answers with an invalid result', async () => {
    await fixture.rt.setFaults({ mode: 'invalid-output', count: 1 });

    const done = await settle(await start());

    expect(done).toMatchObject({ status: 'FAILED', error: { code: 'VALIDATION_ERROR' } });
  });

  it('ends TIMEOUT with TIMEOUT_ERROR when a model call hangs through its step: the worker gives up just before the step times out', async () => {
    // The call may use the step's time (less the outcome margin), then the step ends StepTimedOut, caught as a timeout.
    await fixture.rt.setFaults({ mode: 'timeout', count: 1 });

    const done = await settle(await start());

    expect(done).toMatchObject({ status: 'TIMEOUT', error: { code: 'TIMEOUT_ERROR' } });
    expect(fixture.rt.output).toMatch(/Step failed: StepTimedOut/);
  });

  it('completes a process whose title is 200 emoji (the local model cuts by characters)', async () => {
    const res = await fixture.rt.request('POST', '/v1/processes', {
      token,
      body: { type: 'SUBGOAL_GENERATION', input: { goal: { title: '😀'.repeat(200) } } },
    });
    expect(res.status).toBe(202);

    const done = await settle(res.body.processId);

    expect(done).toMatchObject({ status: 'COMPLETED', error: null });
    expect(done.result.subgoals).toHaveLength(8);
  });

  it('refuses to retry a running process and to cancel a completed one', async () => {
    await fixture.rt.setFaults({ mode: 'none', latencyMs: 300 });
    const id = await start();
    const retryWhileRunning = await fixture.rt.request('POST', `/v1/processes/${id}/retry`, { token });
    await settle(id);

    const cancelCompleted = await fixture.rt.request('POST', `/v1/processes/${id}/cancel`, { token });

    expect(retryWhileRunning.status).toBe(409);
    expect(retryWhileRunning.body.error.code).toBe('INVALID_STATE');
    expect(cancelCompleted.status).toBe(409);
    expect(cancelCompleted.body.error.code).toBe('INVALID_STATE');
  });

  it('rejects a bad fault setting with 400', async () => {
    const res = await fixture.rt.request('POST', '/_local/ai/faults', { body: { mode: 'explode' } });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('refuses a fault setting a web page could send (a form post), and keeps the setting', async () => {
    const res = await fixture.rt.request('POST', '/_local/ai/faults', {
      rawBody: JSON.stringify({ mode: 'error', count: 1000 }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });

    expect(res.status).toBe(400);
    expect((await fixture.rt.request('GET', '/_local/ai/faults')).body).toMatchObject({ mode: 'none' });
  });
});
