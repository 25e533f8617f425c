/**
 * Start a process (AsyncProcessingHandler): validate, create idempotently, start the workflow.
 *
 * If Step Functions cannot be reached, nothing is kept: the new row is removed and the client
 * gets 503 SERVICE_UNAVAILABLE, so trying again (with the same Idempotency-Key, too) simply
 * works. A duplicate request (same key and body) gets the existing process; if that process is
 * still PENDING with no recorded execution (the first request's start was lost, e.g. the
 * runtime or the Lambda died between the insert and StartExecution), the duplicate starts it,
 * under the same deterministic execution name, so it never waits for the sweeper.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ServiceUnavailableError, ValidationError } from '../domain/errors';
import type { ProcessRecord } from '../domain/process';
import { describeIssues, startRequestSchema } from '../domain/schemas';
import { WorkflowUnavailableError, type UseCaseContext, type WorkflowStarter } from '../ports';
import { ensureStarted } from './attempts';

export interface StartProcessCommand {
  userId: string;
  body: unknown;
  idempotencyKey?: string;
}

export interface StartProcessDeps extends UseCaseContext {
  workflow: WorkflowStarter;
  newId?: () => string;
}

/** 1-255 visible ASCII characters (the OpenAPI document states the same pattern). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

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

/** What identifies a request's body under its Idempotency-Key. */
export const requestHashOf = (type: string, input: unknown): string =>
  createHash('sha256').update(canonicalJson({ type, input })).digest('hex');

/** A PENDING attempt that no execution was recorded for: its start was lost, or is still on its way. */
const unstarted = (p: ProcessRecord) => p.status === 'PENDING' && p.executionArn === null;

export async function startProcess(
  deps: StartProcessDeps,
  cmd: StartProcessCommand,
): Promise<{ process: ProcessRecord; created: boolean }> {
  if (cmd.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(cmd.idempotencyKey)) {
    throw new ValidationError('Idempotency-Key must be 1-255 visible ASCII characters');
  }
  const parsed = startRequestSchema.safeParse(cmd.body);
  if (!parsed.success) {
    const { message, details } = describeIssues(parsed.error);
    throw new ValidationError(message, details);
  }
  const { type, input } = parsed.data;
  const requestHash = cmd.idempotencyKey ? requestHashOf(type, input) : undefined;

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
  if (!created && !unstarted(process)) {
    log.info('Idempotent repeat: returning the existing process', { processId: process.id, status: process.status });
    return { process, created };
  }
  if (!created) log.warn('Idempotent repeat of a process whose workflow was never recorded: starting it', { processId: process.id });

  try {
    const { process: current } = await ensureStarted(deps, process);
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
