/**
 * AIGenerationWorker: invoked by AIGenerationStateMachine with `{action, processId, userId, type,
 * attempt}` (plus `status` and `error` for `fail`). Errors leave with the names the state
 * machine's Retry/Catch match on: a database that cannot be reached is `DatabaseError` (retried),
 * one that refuses a statement is `DatabaseRejected` (not retried); both end DATABASE_ERROR. A model
 * call may take the step's time (Lambda's remaining time, at most the step timeout) less a margin;
 * one that does not answer by then ends the step `StepTimedOut`, caught as a timeout.
 */
import type { Context } from 'aws-lambda';
import { PROCESS_TYPES } from '../../../guide';
import { DatabaseUnavailableError, WORKFLOW_ERRORS, WorkflowError } from '../domain/errors';
import { createObserver } from '../observability/observer';
import type { WorkflowInput } from '../ports';
import { getDependencies } from '../runtime/deps';
import { asDomainError, isDatabaseRejection } from '../runtime/errors';
import type { WorkerAction } from '../workflow/definition';
import {
  beginAttempt,
  completeAttempt,
  failAttempt,
  generateStep,
  modelDeadline,
  type CaughtError,
  type StepState,
} from '../usecases/worker';

export interface WorkerEvent extends WorkflowInput {
  action: WorkerAction;
  status?: 'FAILED' | 'TIMEOUT';
  error?: CaughtError;
}

function validate(event: WorkerEvent): void {
  const ok =
    event &&
    ['begin', 'generate', 'complete', 'fail'].includes(event.action) &&
    typeof event.processId === 'string' &&
    Number.isInteger(event.attempt) &&
    (PROCESS_TYPES as readonly string[]).includes(event.type);
  // Not retryable: a malformed event will not get better. Caught as States.ALL → FAILED.
  if (!ok) throw new WorkflowError(WORKFLOW_ERRORS.modelRejected, `Malformed worker event: ${JSON.stringify(event).slice(0, 200)}`);
}

export async function handler(event: WorkerEvent, context?: Context): Promise<StepState> {
  const started = Date.now();
  validate(event);
  const observer = createObserver({
    processId: event.processId,
    userId: event.userId,
    type: event.type,
    attempt: event.attempt,
    action: event.action,
  });
  try {
    const deps = await getDependencies();
    const deadline = modelDeadline(started, deps.stepTimeoutMs, context?.getRemainingTimeInMillis?.());
    const ctx = { store: deps.store, clock: deps.clock, observer, model: deps.model(), deadline };
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
  } catch (caught) {
    if (caught instanceof WorkflowError) {
      observer.logger.warn(`Step failed: ${caught.name}`, { reason: caught.message });
      throw caught;
    }
    if (asDomainError(caught) instanceof DatabaseUnavailableError) {
      observer.logger.error('Database unavailable', { error: caught as Error });
      throw new WorkflowError(WORKFLOW_ERRORS.database, 'The database could not be reached', { cause: caught });
    }
    if (isDatabaseRejection(caught)) {
      observer.logger.error('The database refused a statement', { error: caught, sqlState: caught.code });
      throw new WorkflowError(WORKFLOW_ERRORS.databaseRejected, `The database refused the statement (SQLSTATE ${caught.code})`, {
        cause: caught,
      });
    }
    observer.logger.error('Step failed unexpectedly', { error: caught as Error });
    throw caught;
  } finally {
    observer.metrics.flush();
  }
}
