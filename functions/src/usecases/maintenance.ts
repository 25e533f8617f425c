/**
 * Scheduled maintenance: the queue monitor (every minute: QueueDepth and the oldest active age as
 * found, the maintenance heartbeats, then the sweeper that ends attempts past the workflow timeout
 * and the pass that brings lost or ended executions back (reconcile.ts)) and the weekly and monthly
 * database upkeep, which records its heartbeat on success.
 */
import { DESIGN, MAINTENANCE_EVENTS, TASK_DIMENSION } from '../../../guide';
import { nextDue, type MaintenanceTask } from '../maintenance/windows';
import type { ProcessRecord } from '../domain/process';
import type { CapacityReport, CleanupReport, MaintenanceHeartbeats, MaintenanceStore, UseCaseContext } from '../ports';
import type { AttemptDeps } from './attempts';
import { reconcileAttempts, type ReconcileOptions } from './reconcile';

export interface QueueMonitorOptions extends ReconcileOptions {
  /** Attempts active longer than this are ended TIMEOUT; default workflow timeout + grace. */
  maxActiveSeconds?: number;
}

export async function monitorQueue(deps: AttemptDeps & { heartbeats?: MaintenanceHeartbeats }, opts: QueueMonitorOptions = {}) {
  const now = deps.clock.now();
  const maxActiveSeconds = opts.maxActiveSeconds ?? DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds;
  const { metrics, logger } = deps.observer;
  // First what the alarms read, as found: a process past every timeout shows in the oldest age at
  // least once before the sweep below ends it (processes-stuck), and the queue as it stood.
  const depth = await deps.store.queueDepth(now);
  metrics.add('queueDepth', depth.pending + depth.processing);
  metrics.add('oldestActiveAge', depth.oldestActiveAgeSeconds);
  if (deps.heartbeats) await publishHeartbeats(deps.heartbeats, deps.observer, now);
  let swept: ProcessRecord[] = [];
  try {
    swept = await deps.store.sweepStale(maxActiveSeconds, now);
  } catch (err) {
    // The figures above are out: a sweep that cannot end its rows shows as the oldest age growing.
    logger.error('The sweeper could not end the stale processes', { error: err as Error, maxActiveSeconds });
  }
  metrics.add('swept', swept.length);
  for (const p of swept) {
    metrics.add('timeout', 1);
    metrics.addWith('timeout', 1, { name: 'type', value: p.type });
    logger.error('処理が制限時間内に終了しなかったためタイムアウトにしました', {
      processId: p.id,
      userId: p.userId,
      type: p.type,
      status: p.status,
      progress: p.progress,
      errorCode: p.errorCode,
    });
  }
  const reconciled = await reconcileAttempts(deps, opts);
  logger.info('Queue depth published', {
    queueDepth: depth.pending + depth.processing,
    ...depth,
    swept: swept.length,
    started: reconciled.started.length,
    restarted: reconciled.restarted.length,
    ended: reconciled.ended.length,
    deferred: reconciled.deferred,
  });
  return { ...depth, swept: swept.map((p) => p.id), ...reconciled };
}

/** MaintenanceOverdue per task: seconds past due of its last success (0 while it is not due). */
async function publishHeartbeats(heartbeats: MaintenanceHeartbeats, observer: UseCaseContext['observer'], now: Date): Promise<void> {
  const tasks = Object.values(MAINTENANCE_EVENTS).map((e) => e.task);
  for (const run of await heartbeats.runs(tasks, (task) => nextDue(task as MaintenanceTask, now))) {
    const overdue = Math.max(0, Math.round((now.getTime() - run.dueAt.getTime()) / 1000));
    observer.metrics.addWith('maintenanceOverdue', overdue, { name: TASK_DIMENSION, value: run.task });
  }
}

type MaintenanceDeps = Pick<UseCaseContext, 'clock' | 'observer'> & { maintenance: MaintenanceStore };

/** A maintenance task succeeded: MaintenanceSucceeded, and its heartbeat is due at the end of its next window. */
export async function recordMaintenance(
  deps: Pick<UseCaseContext, 'clock' | 'observer'> & { heartbeats: MaintenanceHeartbeats },
  task: MaintenanceTask,
): Promise<void> {
  const now = deps.clock.now();
  await deps.heartbeats.recordSuccess(task, now, nextDue(task, now));
  deps.observer.metrics.addWith('maintenanceSucceeded', 1, { name: TASK_DIMENSION, value: task });
}

/**
 * Weekly index maintenance (データベースインデックスの最適化): rebuild the tables' indexes without
 * blocking writers and refresh the planner's statistics.
 */
export async function optimiseIndexes(deps: MaintenanceDeps): Promise<{ reindexed: string[]; durationMs: number }> {
  const started = Date.now();
  const tables = await deps.maintenance.optimiseIndexes();
  const durationMs = Date.now() - started;
  // Not `duration`: that field is a process's completion time (the DurationByType saved query reads it).
  deps.observer.logger.info('データベースインデックスの最適化が完了しました', { tables, elapsedMs: durationMs });
  return { reindexed: tables, durationMs };
}

/**
 * Monthly window (月次メンテナンス): backup verification and patching are AWS Backup's and RDS's;
 * the function records what capacity planning (データベース容量, reviewed every 6 months) needs.
 */
export async function capacityReport(deps: MaintenanceDeps): Promise<CapacityReport> {
  const report = await deps.maintenance.capacity();
  deps.observer.logger.info('Monthly capacity report', { ...report });
  return report;
}

export async function runCleanup(deps: MaintenanceDeps, opts: { deadline?: Date } = {}): Promise<CleanupReport> {
  const report = await deps.maintenance.cleanupExpired({
    now: deps.clock.now(),
    deadline: opts.deadline,
    onBatch: (deleted, ms) => deps.observer.logger.debug('Cleanup batch', { deleted, duration: ms }),
  });
  deps.observer.logger.info(report.ran ? '古い処理レコードのクリーンアップが完了しました' : 'Cleanup skipped: another cleaner is running', {
    ...report,
  });
  return report;
}
