/**
 * Cancel (CancelHandler): the database decides first (one conditional update), then the
 * execution is stopped. If stopping fails, the process is still CANCELLED: the worker re-reads
 * the status around every model call and its conditional writes change nothing.
 */
import { InvalidStateError, NotFoundError } from '../domain/errors';
import type { ProcessRecord } from '../domain/process';
import type { UseCaseContext, WorkflowStarter } from '../ports';

export async function cancelProcess(
  deps: UseCaseContext & { workflow: WorkflowStarter },
  cmd: { userId: string; processId: string },
): Promise<ProcessRecord> {
  const outcome = await deps.store.cancel(cmd.processId, cmd.userId, deps.clock.now());
  switch (outcome.kind) {
    case 'not-found':
      throw new NotFoundError();
    case 'invalid-state':
      throw new InvalidStateError(`Only PENDING or PROCESSING processes can be cancelled; this one is ${outcome.process.status}`);
    case 'already-cancelled':
      return outcome.process;
  }
  const { process } = outcome;
  const log = deps.observer.logger;
  deps.observer.metrics.add('cancelled', 1);
  // By type too, as the other outcomes: the reports count each type's outcomes from these.
  deps.observer.metrics.addWith('cancelled', 1, { name: 'type', value: process.type });
  log.info('処理をキャンセルしました', { processId: process.id, type: process.type, status: process.status, progress: process.progress });
  if (process.executionArn) {
    try {
      await deps.workflow.stop(process.executionArn, 'Cancelled by the user');
    } catch (err) {
      // The row is authoritative; the worker will find CANCELLED and discard its output.
      log.warn('StopExecution failed; the worker will see CANCELLED in the database', { processId: process.id, error: err });
    }
  }
  return process;
}
