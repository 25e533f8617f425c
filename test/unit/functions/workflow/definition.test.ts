import { DESIGN, FUNCTIONS, STATE_MACHINE_NAME } from '../../../../guide';
import { WORKFLOW_ERRORS } from '../../../../functions/src/domain/errors';
import { buildDefinition, LAMBDA_SERVICE_ERRORS, STATES, TIMEOUT_ERRORS } from '../../../../functions/src/workflow/definition';

// asl-validator 4 ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (
  definition: unknown,
  opts?: { checkPaths?: boolean; checkArn?: boolean },
) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

const WORKER_ARN = `arn:aws:lambda:ap-northeast-1:123456789012:function:${FUNCTIONS.aiGenerationWorker.name}`;

type Definition = ReturnType<typeof buildDefinition>;
type AnyState = Record<string, any>;
const statesOf = (d: Definition) => d.States as unknown as Record<string, AnyState>;
const tasksOf = (d: Definition) => Object.entries(statesOf(d)).filter(([, s]) => s.Type === 'Task');

describe('buildDefinition', () => {
  const definition = buildDefinition({ workerArn: WORKER_ARN });

  it('passes asl-validator with path and ARN checks when built with the defaults', () => {
    // act (the validator annotates what it is given, so it gets a copy)
    const { isValid, errorsText } = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });

    // assess
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('passes asl-validator when the timeouts are shortened for a local run', () => {
    const { isValid, errorsText } = aslValidator(
      structuredClone(buildDefinition({ workerArn: WORKER_ARN, stepTimeoutSeconds: 1, workflowTimeoutSeconds: 10 })),
    );
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('is refused by asl-validator when a transition points nowhere (the check can fail)', () => {
    // prepare
    const broken = structuredClone(definition) as AnyState;
    broken.States[STATES.complete].Next = 'NoSuchState';

    // act + assess
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('names the machine and bounds the whole execution by the workflow timeout from the guide module', () => {
    expect(definition.Comment).toContain(STATE_MACHINE_NAME);
    expect(definition.TimeoutSeconds).toBe(DESIGN.workflow.workflowTimeoutSeconds);
    expect(DESIGN.workflow.workflowTimeoutSeconds).toBe(2 * 15 * 60);
  });

  it(`gives every Task the step timeout, which is the worker Lambda timeout of the guide (${FUNCTIONS.aiGenerationWorker.timeoutSeconds} s)`, () => {
    // act
    const tasks = tasksOf(definition);

    // assess
    expect(tasks.map(([name]) => name).sort()).toEqual(
      [STATES.begin, STATES.complete, STATES.generate, STATES.markFailed, STATES.markTimeout].sort(),
    );
    for (const [, task] of tasks) {
      expect(task.TimeoutSeconds).toBe(FUNCTIONS.aiGenerationWorker.timeoutSeconds);
      expect(task.Resource).toBe(WORKER_ARN);
    }
  });

  it('uses the given timeouts when they are shortened', () => {
    const short = buildDefinition({ workerArn: WORKER_ARN, stepTimeoutSeconds: 1, workflowTimeoutSeconds: 10 });
    expect(short.TimeoutSeconds).toBe(10);
    expect(tasksOf(short).every(([, t]) => t.TimeoutSeconds === 1)).toBe(true);
  });

  it.each([
    ['a zero step timeout', 0, 60],
    ['a workflow timeout equal to the step timeout', 60, 60],
    ['a workflow timeout shorter than a step', 300, 100],
  ])('refuses %s', (_name, stepTimeoutSeconds, workflowTimeoutSeconds) => {
    expect(() => buildDefinition({ workerArn: WORKER_ARN, stepTimeoutSeconds, workflowTimeoutSeconds })).toThrow(/step .* < workflow/);
  });

  it('retries model throttling and unavailability on Generate with full jitter and the design backoff', () => {
    // act
    const retry = statesOf(definition)[STATES.generate]!.Retry as AnyState[];
    const model = retry.find((r) => r.ErrorEquals.includes(WORKFLOW_ERRORS.modelThrottled));

    // assess
    expect(model).toEqual({
      ErrorEquals: [WORKFLOW_ERRORS.modelThrottled, WORKFLOW_ERRORS.modelUnavailable],
      IntervalSeconds: DESIGN.workflow.modelRetry.intervalSeconds,
      MaxAttempts: DESIGN.workflow.modelRetry.maxAttempts,
      BackoffRate: DESIGN.workflow.modelRetry.backoffRate,
      MaxDelaySeconds: DESIGN.workflow.modelRetry.maxDelaySeconds,
      JitterStrategy: 'FULL',
    });
  });

  it('retries Lambda service errors on every Task with jitter', () => {
    for (const [name, task] of tasksOf(definition)) {
      const lambda = (task.Retry as AnyState[]).find((r) => r.ErrorEquals.includes('Lambda.ServiceException'));
      expect({ name, ...lambda }).toEqual({
        name,
        ErrorEquals: [...LAMBDA_SERVICE_ERRORS],
        IntervalSeconds: DESIGN.workflow.lambdaRetry.intervalSeconds,
        MaxAttempts: DESIGN.workflow.lambdaRetry.maxAttempts,
        BackoffRate: DESIGN.workflow.lambdaRetry.backoffRate,
        JitterStrategy: 'FULL',
      });
    }
  });

  it('retries an unreachable database on every Task long enough to ride out a failover', () => {
    // A failover or a local restart takes seconds to half a minute: the retries must wait longer.
    const { intervalSeconds, maxAttempts, backoffRate, maxDelaySeconds } = DESIGN.workflow.databaseRetry;
    const longestWaitS = Array.from({ length: maxAttempts }, (_, i) =>
      Math.min(maxDelaySeconds, intervalSeconds * backoffRate ** i),
    ).reduce((a, b) => a + b, 0);
    expect(longestWaitS).toBeGreaterThanOrEqual(60);
    for (const [name, task] of tasksOf(definition)) {
      const database = (task.Retry as AnyState[]).find((r) => r.ErrorEquals.includes(WORKFLOW_ERRORS.database));
      expect({ name, ...database }).toEqual({
        name,
        ErrorEquals: [WORKFLOW_ERRORS.database],
        IntervalSeconds: intervalSeconds,
        MaxAttempts: maxAttempts,
        BackoffRate: backoffRate,
        MaxDelaySeconds: maxDelaySeconds,
        JitterStrategy: 'FULL',
      });
    }
  });

  it('never retries invalid model output, rejected requests or timeouts', () => {
    const retried = tasksOf(definition).flatMap(([, t]) => (t.Retry as AnyState[]).flatMap((r) => r.ErrorEquals as string[]));
    for (const name of [
      WORKFLOW_ERRORS.modelOutputInvalid,
      WORKFLOW_ERRORS.modelRejected,
      ...TIMEOUT_ERRORS,
      'States.ALL',
      'States.TaskFailed',
    ]) {
      expect(retried).not.toContain(name);
    }
  });

  describe.each([STATES.begin, STATES.generate, STATES.complete])('the %s task', (name) => {
    it("catches the timeouts (States.Timeout, Sandbox.Timedout, the worker's StepTimedOut) into MarkTimeout first and States.ALL into MarkFailed last, keeping the error", () => {
      // act
      const catchers = statesOf(definition)[name]!.Catch as AnyState[];

      // assess
      expect(catchers).toEqual([
        {
          ErrorEquals: ['States.Timeout', 'Sandbox.Timedout', WORKFLOW_ERRORS.stepTimedOut],
          ResultPath: '$.error',
          Next: STATES.markTimeout,
        },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: STATES.markFailed },
      ]);
    });
  });

  it.each([
    [STATES.markTimeout, 'TIMEOUT', STATES.timedOut],
    [STATES.markFailed, 'FAILED', STATES.failed],
  ])('%s marks the process %s with the caught error and ends in a Fail state', (name, status, next) => {
    // act
    const state = statesOf(definition)[name]!;

    // assess
    expect(state.Parameters).toMatchObject({
      action: 'fail',
      status,
      'error.$': '$.error',
      'processId.$': '$.processId',
      'attempt.$': '$.attempt',
    });
    expect(state.Next).toBe(next);
    expect(statesOf(definition)[next]!.Type).toBe('Fail');
    expect(state.Catch).toBeUndefined();
  });

  it('leaves a cancelled or superseded attempt through Discarded when the worker says it is no longer active', () => {
    // act
    const states = statesOf(definition);

    // assess
    for (const choice of [STATES.isActive, STATES.hasMore]) {
      expect(states[choice]!.Choices[0]).toEqual({ Variable: '$.state.active', BooleanEquals: false, Next: STATES.discarded });
    }
    expect(states[STATES.discarded]!.Type).toBe('Succeed');
    expect(states[STATES.hasMore]!.Choices[1]).toEqual({ Variable: '$.state.done', BooleanEquals: true, Next: STATES.complete });
  });
});
