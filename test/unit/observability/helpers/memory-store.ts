/**
 * An in-memory stand-in for ProcessingStateService with the same transitions, so a unit test can
 * walk processes through the real handlers and see the metrics they print. It is no test of the
 * state logic (the integration tests run the real service on PostgreSQL); it only has to reach
 * every place that emits a metric.
 */
import type { ProcessErrorCode, ProcessStatus } from '../../../../guide';
import { ACTIVE_STATUSES, RETRYABLE_STATUSES } from '../../../../guide';
import type { ProcessRecord } from '../../../../functions/src/domain/process';
import type {
  CancelOutcome,
  CapacityReport,
  CleanupReport,
  CreateProcess,
  MaintenanceHeartbeats,
  MaintenanceRun,
  MaintenanceStore,
  QueueDepth,
  RetryOutcome,
  StateStore,
} from '../../../../functions/src/ports';

const isActive = (s: ProcessStatus) => (ACTIVE_STATUSES as readonly string[]).includes(s);

export class MemoryStore implements StateStore {
  readonly rows = new Map<string, ProcessRecord>();

  private update(id: string, when: (p: ProcessRecord) => boolean, change: Partial<ProcessRecord>): ProcessRecord | null {
    const p = this.rows.get(id);
    if (!p || !when(p)) return null;
    const next = { ...p, ...change };
    this.rows.set(id, next);
    return { ...next };
  }

  async create(c: CreateProcess): Promise<{ process: ProcessRecord; created: boolean }> {
    const p: ProcessRecord = {
      id: c.id,
      userId: c.userId,
      type: c.type,
      status: 'PENDING',
      progress: 0,
      input: c.input,
      result: null,
      partialResult: [],
      errorCode: null,
      errorMessage: null,
      retryCount: 0,
      attempt: 1,
      executionName: null,
      executionArn: null,
      idempotencyKey: c.idempotencyKey ?? null,
      requestHash: c.requestHash ?? null,
      createdAt: c.now,
      updatedAt: c.now,
      startedAt: c.now,
      completedAt: null,
      heartbeatAt: c.now,
    };
    this.rows.set(p.id, p);
    return { process: { ...p }, created: true };
  }

  async get(id: string) {
    const p = this.rows.get(id);
    return p ? { ...p } : null;
  }

  async getForUser(id: string, userId: string) {
    const p = this.rows.get(id);
    return p && p.userId === userId ? { ...p } : null;
  }

  async recordExecution(id: string, attempt: number, executionName: string, executionArn: string, now: Date) {
    return this.update(id, (p) => p.attempt === attempt && p.executionArn === null, { executionName, executionArn, updatedAt: now });
  }

  async discardUnstarted(id: string) {
    return this.rows.delete(id);
  }

  async beginRetry(id: string, userId: string, retryCap: number, now: Date): Promise<RetryOutcome> {
    const previous = await this.getForUser(id, userId);
    if (!previous) return { kind: 'not-found' };
    if (!(RETRYABLE_STATUSES as readonly string[]).includes(previous.status)) return { kind: 'invalid-state', process: previous };
    if (previous.retryCount >= retryCap) return { kind: 'limit-reached', process: previous };
    const process = this.update(id, () => true, {
      status: 'PENDING',
      progress: 0,
      result: null,
      partialResult: [],
      errorCode: null,
      errorMessage: null,
      completedAt: null,
      attempt: previous.attempt + 1,
      retryCount: previous.retryCount + 1,
      executionName: null,
      executionArn: null,
      startedAt: now,
      updatedAt: now,
    })!;
    return { kind: 'retried', process, previous };
  }

  async revertRetry(previous: ProcessRecord) {
    this.rows.set(previous.id, { ...previous });
    return { ...previous };
  }

  async cancel(id: string, userId: string, now: Date): Promise<CancelOutcome> {
    const process = this.update(id, (p) => p.userId === userId && isActive(p.status), {
      status: 'CANCELLED',
      completedAt: now,
      updatedAt: now,
    });
    if (process) return { kind: 'cancelled', process };
    const current = await this.getForUser(id, userId);
    if (!current) return { kind: 'not-found' };
    return current.status === 'CANCELLED' ? { kind: 'already-cancelled', process: current } : { kind: 'invalid-state', process: current };
  }

  async markProcessing(id: string, attempt: number, now: Date) {
    return this.update(id, (p) => p.attempt === attempt && isActive(p.status), {
      status: 'PROCESSING',
      progress: 1,
      heartbeatAt: now,
      updatedAt: now,
    });
  }

  async appendSlice(id: string, attempt: number, step: number, slice: unknown, progress: number, now: Date) {
    const p = this.rows.get(id);
    return this.update(id, (r) => r.attempt === attempt && r.status === 'PROCESSING' && r.partialResult.length === step, {
      partialResult: [...(p?.partialResult ?? []), slice],
      progress,
      updatedAt: now,
    });
  }

  async complete(id: string, attempt: number, result: Record<string, unknown>, now: Date) {
    return this.update(id, (p) => p.attempt === attempt && p.status === 'PROCESSING', {
      status: 'COMPLETED',
      progress: 100,
      result,
      completedAt: now,
      updatedAt: now,
    });
  }

  async fail(id: string, attempt: number, status: 'FAILED' | 'TIMEOUT', code: ProcessErrorCode, message: string, now: Date) {
    return this.update(id, (p) => p.attempt === attempt && isActive(p.status), {
      status,
      errorCode: code,
      errorMessage: message,
      completedAt: now,
      updatedAt: now,
    });
  }

  async sweepStale(maxAgeSeconds: number, now: Date) {
    const stale = [...this.rows.values()].filter(
      (p) => isActive(p.status) && now.getTime() - p.startedAt!.getTime() > maxAgeSeconds * 1000,
    );
    return stale.map(
      (p) => this.update(p.id, () => true, { status: 'TIMEOUT', errorCode: 'TIMEOUT_ERROR', completedAt: now, updatedAt: now })!,
    );
  }

  async unstartedAttempts(olderThanSeconds: number, now: Date, limit: number) {
    return [...this.rows.values()]
      .filter((p) => p.status === 'PENDING' && p.executionArn === null && now.getTime() - p.startedAt!.getTime() > olderThanSeconds * 1000)
      .slice(0, limit)
      .map((p) => ({ ...p }));
  }

  async quietAttempts(quietForSeconds: number, now: Date, limit: number) {
    return [...this.rows.values()]
      .filter((p) => isActive(p.status) && p.executionArn !== null && now.getTime() - p.heartbeatAt!.getTime() > quietForSeconds * 1000)
      .slice(0, limit)
      .map((p) => ({ ...p }));
  }

  async queueDepth(now: Date): Promise<QueueDepth> {
    const active = [...this.rows.values()].filter((p) => isActive(p.status));
    const oldest = Math.min(...active.map((p) => p.startedAt!.getTime()), now.getTime());
    return {
      pending: active.filter((p) => p.status === 'PENDING').length,
      processing: active.filter((p) => p.status === 'PROCESSING').length,
      oldestActiveAgeSeconds: Math.round((now.getTime() - oldest) / 1000),
    };
  }
}

/** The maintenance's store in memory: nothing to clean, and the heartbeat record as a map. */
export class MemoryMaintenance implements MaintenanceStore, MaintenanceHeartbeats {
  readonly records = new Map<string, MaintenanceRun>();

  async cleanupExpired(): Promise<CleanupReport> {
    return { ran: true, deleted: 0, batches: 1, lockTimeouts: 0, longestBatchMs: 0 };
  }

  async optimiseIndexes(): Promise<string[]> {
    return ['processing_state'];
  }

  async capacity(): Promise<CapacityReport> {
    return { tableBytes: 0, indexBytes: 0, rowsByStatus: {}, oldestCreatedAt: null };
  }

  async recordSuccess(task: string, at: Date, due: Date): Promise<void> {
    this.records.set(task, { task, succeededAt: at, dueAt: due });
  }

  async runs(tasks: readonly string[], firstDue: (task: string) => Date): Promise<MaintenanceRun[]> {
    for (const task of tasks) if (!this.records.has(task)) this.records.set(task, { task, succeededAt: null, dueAt: firstDue(task) });
    return tasks.map((t) => ({ ...this.records.get(t)! }));
  }
}
