/**
 * AIGenerationWorker: invoked by AIGenerationStateMachine with `{action, processId, userId, type,
 * attempt}` (plus `status` and `error` for `fail`). Errors leave with the names the state
 * machine's Retry/Catch match on; a database that cannot be reached is `DatabaseError`.
 */
import type { Context } from 'aws-lambda';
import { PROCESS_TYPES } from '../../../guide';
import { WORKFLOW_ERRORS, WorkflowError } from '../domain/errors';
import { createObserver } from '../observability/observer';
import type { WorkflowInput } from '../ports';
import { getDependencies } from '../runtime/deps';
import { isDatabaseUnavailable } from '../state/errors';
import type { WorkerAction } from '../workflow/definition';
import { beginAttempt, completeAttempt, failAttempt, generateStep, type CaughtError, type StepState } from '../usecases/worker';

export interface WorkerEvent extends WorkflowInput {
  action: WorkerAction;
  status?: 'FAILED' | 'TIMEOUT';
  error?: CaughtError;
}

function validate(event: WorkerEvent): void {
  const ok = event && ['begin', 'generate', 'complete', 'fail'].includes(event.action) && typeof event.processId === 'string'
    && Number.isInteger(event.attempt) && (PROCESS_TYPES as readonly string[]).includes(event.type);
  // Not retryable: a malformed event will not get better. Caught as States.ALL → FAILED.
  if (!ok) throw new WorkflowError(WORKFLOW_ERRORS.modelRejected, `Malformed worker event: ${JSON.stringify(event).slice(0, 200)}`);
}

export async function handler(event: WorkerEvent, _context?: Context): Promise<StepState> {
  validate(event);
  const observer = createObserver({ processId: event.processId, userId: event.userId, type: event.type, attempt: event.attempt, action: event.action });
  try {
    const deps = await getDependencies();
    const ctx = { store: deps.store, clock: deps.clock, observer, model: deps.model() };
    switch (event.action) {
      case 'begin':
        return await beginAttempt(ctx, event);
      case 'generate':
        return await generateStep(ctx, event);
      case 'complete':
        return await completeAttempt(ctx, event);
      case 'fail':
        return await failAttempt(ctx, { ...event, status: event.status ?? 'FAILED' });
    }
  } catch (err) {
    if (isDatabaseUnavailable(err)) {
      observer.logger.error('Database unavailable', { error: err as Error });
      throw new WorkflowError(WORKFLOW_ERRORS.database, 'The database could not be reached', { cause: err });
    }
    if (err instanceof WorkflowError) observer.logger.warn(`Step failed: ${err.name}`, { reason: err.message });
    else observer.logger.error('Step failed unexpectedly', { error: err as Error });
    throw err;
  } finally {
    observer.metrics.flush();
  }
}
