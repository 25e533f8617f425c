/**
 * AIGenerationStateMachine's branches: the ASL that infra deploys, executed by
 * aws-local-stepfunctions, each Task calling the REAL worker handler on the real database.
 * Only Bedrock is scripted.
 */
import '../../../local/polyfills';
import { randomUUID } from 'node:crypto';
// The package's types are written for ESM; jest loads its CommonJS build (as local/step-functions.ts does).
// @ts-expect-error TS1479
import { StateMachine } from 'aws-local-stepfunctions';
import { DESIGN, FUNCTIONS, PROCESS_TYPES, type ProcessType } from '../../../guide';
import { WORKFLOW_ERRORS, WorkflowError } from '../../../functions/src/domain/errors';
import { RESULT_SCHEMAS } from '../../../functions/src/domain/schemas';
import { handler as worker, type WorkerEvent } from '../../../functions/src/handlers/ai-generation-worker';
import type { ProcessingStateService } from '../../../functions/src/state/processing-state-service';
import { buildDefinition, STATES } from '../../../functions/src/workflow/definition';
import { useWiredDatabase, wireDependencies } from '../../helpers/dependencies';
import { answer, delayed, fail, gated, reply, ScriptedModel, type ModelCall } from '../../helpers/fakes';
import { newUserId, VALID_INPUTS } from '../../../harness/processes';

const STEP_TIMEOUT_SECONDS = 1;
const STEPS = DESIGN.workflow.generationSteps;
const TASKS = [STATES.begin, STATES.generate, STATES.complete, STATES.markTimeout, STATES.markFailed];

/** As deployed: the definition travels as JSON text. */
const definition = JSON.parse(
  JSON.stringify(
    buildDefinition({
      workerArn: `arn:aws:lambda:ap-northeast-1:123456789012:function:${FUNCTIONS.aiGenerationWorker.name}`,
      stepTimeoutSeconds: STEP_TIMEOUT_SECONDS,
      workflowTimeoutSeconds: 20,
    }),
  ),
);

const ctx = useWiredDatabase();
let store: ProcessingStateService;

interface Run {
  processId: string;
  model: ScriptedModel;
  /** Resolves when the execution ended: its output, or the error it failed with. */
  outcome: Promise<{ output?: any; error?: Error }>;
}

interface Finished {
  output?: any;
  error?: Error;
  /** Names of the states entered, in order. */
  entered: string[];
  retried: string[];
  /** The row's progress after each Generate step. */
  progress: number[];
}

const progressLog = new Map<string, number[]>();
const eventsLog = new Map<string, Promise<{ entered: string[]; retried: string[] }>>();
const workerCalls: Promise<unknown>[] = [];

/** Creates a PENDING process (as StartProcess does) and starts its execution with `script`. */
async function startRun(script: ModelCall[], type: ProcessType = 'SUBGOAL_GENERATION'): Promise<Run> {
  const model = new ScriptedModel(script);
  store = wireDependencies(ctx.db.pool, { model }).store;
  const userId = newUserId();
  const { process } = await store.create({ id: randomUUID(), userId, type, input: VALID_INPUTS[type], now: new Date() });
  const progress: number[] = [];
  progressLog.set(process.id, progress);

  // Each Task runs the worker handler module, as Lambda would.
  const local = (state: string) => async (input: unknown) => {
    const call = worker(input as WorkerEvent);
    workerCalls.push(call.catch(() => undefined));
    const out = await call;
    if (state === STATES.generate) progress.push((await store.get(process.id))!.progress);
    return out as any;
  };
  const exec = new StateMachine(definition).run(
    { processId: process.id, userId, type, attempt: process.attempt },
    {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(TASKS.map((t) => [t, local(t)])),
        retryIntervalOverrides: Object.fromEntries(TASKS.map((t) => [t, 0])),
      },
    },
  );
  eventsLog.set(
    process.id,
    (async () => {
      const entered: string[] = [];
      const retried: string[] = [];
      for await (const e of exec.eventLogs) {
        if (e.type === 'StateEntered') entered.push(e.state.name);
        if (e.type === 'StateRetried') retried.push(e.state.name);
      }
      return { entered, retried };
    })(),
  );
  const outcome = exec.result.then(
    (output) => ({ output }),
    (error: Error) => ({ error }),
  );
  return { processId: process.id, model, outcome };
}

/** Waits for the execution to end and for every worker invocation (late ones too) to return. */
async function finish(run: Run): Promise<Finished> {
  const { output, error } = await run.outcome;
  await run.model.settled();
  await Promise.all(workerCalls);
  const { entered, retried } = await eventsLog.get(run.processId)!;
  return { output, error, entered, retried, progress: progressLog.get(run.processId)! };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const throttled = () => new WorkflowError(WORKFLOW_ERRORS.modelThrottled, 'Bedrock ThrottlingException: Too many requests');

describe('AIGenerationStateMachine', () => {
  describe.each(PROCESS_TYPES)('success (%s)', (type) => {
    it('ends COMPLETED with a schema-valid result after one Generate per step, progress rising to 100', async () => {
      // act
      const run = await startRun([], type);
      const done = await finish(run);

      // assess
      expect(done.error).toBeUndefined();
      expect(done.entered.at(-1)).toBe(STATES.completed);
      expect(done.entered.filter((s) => s === STATES.generate)).toHaveLength(STEPS);
      const final = await ctx.row(run.processId);
      expect(final).toMatchObject({ status: 'COMPLETED', progress: 100, error_code: null });
      expect(RESULT_SCHEMAS[type].safeParse(final.result).success).toBe(true);
      expect(done.progress).toHaveLength(STEPS);
      const series = [...done.progress, final.progress];
      for (let i = 1; i < series.length; i++) expect(series[i]).toBeGreaterThan(series[i - 1]!);
      expect(run.model.calls).toHaveLength(STEPS);
    });
  });

  it('retry then success: ends COMPLETED when the model throttles twice', async () => {
    // act
    const run = await startRun([throttled, throttled].map(fail));
    const done = await finish(run);

    // assess
    expect(done.error).toBeUndefined();
    expect(done.retried).toEqual([STATES.generate, STATES.generate]);
    expect(done.entered.at(-1)).toBe(STATES.completed);
    expect(await ctx.row(run.processId)).toMatchObject({ status: 'COMPLETED', progress: 100 });
    expect(run.model.calls).toHaveLength(STEPS + 2);
  });

  it('failure: ends FAILED with AI_ERROR when the model keeps throttling past the retries', async () => {
    // act
    const run = await startRun(Array.from({ length: DESIGN.workflow.modelRetry.maxAttempts + 1 }, () => fail(throttled)));
    const done = await finish(run);

    // assess
    expect(done.error).toBeDefined();
    expect(done.entered.slice(-2)).toEqual([STATES.markFailed, STATES.failed]);
    expect(done.retried).toHaveLength(DESIGN.workflow.modelRetry.maxAttempts);
    expect(await ctx.row(run.processId)).toMatchObject({ status: 'FAILED', error_code: 'AI_ERROR', result: null });
  });

  it('timeout: ends TIMEOUT with TIMEOUT_ERROR when the model hangs past the step timeout, and the late answer is not stored', async () => {
    // act
    const run = await startRun([delayed(STEP_TIMEOUT_SECONDS * 1000 + 500)]);
    const done = await finish(run);

    // assess
    expect(done.error).toBeDefined();
    expect(done.entered.slice(-2)).toEqual([STATES.markTimeout, STATES.timedOut]);
    const final = await ctx.row(run.processId);
    expect(final).toMatchObject({ status: 'TIMEOUT', error_code: 'TIMEOUT_ERROR', partial_result: [], result: null });
    expect(final.completed_at).not.toBeNull();
  });

  it.each<[string, ModelCall, string]>([
    ['the model answers output that fails its schema', reply('{"subgoals": [{"title": "only one"}]}'), 'VALIDATION_ERROR'],
    ['the model answers prose instead of JSON', reply('Sorry, I cannot help with that.'), 'VALIDATION_ERROR'],
    [
      'Bedrock rejects the request',
      fail(() => new WorkflowError(WORKFLOW_ERRORS.modelRejected, 'Bedrock AccessDeniedException: no access')),
      'AI_ERROR',
    ],
  ])('failure: ends FAILED when %s, without retrying', async (_name, call, code) => {
    // act
    const run = await startRun([call]);
    const done = await finish(run);

    // assess
    expect(done.error).toBeDefined();
    expect(done.entered).toEqual([STATES.begin, STATES.isActive, STATES.generate, STATES.markFailed, STATES.failed]);
    expect(done.retried).toEqual([]);
    expect(await ctx.row(run.processId)).toMatchObject({ status: 'FAILED', error_code: code, result: null });
    expect(run.model.calls).toHaveLength(1);
  });

  it('failure: ends FAILED with DATABASE_ERROR, not AI_ERROR, without retrying, when the database refuses to store a slice', async () => {
    // prepare: the real database refuses any row holding the marker, with the SQLSTATE a NUL in JSON gets (22P05)
    await ctx.db.pool.query(`
      CREATE OR REPLACE FUNCTION refuse_marked_slice() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.partial_result::text LIKE '%refuse-to-store%' THEN
          RAISE EXCEPTION 'unsupported Unicode escape sequence' USING ERRCODE = '22P05';
        END IF;
        RETURN NEW;
      END $$;
      DROP TRIGGER IF EXISTS refuse_marked_slice ON processing_state;
      CREATE TRIGGER refuse_marked_slice BEFORE UPDATE ON processing_state FOR EACH ROW EXECUTE FUNCTION refuse_marked_slice();`);
    const item = { title: 'refuse-to-store', description: 'd' };

    // act
    const run = await startRun([reply(JSON.stringify({ subgoals: [item, item] }))]);
    const done = await finish(run);

    // assess
    expect(done.entered).toEqual([STATES.begin, STATES.isActive, STATES.generate, STATES.markFailed, STATES.failed]);
    expect(done.retried).toEqual([]);
    expect(await ctx.row(run.processId)).toMatchObject({
      status: 'FAILED',
      error_code: 'DATABASE_ERROR',
      partial_result: [],
      result: null,
    });
  });

  it('success: stores model output that held NUL and lone surrogates, cleaned, and completes', async () => {
    // prepare: JSON escapes the model may write; PostgreSQL refuses \u0000 and unpaired surrogates in jsonb
    const dirty =
      '{"subgoals": [{"title": "Plan\\u0000 the route \\ud83d", "description": "\\udc00Run"}, {"title": "t", "description": "d"}]}';

    // act
    const run = await startRun([reply(dirty)]);
    const done = await finish(run);

    // assess
    expect(done.entered.at(-1)).toBe(STATES.completed);
    const final = await ctx.row(run.processId);
    expect(final).toMatchObject({ status: 'COMPLETED', error_code: null });
    expect(final.result.subgoals[0]).toEqual({ title: 'Plan the route \ufffd', description: '\ufffdRun' });
  });

  it('cancel: keeps CANCELLED, ends in Discarded and drops the late model output when the user cancels mid-run', async () => {
    // prepare: the second model call waits until the test has cancelled
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const run = await startRun([answer(), gated(gate)]);
    await waitFor(() => run.model.calls.length === 2, 'the second model call');

    // act
    const p = (await store.get(run.processId))!;
    const cancelled = await store.cancel(p.id, p.userId, new Date());
    openGate();
    const done = await finish(run);

    // assess
    expect(cancelled.kind).toBe('cancelled');
    expect(done.error).toBeUndefined();
    expect(done.entered.at(-1)).toBe(STATES.discarded);
    expect(done.entered).not.toContain(STATES.complete);
    const final = await ctx.row(run.processId);
    expect(final).toMatchObject({ status: 'CANCELLED', result: null, error_code: null });
    expect(final.partial_result).toHaveLength(1);
    if (cancelled.kind === 'cancelled') expect(final.completed_at).toEqual(cancelled.process.completedAt);
    expect(run.model.calls).toHaveLength(2);
  });

  it('cancel: ends in Discarded without calling the model when the process was cancelled before the execution began', async () => {
    // prepare
    const model = new ScriptedModel();
    store = wireDependencies(ctx.db.pool, { model }).store;
    const userId = newUserId();
    const { process } = await store.create({
      id: randomUUID(),
      userId,
      type: 'TASK_GENERATION',
      input: VALID_INPUTS.TASK_GENERATION,
      now: new Date(),
    });
    await store.cancel(process.id, userId, new Date());

    // act
    const output = await new StateMachine(definition).run(
      { processId: process.id, userId, type: 'TASK_GENERATION', attempt: 1 },
      {
        overrides: {
          taskResourceLocalHandlers: Object.fromEntries(TASKS.map((t) => [t, (input: unknown) => worker(input as WorkerEvent) as any])),
        },
      },
    ).result;

    // assess
    expect(output).toMatchObject({ state: { active: false, status: 'CANCELLED' } });
    expect(model.calls).toEqual([]);
    expect((await ctx.row(process.id)).status).toBe('CANCELLED');
  });
});
