/**
 * AIGenerationStateMachine, in Amazon States Language, built from the guide's numbers.
 * One artifact: the Pulumi program deploys it and the local runtime runs it.
 *
 *   Begin ─► IsActive ─► Generate ◄─┐ ─► Complete ─► Completed
 *                │           └─ HasMore
 *                └──────────────────────────────► Discarded (cancelled / superseded attempt)
 *   any Task ─ States.Timeout, StepTimedOut ─► MarkTimeout ─► TimedOut (Fail)
 *            ─ States.ALL     ─► MarkFailed  ─► Failed   (Fail)
 *
 * The guide's completion times (3–15 min) exceed one worker invocation (300 s), so the result is
 * generated in steps: each `Generate` is one invocation producing one slice, with its own timeout.
 */
import { DESIGN, STATE_MACHINE_NAME } from '../../../guide';
import { WORKFLOW_ERRORS } from '../domain/errors';

export { STATE_MACHINE_NAME };

export interface DefinitionOptions {
  /** ARN of the AIGenerationWorker function (a Lambda ARN; the local runtime maps it to a module). */
  workerArn: string;
  /** Per-task timeout; default the worker's Lambda timeout. */
  stepTimeoutSeconds?: number;
  /** Whole-execution timeout; default DESIGN.workflow.workflowTimeoutSeconds. */
  workflowTimeoutSeconds?: number;
}

export type WorkerAction = 'begin' | 'generate' | 'complete' | 'fail';

/**
 * Error names of a task that ran out of its time: Step Functions' (the task's TimeoutSeconds),
 * Lambda's (the function's timeout), and the worker's own StepTimedOut (it gave up waiting for the
 * model just before either, to answer while it still could). Caught into MarkTimeout, never retried.
 */
export const TIMEOUT_ERRORS = ['States.Timeout', 'Sandbox.Timedout', WORKFLOW_ERRORS.stepTimedOut] as const;
/** Errors of the Lambda service itself, retried as AWS recommends for Lambda tasks. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

export const STATES = {
  begin: 'Begin',
  isActive: 'IsActive',
  generate: 'Generate',
  hasMore: 'HasMore',
  complete: 'Complete',
  markTimeout: 'MarkTimeout',
  markFailed: 'MarkFailed',
  completed: 'Completed',
  discarded: 'Discarded',
  timedOut: 'TimedOut',
  failed: 'Failed',
} as const;

const processFields = {
  'processId.$': '$.processId',
  'userId.$': '$.userId',
  'type.$': '$.type',
  'attempt.$': '$.attempt',
};

export function buildDefinition(opts: DefinitionOptions) {
  const stepTimeout = opts.stepTimeoutSeconds ?? DESIGN.workflow.stepTimeoutSeconds;
  const workflowTimeout = opts.workflowTimeoutSeconds ?? DESIGN.workflow.workflowTimeoutSeconds;
  if (!(stepTimeout >= 1 && workflowTimeout > stepTimeout)) {
    throw new Error(`Workflow timeouts must satisfy 1 <= step (${stepTimeout}s) < workflow (${workflowTimeout}s)`);
  }
  const { lambdaRetry, modelRetry, databaseRetry } = DESIGN.workflow;

  const retry = [
    {
      ErrorEquals: [...LAMBDA_SERVICE_ERRORS],
      IntervalSeconds: lambdaRetry.intervalSeconds,
      MaxAttempts: lambdaRetry.maxAttempts,
      BackoffRate: lambdaRetry.backoffRate,
      JitterStrategy: 'FULL',
    },
    // Long enough that a database outage of the usual length (a failover, a restart) pauses the
    // execution instead of ending it: nothing but the sweeper could end its process then.
    {
      ErrorEquals: [WORKFLOW_ERRORS.database],
      IntervalSeconds: databaseRetry.intervalSeconds,
      MaxAttempts: databaseRetry.maxAttempts,
      BackoffRate: databaseRetry.backoffRate,
      MaxDelaySeconds: databaseRetry.maxDelaySeconds,
      JitterStrategy: 'FULL',
    },
  ];
  const modelRetries = [
    {
      ErrorEquals: [WORKFLOW_ERRORS.modelThrottled, WORKFLOW_ERRORS.modelUnavailable],
      IntervalSeconds: modelRetry.intervalSeconds,
      MaxAttempts: modelRetry.maxAttempts,
      BackoffRate: modelRetry.backoffRate,
      MaxDelaySeconds: modelRetry.maxDelaySeconds,
      JitterStrategy: 'FULL',
    },
  ];
  const catchers = [
    { ErrorEquals: [...TIMEOUT_ERRORS], ResultPath: '$.error', Next: STATES.markTimeout },
    { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: STATES.markFailed },
  ];
  const task = (action: WorkerAction, next: string, extra: object = {}) => ({
    Type: 'Task',
    Resource: opts.workerArn,
    Parameters: { action, ...processFields },
    ResultPath: '$.state',
    TimeoutSeconds: stepTimeout,
    Next: next,
    ...extra,
  });
  const markTask = (status: 'TIMEOUT' | 'FAILED', next: string) => ({
    Type: 'Task',
    Resource: opts.workerArn,
    Parameters: { action: 'fail', status, ...processFields, 'error.$': '$.error' },
    ResultPath: '$.state',
    TimeoutSeconds: stepTimeout,
    Retry: retry,
    Next: next,
  });

  return {
    Comment: `${STATE_MACHINE_NAME}: one attempt of an AI generation process (async-ai-pipeline)`,
    StartAt: STATES.begin,
    TimeoutSeconds: workflowTimeout,
    States: {
      [STATES.begin]: task('begin', STATES.isActive, { Retry: retry, Catch: catchers }),
      [STATES.isActive]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.state.active', BooleanEquals: false, Next: STATES.discarded }],
        Default: STATES.generate,
      },
      [STATES.generate]: task('generate', STATES.hasMore, { Retry: [...modelRetries, ...retry], Catch: catchers }),
      [STATES.hasMore]: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.state.active', BooleanEquals: false, Next: STATES.discarded },
          { Variable: '$.state.done', BooleanEquals: true, Next: STATES.complete },
        ],
        Default: STATES.generate,
      },
      [STATES.complete]: task('complete', STATES.completed, { Retry: retry, Catch: catchers }),
      [STATES.completed]: { Type: 'Succeed' },
      [STATES.discarded]: { Type: 'Succeed', Comment: 'The process was cancelled or superseded; output discarded' },
      [STATES.markTimeout]: markTask('TIMEOUT', STATES.timedOut),
      [STATES.markFailed]: markTask('FAILED', STATES.failed),
      [STATES.timedOut]: { Type: 'Fail', Error: 'ProcessTimedOut', Cause: 'A step ran past its timeout; the process is TIMEOUT' },
      [STATES.failed]: { Type: 'Fail', Error: 'ProcessFailed', Cause: 'The process is FAILED; see its error code' },
    },
  };
}

export type StateMachineDefinition = ReturnType<typeof buildDefinition>;
