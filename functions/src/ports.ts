/**
 * The ports the use cases depend on. Handlers wire them to real adapters (pg, Step Functions,
 * Bedrock); the local runtime wires the same adapters to local endpoints; tests inject them.
 */
import type { ProcessErrorCode, ProcessStatus, ProcessType } from '../../guide';
import type { ProcessRecord } from './domain/process';
import type { Observer } from './observability/observer';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What the state machine receives for one attempt. */
export interface WorkflowInput {
  processId: string;
  userId: string;
  type: ProcessType;
  attempt: number;
}

/** An execution as Step Functions describes it. */
export interface ExecutionState {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** The error it ended with (e.g. `DatabaseError`), if any. */
  error?: string;
}

export interface WorkflowStarter {
  /**
   * Starts (or, with the same name and input while it runs, finds) the execution of one attempt.
   * Throws ExecutionAlreadyEndedError when an execution of that name has ended already.
   */
  start(executionName: string, input: WorkflowInput): Promise<{ executionArn: string }>;
  /** Stops an execution; stopping one that already ended is not an error. */
  stop(executionArn: string, cause: string): Promise<void>;
  /** The execution's state, or null when Step Functions has no such execution. */
  describe(executionArn: string): Promise<ExecutionState | null>;
}

/** Thrown by a WorkflowStarter when Step Functions cannot be reached or refuses for now. */
export class WorkflowUnavailableError extends Error {
  override readonly name = 'WorkflowUnavailableError';
}

/** Thrown by `start` when the name belongs to an execution that has ended (names are never reused). */
export class ExecutionAlreadyEndedError extends Error {
  override readonly name = 'ExecutionAlreadyEndedError';
  constructor(readonly executionArn: string) {
    super(`An execution with this name has ended already: ${executionArn}`);
  }
}

export interface ModelRequest {
  system: string;
  prompt: string;
  maxTokens: number;
}

export interface ModelCallOptions {
  /**
   * When the call must give up, with all its attempts: the step's own time less the margin for
   * recording its outcome. Reached, the call throws WorkflowError StepTimedOut.
   */
  deadline: Date;
}

export interface AiModel {
  /** Returns the model's text answer; throws WorkflowError (ModelThrottled, StepTimedOut, …) on failure. */
  generate(request: ModelRequest, options: ModelCallOptions): Promise<string>;
}

export interface CreateProcess {
  id: string;
  userId: string;
  type: ProcessType;
  input: Record<string, unknown>;
  idempotencyKey?: string;
  requestHash?: string;
  now: Date;
}

export type RetryOutcome =
  | { kind: 'retried'; process: ProcessRecord; previous: ProcessRecord }
  | { kind: 'not-found' }
  | { kind: 'invalid-state'; process: ProcessRecord }
  | { kind: 'limit-reached'; process: ProcessRecord };

export type CancelOutcome =
  | { kind: 'cancelled'; process: ProcessRecord }
  | { kind: 'already-cancelled'; process: ProcessRecord }
  | { kind: 'not-found' }
  | { kind: 'invalid-state'; process: ProcessRecord };

export interface QueueDepth {
  pending: number;
  processing: number;
  /** Age in seconds of the oldest waiting or running attempt; 0 when none. */
  oldestActiveAgeSeconds: number;
}

/**
 * `processing_state`, as the use cases need it (ProcessingStateService on PostgreSQL). Every
 * status change is conditional: a write that lost a race changes nothing and returns null.
 */
export interface StateStore {
  /** Creates a PENDING process, or returns the one created earlier under the same idempotency key. */
  create(p: CreateProcess): Promise<{ process: ProcessRecord; created: boolean }>;
  get(id: string): Promise<ProcessRecord | null>;
  /** A user's process; another user's process is indistinguishable from a missing one. */
  getForUser(id: string, userId: string): Promise<ProcessRecord | null>;
  recordExecution(id: string, attempt: number, executionName: string, executionArn: string, now: Date): Promise<ProcessRecord | null>;
  /** Removes a still-PENDING first attempt whose workflow could not be started. */
  discardUnstarted(id: string): Promise<boolean>;
  beginRetry(id: string, userId: string, retryCap: number, now: Date): Promise<RetryOutcome>;
  revertRetry(previous: ProcessRecord, now: Date): Promise<ProcessRecord | null>;
  cancel(id: string, userId: string, now: Date): Promise<CancelOutcome>;
  markProcessing(id: string, attempt: number, now: Date): Promise<ProcessRecord | null>;
  appendSlice(id: string, attempt: number, step: number, slice: unknown, progress: number, now: Date): Promise<ProcessRecord | null>;
  complete(id: string, attempt: number, result: Record<string, unknown>, now: Date): Promise<ProcessRecord | null>;
  fail(
    id: string,
    attempt: number,
    status: Extract<ProcessStatus, 'FAILED' | 'TIMEOUT'>,
    code: ProcessErrorCode,
    message: string,
    now: Date,
  ): Promise<ProcessRecord | null>;
  /** Ends as TIMEOUT every attempt active for longer than `maxAgeSeconds`. */
  sweepStale(maxAgeSeconds: number, now: Date): Promise<ProcessRecord[]>;
  queueDepth(now: Date): Promise<QueueDepth>;
  /** PENDING attempts with no recorded execution, started more than `olderThanSeconds` ago, oldest first. */
  unstartedAttempts(olderThanSeconds: number, now: Date, limit: number): Promise<ProcessRecord[]>;
  /** Active attempts with a recorded execution that have written nothing for `quietForSeconds`, quietest first. */
  quietAttempts(quietForSeconds: number, now: Date, limit: number): Promise<ProcessRecord[]>;
}

export interface CleanupRun {
  now: Date;
  /** Stop starting new batches after this time (the maintenance window's end). */
  deadline?: Date;
  onBatch?: (deleted: number, batchMs: number) => void;
}

export interface CleanupReport {
  /** False when another cleaner holds the lock: this run did nothing. */
  ran: boolean;
  deleted: number;
  batches: number;
  /** Batches that gave up on a lock wait and were retried later in the run. */
  lockTimeouts: number;
  longestBatchMs: number;
}

export interface CapacityReport {
  tableBytes: number;
  indexBytes: number;
  rowsByStatus: Record<string, number>;
  oldestCreatedAt: string | null;
}

/** The database's own upkeep (定期メンテナンス), for the maintenance use cases. */
export interface MaintenanceStore {
  /** Deletes terminal processes past the retention, in batches, one cleaner at a time. */
  cleanupExpired(run: CleanupRun): Promise<CleanupReport>;
  /** Rebuilds the tables' indexes without blocking writers and refreshes the planner's statistics; returns the tables. */
  optimiseIndexes(): Promise<string[]>;
  capacity(): Promise<CapacityReport>;
}

/** A maintenance task's heartbeat: its last success and when it is due again. */
export interface MaintenanceRun {
  readonly task: string;
  readonly succeededAt: Date | null;
  readonly dueAt: Date;
}

/** The maintenance heartbeat's record (MaintenanceSucceeded / MaintenanceOverdue). */
export interface MaintenanceHeartbeats {
  /** A success at `at`: due again at `due`. Written by ProcessingCleanup. */
  recordSuccess(task: string, at: Date, due: Date): Promise<void>;
  /** Every task's record; a task seen for the first time gets one, due at `firstDue(task)`. Read by the queue monitor. */
  runs(tasks: readonly string[], firstDue: (task: string) => Date): Promise<MaintenanceRun[]>;
}

export interface UseCaseContext {
  store: StateStore;
  clock: Clock;
  observer: Observer;
}
