/**
 * A restart of the local runtime never leaves a process stuck: a running execution resumes and
 * completes, or, if its workflow timeout passed while the runtime was down, ends TIMEOUT — the
 * rules AWS applies. Uses the embedded PostgreSQL, whose data survives the restart.
 */
import { LocalRuntime, freePort, isTerminal } from '../../../harness/local-runtime';

const BODY = { type: 'ACTION_GENERATION', input: { goal: { title: 'Open a bakery' }, subgoal: { title: 'Learn sourdough' } } };

describe('local runtime: restart', () => {
  let rt: LocalRuntime | undefined;
  afterEach(async () => rt?.dispose());

  it.each(['SIGTERM', 'SIGKILL'] as const)('resumes a running process after %s and completes it', async (signal) => {
    rt = await LocalRuntime.start({ env: { AIP_PG_PORT: String(await freePort()) } });
    const token = await rt.token('user-restart');
    await rt.setFaults({ mode: 'none', latencyMs: 800 });
    const { body } = await rt.request('POST', '/v1/processes', { token, body: BODY });
    await rt.poll(token, body.processId, (p) => p.status === 'PROCESSING' && p.progress > 1);

    await rt.restart(signal);
    const final = (await rt.poll(token, body.processId, isTerminal)).at(-1);

    expect(final.status).toBe('COMPLETED');
    expect(final.result.actions).toHaveLength(8);
    expect(rt.output).toMatch(/Executions left running by the last run.*"resumed":1/);
  });

  it('ends TIMEOUT a process whose workflow timeout passed while the runtime was down', async () => {
    const env = {
      AIP_PG_PORT: String(await freePort()),
      AIP_STEP_TIMEOUT_SECONDS: '2',
      AIP_WORKFLOW_TIMEOUT_SECONDS: '3',
      AIP_SWEEPER_GRACE_SECONDS: '1',
    };
    rt = await LocalRuntime.start({ env });
    const token = await rt.token('user-restart');
    await rt.setFaults({ mode: 'none', latencyMs: 1500 });
    const { body } = await rt.request('POST', '/v1/processes', { token, body: BODY });
    await rt.poll(token, body.processId, (p) => p.status === 'PROCESSING');
    await rt.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 4000));

    await rt.boot();
    const final = (await rt.poll(token, body.processId, isTerminal, 15_000)).at(-1);

    expect(final).toMatchObject({ status: 'TIMEOUT', error: { code: 'TIMEOUT_ERROR' } });
    expect(rt.output).toMatch(/"timedOut":1/);
  });
});
