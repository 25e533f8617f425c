/**
 * One attempt's execution, the same way for every caller (start, a repeated start, retry, the
 * queue monitor): started under its deterministic name with one fixed input, so Step Functions
 * answers a second start with the same execution, and recorded once.
 */
import type { ProcessRecord } from '../domain/process';
import { executionNameFor } from '../domain/process';
import { ExecutionAlreadyEndedError, type ExecutionState, type UseCaseContext, type WorkflowInput, type WorkflowStarter } from '../ports';
import { classifyFailure } from './worker';

export type AttemptDeps = UseCaseContext & { workflow: WorkflowStarter };

/** The state machine's input for the process's current attempt; always built here, so it is always the same. */
export const workflowInputOf = (p: ProcessRecord): WorkflowInput => ({
  processId: p.id,
  userId: p.userId,
  type: p.type,
  attempt: p.attempt,
});

/**
 * Starts (or finds) the execution of the process's current attempt and records it. Counts the
 * start once: only the caller that records the execution emits AsyncProcessingStarted. Returns
 * the freshest view of the process (the worker may have moved it on already).
 */
export async function startAttempt(deps: AttemptDeps, p: ProcessRecord): Promise<ProcessRecord> {
  const executionName = executionNameFor(p.id, p.attempt);
  const { executionArn } = await deps.workflow.start(executionName, workflowInputOf(p));
  const recorded = await deps.store.recordExecution(p.id, p.attempt, executionName, executionArn, deps.clock.now());
  if (recorded) {
    deps.observer.metrics.add('started', 1);
    deps.observer.metrics.addWith('started', 1, { name: 'type', value: p.type });
  }
  return recorded ?? (await deps.store.get(p.id)) ?? p;
}

/** The message of a process ended because its execution had ended without saying so. */
export const ENDED_BY_EXECUTION_MESSAGE = 'The workflow ended without recording the outcome';

/**
 * Ends an attempt whose execution has ended while the process still says PENDING/PROCESSING
 * (its last task could not reach the database, or the execution timed out as a whole, which runs
 * no Catch): the way the execution ended, instead of leaving it to the sweeper. A write that lost
 * a race (the worker recorded the outcome meanwhile) changes nothing; returns null then.
 */
export async function endWithExecution(deps: AttemptDeps, p: ProcessRecord, execution: ExecutionState): Promise<ProcessRecord | null> {
  const timedOut = execution.status === 'TIMED_OUT';
  const outcome = classifyFailure({ Error: execution.error ?? `States.${execution.status}` }, timedOut ? 'TIMEOUT' : 'FAILED');
  const message = `${ENDED_BY_EXECUTION_MESSAGE} (${execution.status}${execution.error ? `: ${execution.error}` : ''}); ${outcome.message}`;
  const ended = await deps.store.fail(p.id, p.attempt, outcome.status, outcome.code, message, deps.clock.now());
  if (!ended) return null;
  deps.observer.metrics.add(timedOut ? 'timeout' : 'failed', 1);
  deps.observer.metrics.addWith(timedOut ? 'timeout' : 'failed', 1, { name: 'type', value: p.type });
  deps.observer.logger.error('処理の実行が結果を記録せずに終了したため、処理を終了しました', {
    processId: p.id,
    userId: p.userId,
    type: p.type,
    status: ended.status,
    progress: ended.progress,
    errorCode: outcome.code,
    executionStatus: execution.status,
    executionError: execution.error,
  });
  return ended;
}

/**
 * startAttempt for a start that may come after the attempt's execution has run already (a
 * repeated, concurrent or late start): if the name belongs to an execution that has ended, the
 * process ends the way it did, unless the worker recorded that itself. `ended` says whether this
 * call ended it.
 */
export async function ensureStarted(deps: AttemptDeps, p: ProcessRecord): Promise<{ process: ProcessRecord; ended: boolean }> {
  try {
    return { process: await startAttempt(deps, p), ended: false };
  } catch (err) {
    if (!(err instanceof ExecutionAlreadyEndedError)) throw err;
    const execution = await deps.workflow.describe(err.executionArn);
    const ended = execution && execution.status !== 'RUNNING' ? await endWithExecution(deps, p, execution) : null;
    return { process: ended ?? (await deps.store.get(p.id)) ?? p, ended: !!ended };
  }
}
