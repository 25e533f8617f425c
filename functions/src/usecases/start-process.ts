/**
 * Start a process (AsyncProcessingHandler): validate, create idempotently, start the workflow.
 *
 * If Step Functions cannot be reached, nothing is kept: the new row is removed and the client
 * gets 503 SERVICE_UNAVAILABLE, so trying again (with the same Idempotency-Key, too) simply
 * works. A duplicate request (same key and body) gets the existing process and starts nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ServiceUnavailableError, ValidationError } from '../domain/errors';
import { executionNameFor, type ProcessRecord } from '../domain/process';
import { describeIssues, startRequestSchema } from '../domain/schemas';
import { WorkflowUnavailableError, type UseCaseContext, type WorkflowStarter } from '../ports';

export interface StartProcessCommand {
  userId: string;
  body: unknown;
  idempotencyKey?: string;
}

export interface StartProcessDeps extends UseCaseContext {
  workflow: WorkflowStarter;
  newId?: () => string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Canonical JSON (sorted keys) so `{a,b}` and `{b,a}` hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export async function startProcess(deps: StartProcessDeps, cmd: StartProcessCommand): Promise<{ process: ProcessRecord; created: boolean }> {
  if (cmd.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(cmd.idempotencyKey)) {
    throw new ValidationError('Idempotency-Key must be 1-255 visible ASCII characters');
  }
  const parsed = startRequestSchema.safeParse(cmd.body);
  if (!parsed.success) {
    const { message, details } = describeIssues(parsed.error);
    throw new ValidationError(message, details);
  }
  const { type, input } = parsed.data;
  const requestHash = cmd.idempotencyKey ? createHash('sha256').update(canonicalJson({ type, input })).digest('hex') : undefined;

  const { process, created } = await deps.store.create({
    id: (deps.newId ?? randomUUID)(),
    userId: cmd.userId,
    type,
    input,
    idempotencyKey: cmd.idempotencyKey,
    requestHash,
    now: deps.clock.now(),
  });
  const log = deps.observer.logger;
  if (!created) {
    log.info('Idempotent repeat: returning the existing process', { processId: process.id, status: process.status });
    return { process, created };
  }

  const executionName = executionNameFor(process.id, process.attempt);
  try {
    const { executionArn } = await deps.workflow.start(executionName, { processId: process.id, userId: cmd.userId, type, attempt: process.attempt });
    const recorded = await deps.store.recordExecution(process.id, process.attempt, executionName, executionArn, deps.clock.now());
    deps.observer.metrics.add('started', 1);
    deps.observer.metrics.addWith('started', 1, { name: 'type', value: type });
    // The worker may already have moved the row on; return the freshest view.
    const current = recorded ?? process;
    log.info('非同期処理を開始しました', { processId: current.id, type, status: current.status, progress: current.progress });
    return { process: current, created };
  } catch (err) {
    // Whatever went wrong, no row may wait for a workflow that never started.
    const removed = await deps.store.discardUnstarted(process.id);
    log.error('The workflow could not be started: process not kept', { processId: process.id, type, removed, error: err as Error });
    if (!(err instanceof WorkflowUnavailableError)) throw err;
    throw new ServiceUnavailableError('The workflow service is unavailable; nothing was started. Try again.');
  }
}
