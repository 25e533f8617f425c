/**
 * Retry (RetryHandler): a FAILED or TIMEOUT process starts a new attempt and a new execution,
 * at most API.retryCap times. If the execution cannot be started, the process is put back
 * exactly as it was (the failed start does not count) and the client gets 503.
 *
 * A retry whose new attempt is PENDING with no recorded execution (the start of that attempt was
 * lost: the function died between the two) is answered by starting that attempt, under its
 * deterministic execution name, rather than with 409: the client asked for exactly that.
 */
import { API } from '../../../guide';
import { InvalidStateError, NotFoundError, RetryLimitExceededError, ServiceUnavailableError } from '../domain/errors';
import type { ProcessRecord } from '../domain/process';
import { WorkflowUnavailableError, type UseCaseContext, type WorkflowStarter } from '../ports';
import { ensureStarted } from './attempts';

const lostRetryStart = (p: ProcessRecord) => p.status === 'PENDING' && p.executionArn === null && p.retryCount > 0;

export async function retryProcess(
  deps: UseCaseContext & { workflow: WorkflowStarter },
  cmd: { userId: string; processId: string },
): Promise<ProcessRecord> {
  const outcome = await deps.store.beginRetry(cmd.processId, cmd.userId, API.retryCap, deps.clock.now());
  switch (outcome.kind) {
    case 'not-found':
      throw new NotFoundError();
    case 'invalid-state':
      if (lostRetryStart(outcome.process)) return resumeLostStart(deps, outcome.process);
      throw new InvalidStateError(`Only FAILED or TIMEOUT processes can be retried; this one is ${outcome.process.status}`);
    case 'limit-reached':
      throw new RetryLimitExceededError(`This process was already retried ${outcome.process.retryCount} times (limit ${API.retryCap})`);
  }
  const { process, previous } = outcome;
  try {
    const { process: current } = await ensureStarted(deps, process);
    deps.observer.logger.info('処理を再試行しました', {
      processId: process.id,
      type: process.type,
      status: current.status,
      attempt: process.attempt,
      retryCount: process.retryCount,
    });
    return current;
  } catch (err) {
    // Whatever went wrong, the process goes back to what it was rather than wait in PENDING.
    const reverted = await deps.store.revertRetry(previous, deps.clock.now());
    deps.observer.logger.error('The workflow could not be started: retry undone', {
      processId: process.id,
      reverted: !!reverted,
      error: err as Error,
    });
    if (!(err instanceof WorkflowUnavailableError)) throw err;
    throw new ServiceUnavailableError('The workflow service is unavailable; the retry was not started. Try again.');
  }
}

async function resumeLostStart(deps: UseCaseContext & { workflow: WorkflowStarter }, process: ProcessRecord): Promise<ProcessRecord> {
  deps.observer.logger.warn('Retry of a process whose new attempt was never started: starting it', {
    processId: process.id,
    attempt: process.attempt,
  });
  try {
    return (await ensureStarted(deps, process)).process;
  } catch (err) {
    // Nothing to undo: the attempt stays PENDING and the queue monitor starts it if the client does not.
    if (!(err instanceof WorkflowUnavailableError)) throw err;
    throw new ServiceUnavailableError('The workflow service is unavailable; the retry was not started. Try again.');
  }
}
