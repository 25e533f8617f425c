/**
 * Factories for processes: valid inputs and results per type (DESIGN.md §4), and rows brought to
 * any status through the real ProcessingStateService, the way the API and the worker get there.
 */
import { randomUUID } from 'node:crypto';
import type { ProcessStatus, ProcessType } from '../guide';
import type { ProcessRecord } from '../functions/src/domain/process';
import type { StateStore } from '../functions/src/ports';
import { requestHashOf } from '../functions/src/usecases/start-process';

export const newUserId = (): string => `user-${randomUUID()}`;

export const VALID_INPUTS: Record<ProcessType, Record<string, unknown>> = {
  SUBGOAL_GENERATION: { goal: { title: 'Run a marathon', description: 'Finish a full marathon', deadline: '2027-03-01' } },
  ACTION_GENERATION: { goal: { title: 'Run a marathon' }, subgoal: { title: 'Build endurance', description: 'Run longer every week' } },
  TASK_GENERATION: { action: { title: 'Run 5 km three times a week', kind: 'habit' } },
};

export const startBody = (type: ProcessType = 'SUBGOAL_GENERATION', input: Record<string, unknown> = VALID_INPUTS[type]) => ({
  type,
  input,
});

const items = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: n }, (_, i) => ({ title: `Item ${i + 1}`, description: `Description ${i + 1}`, ...extra(i) }));

export const VALID_RESULTS: Record<ProcessType, Record<string, unknown>> = {
  SUBGOAL_GENERATION: { subgoals: items(8) },
  ACTION_GENERATION: { actions: items(8, (i) => ({ kind: i % 2 ? 'habit' : 'execution' })) },
  TASK_GENERATION: { tasks: items(3, () => ({ estimatedMinutes: 30 })) },
};

export interface SeedOptions {
  userId?: string;
  type?: ProcessType;
  status?: ProcessStatus;
  now?: Date;
  /** Record an execution for the attempt, as a successful start does. */
  withExecution?: boolean;
  /** Created under this Idempotency-Key, with the request hash the start API computes for the body. */
  idempotencyKey?: string;
}

/** Creates a process and moves it to `status` with the service's own transitions. */
export async function seedProcess(store: StateStore, opts: SeedOptions = {}): Promise<ProcessRecord> {
  const now = opts.now ?? new Date();
  const type = opts.type ?? 'SUBGOAL_GENERATION';
  const userId = opts.userId ?? newUserId();
  const keyed = opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey, requestHash: requestHashOf(type, VALID_INPUTS[type]) } : {};
  let { process: p } = await store.create({ id: randomUUID(), userId, type, input: VALID_INPUTS[type], now, ...keyed });
  if (opts.withExecution ?? true) {
    p = (await store.recordExecution(
      p.id,
      p.attempt,
      `${p.id}-a${p.attempt}`,
      `arn:aws:states:::execution:AIGenerationStateMachine:${p.id}-a${p.attempt}`,
      now,
    ))!;
  }
  const status = opts.status ?? 'PENDING';
  if (status === 'PENDING') return p;
  if (status === 'CANCELLED') return expectOutcome(await store.cancel(p.id, userId, now), 'cancelled');
  p = must(await store.markProcessing(p.id, p.attempt, now), 'markProcessing');
  switch (status) {
    case 'PROCESSING':
      return p;
    case 'COMPLETED':
      return must(await store.complete(p.id, p.attempt, VALID_RESULTS[type], now), 'complete');
    case 'FAILED':
      return must(await store.fail(p.id, p.attempt, 'FAILED', 'AI_ERROR', 'The AI model rejected the request', now), 'fail');
    case 'TIMEOUT':
      return must(await store.fail(p.id, p.attempt, 'TIMEOUT', 'TIMEOUT_ERROR', 'A processing step ran past its timeout', now), 'fail');
  }
}

/** Ends the running attempt of `p` as FAILED (what the worker's MarkFailed does). */
export async function failCurrentAttempt(store: StateStore, id: string, now = new Date()): Promise<ProcessRecord> {
  const current = must(await store.get(id), 'get');
  must(await store.markProcessing(id, current.attempt, now), 'markProcessing');
  return must(await store.fail(id, current.attempt, 'FAILED', 'AI_ERROR', 'The AI model rejected the request', now), 'fail');
}

function must<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`seed: ${what} changed nothing`);
  return value;
}

function expectOutcome(outcome: { kind: string; process?: ProcessRecord }, kind: string): ProcessRecord {
  if (outcome.kind !== kind || !outcome.process) throw new Error(`seed: expected ${kind}, got ${outcome.kind}`);
  return outcome.process;
}
