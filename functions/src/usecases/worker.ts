/**
 * AIGenerationWorker: the four actions the state machine invokes for one attempt.
 *
 *  begin     PENDING → PROCESSING (a resumed execution finds PROCESSING and goes on)
 *  generate  one model call → one slice of the result, stored with the new progress; the call may
 *            take the step's time less a margin (modelDeadline), then the step ends StepTimedOut
 *  complete  slices → result, checked against the type's schema → COMPLETED
 *  fail      a Catch: → TIMEOUT (States.Timeout) or FAILED, with the process error code
 *
 * Every write is conditional on the attempt still being the running one, and the status is read
 * before and written after the model call: a process cancelled or superseded meanwhile answers
 * `{active: false}` and its output is discarded.
 */
import { DESIGN, type ProcessErrorCode, type ProcessType } from '../../../guide';
import { WORKFLOW_ERRORS, WorkflowError } from '../domain/errors';
import type { ProcessRecord } from '../domain/process';
import { RESULT_PLAN, RESULT_SCHEMAS } from '../domain/schemas';
import { buildSlicePrompt, parseSlice } from '../ai/prompts';
import type { AiModel, UseCaseContext, WorkflowInput } from '../ports';
import { TIMEOUT_ERRORS } from '../workflow/definition';

export interface WorkerDeps extends UseCaseContext {
  model: AiModel;
  /** When this step's model call must give up (modelDeadline). */
  deadline: Date;
}

/**
 * When a step's model call must give up: the step's time (its timeout, or Lambda's remaining time
 * when that is less) from `startedMs`, less DESIGN.workflow.outcomeMarginShareOfStep of the step for
 * recording the outcome. Every slice the step's timeout allows may finish; a call still unanswered
 * then has used up the step, which ends as a timeout.
 */
export function modelDeadline(startedMs: number, stepTimeoutMs: number, remainingMs?: number): Date {
  const left = Math.min(stepTimeoutMs, remainingMs ?? stepTimeoutMs);
  return new Date(startedMs + left - stepTimeoutMs * DESIGN.workflow.outcomeMarginShareOfStep);
}

export interface StepState {
  active: boolean;
  done?: boolean;
  step?: number;
  steps?: number;
  progress?: number;
  status?: string;
}

/** Progress after `stepsDone` of `steps` slices: 5 % when taken, 95 % after the last slice. */
export const progressAfter = (stepsDone: number, steps: number): number => Math.round(5 + (90 * stepsDone) / steps);

const isRunning = (p: ProcessRecord | null, attempt: number): p is ProcessRecord =>
  !!p && p.attempt === attempt && p.status === 'PROCESSING';

function discarded(deps: WorkerDeps, input: WorkflowInput, current: ProcessRecord | null, what: string): StepState {
  deps.observer.logger.warn(`Discarding ${what}: the attempt is no longer running`, {
    processId: input.processId,
    type: input.type,
    attempt: input.attempt,
    status: current?.status ?? 'DELETED',
    currentAttempt: current?.attempt,
  });
  return { active: false, status: current?.status };
}

export async function beginAttempt(deps: WorkerDeps, input: WorkflowInput): Promise<StepState> {
  const p = await deps.store.markProcessing(input.processId, input.attempt, deps.clock.now());
  if (!p) return discarded(deps, input, await deps.store.get(input.processId), 'the attempt');
  deps.observer.logger.info('AI生成処理を開始しました', {
    processId: p.id,
    userId: p.userId,
    type: p.type,
    status: p.status,
    progress: p.progress,
  });
  return {
    active: true,
    done: p.partialResult.length >= DESIGN.workflow.generationSteps,
    step: p.partialResult.length,
    steps: DESIGN.workflow.generationSteps,
    progress: p.progress,
  };
}

export async function generateStep(deps: WorkerDeps, input: WorkflowInput): Promise<StepState> {
  const steps = DESIGN.workflow.generationSteps;
  const before = await deps.store.get(input.processId);
  if (!isRunning(before, input.attempt)) return discarded(deps, input, before, 'the step');
  const step = before.partialResult.length;
  if (step >= steps) return { active: true, done: true, step, steps, progress: before.progress };

  const existing = before.partialResult.flat();
  const request = buildSlicePrompt(before.type, before.input, step, existing);
  const started = Date.now();
  const text = await deps.observer.span('bedrock.converse', { processId: before.id, step }, () =>
    deps.model.generate(request, { deadline: deps.deadline }),
  );
  const slice = parseSlice(before.type, step, text);

  const progress = progressAfter(step + 1, steps);
  const after = await deps.store.appendSlice(before.id, input.attempt, step, slice, progress, deps.clock.now());
  if (!after) {
    const current = await deps.store.get(input.processId);
    // A duplicate invocation (Lambda retry) stored this step already: carry on from there.
    if (isRunning(current, input.attempt) && current.partialResult.length > step) {
      return {
        active: true,
        done: current.partialResult.length >= steps,
        step: current.partialResult.length,
        steps,
        progress: current.progress,
      };
    }
    return discarded(deps, input, current, "the model's output");
  }
  deps.observer.logger.info(`AI生成処理が${progress}%完了しました`, {
    // `stepDuration`, not `duration`: that is a completion's (the DurationByType saved query reads only those).
    processId: after.id,
    userId: after.userId,
    type: after.type,
    status: after.status,
    progress,
    stepDuration: Date.now() - started,
    step: step + 1,
    steps,
  });
  return { active: true, done: step + 1 >= steps, step: step + 1, steps, progress };
}

export function assembleResult(type: ProcessType, slices: unknown[]): Record<string, unknown> {
  const { key } = RESULT_PLAN[type];
  const result = { [key]: slices.flat() };
  const parsed = RESULT_SCHEMAS[type].safeParse(result);
  if (!parsed.success) {
    throw new WorkflowError(WORKFLOW_ERRORS.modelOutputInvalid, `The assembled result does not match the ${type} result schema`);
  }
  return parsed.data as Record<string, unknown>;
}

export async function completeAttempt(deps: WorkerDeps, input: WorkflowInput): Promise<StepState> {
  const before = await deps.store.get(input.processId);
  if (!isRunning(before, input.attempt)) return discarded(deps, input, before, 'the result');
  const result = assembleResult(before.type, before.partialResult);
  const now = deps.clock.now();
  const done = await deps.store.complete(before.id, input.attempt, result, now);
  if (!done) return discarded(deps, input, await deps.store.get(input.processId), 'the result');
  const duration = now.getTime() - (done.startedAt ?? done.createdAt).getTime();
  const { metrics } = deps.observer;
  metrics.add('completed', 1);
  metrics.addWith('completed', 1, { name: 'type', value: done.type });
  metrics.add('duration', duration);
  metrics.addWith('duration', duration, { name: 'type', value: done.type });
  deps.observer.logger.info('AI生成処理が完了しました', {
    processId: done.id,
    userId: done.userId,
    type: done.type,
    status: done.status,
    progress: done.progress,
    duration,
  });
  return { active: true, done: true, status: done.status, progress: 100 };
}

/** The Catch payload Step Functions passes: `{Error, Cause}`. */
export interface CaughtError {
  Error?: string;
  Cause?: string;
}

export function classifyFailure(
  error: CaughtError | undefined,
  status: 'FAILED' | 'TIMEOUT',
): { status: 'FAILED' | 'TIMEOUT'; code: ProcessErrorCode; message: string } {
  const name = error?.Error ?? 'Unknown';
  if (status === 'TIMEOUT' || (TIMEOUT_ERRORS as readonly string[]).includes(name)) {
    return { status: 'TIMEOUT', code: 'TIMEOUT_ERROR', message: 'A processing step ran past its timeout' };
  }
  switch (name) {
    case WORKFLOW_ERRORS.modelOutputInvalid:
      return { status: 'FAILED', code: 'VALIDATION_ERROR', message: "The AI model's output did not match the expected result format" };
    case WORKFLOW_ERRORS.database:
      return { status: 'FAILED', code: 'DATABASE_ERROR', message: 'The database could not be reached' };
    case WORKFLOW_ERRORS.databaseRejected:
      return { status: 'FAILED', code: 'DATABASE_ERROR', message: 'The database could not store the result' };
    case WORKFLOW_ERRORS.modelThrottled:
      return { status: 'FAILED', code: 'AI_ERROR', message: 'The AI model kept throttling requests; retry later' };
    case WORKFLOW_ERRORS.modelUnavailable:
      return { status: 'FAILED', code: 'AI_ERROR', message: 'The AI model was unavailable' };
    case WORKFLOW_ERRORS.modelRejected:
      return { status: 'FAILED', code: 'AI_ERROR', message: 'The AI model rejected the request' };
    default:
      return { status: 'FAILED', code: 'AI_ERROR', message: `AI generation failed (${name.slice(0, 100)})` };
  }
}

/** Reads the message out of a Catch `Cause` (Lambda sends JSON; others send text), for logs only. */
export function causeMessage(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    return parsed.errorMessage ?? cause;
  } catch {
    return cause;
  }
}

export async function failAttempt(
  deps: WorkerDeps,
  input: WorkflowInput & { status: 'FAILED' | 'TIMEOUT'; error?: CaughtError },
): Promise<StepState> {
  const outcome = classifyFailure(input.error, input.status);
  const p = await deps.store.fail(input.processId, input.attempt, outcome.status, outcome.code, outcome.message, deps.clock.now());
  if (!p) return discarded(deps, input, await deps.store.get(input.processId), 'the failure');
  deps.observer.metrics.add(outcome.status === 'TIMEOUT' ? 'timeout' : 'failed', 1);
  deps.observer.metrics.addWith(outcome.status === 'TIMEOUT' ? 'timeout' : 'failed', 1, { name: 'type', value: p.type });
  deps.observer.logger.error(outcome.status === 'TIMEOUT' ? 'AI生成処理がタイムアウトしました' : 'AI生成処理が失敗しました', {
    processId: p.id,
    userId: p.userId,
    type: p.type,
    status: p.status,
    progress: p.progress,
    errorCode: outcome.code,
    workflowError: input.error?.Error,
    cause: causeMessage(input.error?.Cause),
  });
  return { active: false, status: p.status };
}
