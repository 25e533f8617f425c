/**
 * Retry (RetryHandler): a FAILED or TIMEOUT process starts a new attempt and a new execution,
 * at most API.retryCap times. If the execution cannot be started, the process is put back
 * exactly as it was (the failed start does not count) and the client gets 503.
 */
import { API } from '../../../guide';
import { InvalidStateError, NotFoundError, RetryLimitExceededError, ServiceUnavailableError } from '../domain/errors';
import { executionNameFor, type ProcessRecord } from '../domain/process';
import { WorkflowUnavailableError, type UseCaseContext, type WorkflowStarter } from '../ports';

export async function retryProcess(
  deps: UseCaseContext & { workflow: WorkflowStarter },
  cmd: { userId: string; processId: string },
): Promise<ProcessRecord> {
  const outcome = await deps.store.beginRetry(cmd.processId, cmd.userId, API.retryCap, deps.clock.now());
  switch (outcome.kind) {
    case 'not-found':
      throw new NotFoundError();
    case 'invalid-state':
      throw new InvalidStateError(`Only FAILED or TIMEOUT processes can be retried; this one is ${outcome.process.status}`);
    case 'limit-reached':
      throw new RetryLimitExceededError(`This process was already retried ${outcome.process.retryCount} times (limit ${API.retryCap})`);
  }
  const { process, previous } = outcome;
  const executionName = executionNameFor(process.id, process.attempt);
  try {
    const { executionArn } = await deps.workflow.start(executionName, {
      processId: process.id, userId: process.userId, type: process.type, attempt: process.attempt,
    });
    const recorded = await deps.store.recordExecution(process.id, process.attempt, executionName, executionArn, deps.clock.now());
    deps.observer.metrics.add('started', 1);
    deps.observer.metrics.addWith('started', 1, { name: 'type', value: process.type });
    deps.observer.logger.info('処理を再試行しました', {
      processId: process.id, type: process.type, status: process.status, attempt: process.attempt, retryCount: process.retryCount,
    });
    return recorded ?? process;
  } catch (err) {
    // Whatever went wrong, the process goes back to what it was rather than wait in PENDING.
    const reverted = await deps.store.revertRetry(previous, deps.clock.now());
    deps.observer.logger.error('The workflow could not be started: retry undone', { processId: process.id, reverted: !!reverted, error: err as Error });
    if (!(err instanceof WorkflowUnavailableError)) throw err;
    throw new ServiceUnavailableError('The workflow service is unavailable; the retry was not started. Try again.');
  }
}
