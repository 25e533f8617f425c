/**
 * One day of the pipeline through the real handlers: processes of every type started, run by the
 * worker to completion, failure and timeout, retried, cancelled, swept by the queue monitor, and
 * requests refused for a missing token or the rate limit. Returns every metric the functions
 * printed as EMF on the way, and the weekly maintenance. AWS (Step Functions, Bedrock) is faked; so is the database, with the
 * in-memory store (see memory-store.ts).
 */
import { DESIGN, PROCESS_TYPES, type ProcessType } from '../../../../guide';
import { RateLimitedError } from '../../../../functions/src/domain/errors';
import { handler as start } from '../../../../functions/src/handlers/async-processing-handler';
import { handler as cancel } from '../../../../functions/src/handlers/cancel-handler';
import { handler as queueMonitor } from '../../../../functions/src/handlers/queue-monitor';
import { handler as maintenance } from '../../../../functions/src/handlers/processing-cleanup';
import { handler as retry } from '../../../../functions/src/handlers/retry-handler';
import { handler as status } from '../../../../functions/src/handlers/status-check-handler';
import { handler as worker, type WorkerEvent } from '../../../../functions/src/handlers/ai-generation-worker';
import { setDependencies, type Dependencies } from '../../../../functions/src/runtime/deps';
import type { RateLimiter } from '../../../../functions/src/state/rate-limiter';
import { apiEvent, parseResponse } from '../../../helpers/events';
import { ManualClock, RecordingWorkflow, ScriptedModel } from '../../../helpers/fakes';
import { captureOutput } from '../../../helpers/output';
import { drMetrics } from '../../../../functions/src/observability/dr-metrics';
import { VALID_INPUTS } from '../../../../harness/processes';
import { emittedMetrics, type EmittedMetric } from './emf';
import { MemoryMaintenance, MemoryStore } from './memory-store';

const RATE_LIMITED_USER = 'user-over-the-limit';

function wire(clock: ManualClock): MemoryStore {
  const store = new MemoryStore();
  const rateLimiter = {
    async consume(userId: string) {
      if (userId === RATE_LIMITED_USER) throw new RateLimitedError(30);
      return { count: 1, remaining: 19 };
    },
    async consumeAndGet(userId: string, _now: Date, processId: string) {
      if (userId === RATE_LIMITED_USER) throw new RateLimitedError(30);
      return store.getForUser(processId, userId);
    },
  } as unknown as RateLimiter;
  const workflow = new RecordingWorkflow();
  const model = new ScriptedModel();
  const deps: Dependencies = {
    pool: undefined as never,
    store,
    maintenance: new MemoryMaintenance(),
    rateLimiter,
    clock,
    workflow: () => workflow,
    model: () => model,
    stepTimeoutMs: DESIGN.workflow.stepTimeoutSeconds * 1000,
  };
  setDependencies(deps);
  return store;
}

async function startProcess(userId: string, type: ProcessType): Promise<WorkerEvent> {
  const res = parseResponse(await start(apiEvent({ userId, path: '/v1/processes', body: { type, input: VALID_INPUTS[type] } })));
  if (res.statusCode !== 202) throw new Error(`start answered ${res.statusCode}: ${JSON.stringify(res.body)}`);
  return { action: 'begin', processId: res.body.processId, userId, type, attempt: 1 };
}

/** The state machine's happy path, step by step, with time passing between steps. */
async function runToCompletion(run: WorkerEvent, clock: ManualClock): Promise<void> {
  let state = await worker({ ...run, action: 'begin' });
  while (state.active && !state.done) {
    clock.advance(30_000);
    state = await worker({ ...run, action: 'generate' });
  }
  await worker({ ...run, action: 'complete' });
}

/** The queue monitor reads its timeouts from the function config, which wants a database setting. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** What the day printed: the EMF metrics, and every JSON line (logs and EMF) as written. */
export interface PipelineDayOutput {
  readonly metrics: EmittedMetric[];
  readonly lines: string[];
}

export async function runPipelineDay(): Promise<EmittedMetric[]> {
  return (await runPipelineDayOutput()).metrics;
}

export async function runPipelineDayOutput(): Promise<PipelineDayOutput> {
  const output = captureOutput();
  try {
    const clock = new ManualClock();
    const store = wire(clock);
    const user = 'user-observability';
    for (const type of PROCESS_TYPES) await runToCompletion(await startProcess(user, type), clock);

    const failed = await startProcess(user, 'ACTION_GENERATION');
    await worker({ ...failed, action: 'begin' });
    await worker({ ...failed, action: 'fail', status: 'FAILED', error: { Error: 'ModelThrottled', Cause: 'throttled' } });

    const timedOut = await startProcess(user, 'TASK_GENERATION');
    await worker({ ...timedOut, action: 'begin' });
    await worker({ ...timedOut, action: 'fail', status: 'TIMEOUT', error: { Error: 'States.Timeout' } });
    await retry(apiEvent({ userId: user, path: `/v1/processes/${timedOut.processId}/retry` }));

    const cancelled = await startProcess(user, 'SUBGOAL_GENERATION');
    await status(apiEvent({ userId: user, method: 'GET', path: `/v1/processes/${cancelled.processId}` }));
    await cancel(apiEvent({ userId: user, path: `/v1/processes/${cancelled.processId}/cancel` }));

    // The weekly maintenance succeeds (its heartbeat); the queue monitor then reports both tasks' heartbeats.
    await maintenance({ task: 'weekly-maintenance' });
    // The retried attempt never finishes: the queue monitor sweeps it past the workflow timeout.
    clock.advance((DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds + 60) * 1000);
    await withEnv({ DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused' }, queueMonitor);

    await start(apiEvent({ userId: null, path: '/v1/processes', body: {} }));
    await start(apiEvent({ userId: RATE_LIMITED_USER, path: '/v1/processes', body: {} }));
    if (store.rows.size === 0) throw new Error('The day created no process');
    // The first Sunday's DR test publishes through the same publisher DrValidation uses (its
    // validation needs two databases: test/integration/state/dr-validation.test.ts).
    drMetrics().publish({ restoreSeconds: 2400, recoveryPointAgeSeconds: 5400, failed: false });
    const entries = output.json().map((o) => o.entry);
    return { metrics: emittedMetrics(entries), lines: entries.map((e) => JSON.stringify(e)) };
  } finally {
    output.restore();
    setDependencies(undefined);
  }
}
