/**
 * Scheduled maintenance: the queue monitor (every minute: the sweeper that ends attempts past the
 * workflow timeout, the pass that brings lost or ended executions back (reconcile.ts), then
 * QueueDepth and the oldest active age) and the weekly and monthly database upkeep.
 */
import { DESIGN } from '../../../guide';
import type { CapacityReport, CleanupReport, MaintenanceStore, UseCaseContext } from '../ports';
import type { AttemptDeps } from './attempts';
import { reconcileAttempts, type ReconcileOptions } from './reconcile';

export interface QueueMonitorOptions extends ReconcileOptions {
  /** Attempts active longer than this are ended TIMEOUT; default workflow timeout + grace. */
  maxActiveSeconds?: number;
}

export async function monitorQueue(deps: AttemptDeps, opts: QueueMonitorOptions = {}) {
  const now = deps.clock.now();
  const maxActiveSeconds = opts.maxActiveSeconds ?? DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds;
  const swept = await deps.store.sweepStale(maxActiveSeconds, now);
  const { metrics, logger } = deps.observer;
  for (const p of swept) {
    metrics.add('timeout', 1);
    metrics.addWith('timeout', 1, { name: 'type', value: p.type });
    logger.error('処理が制限時間内に終了しなかったためタイムアウトにしました', {
      processId: p.id, userId: p.userId, type: p.type, status: p.status, progress: p.progress, errorCode: p.errorCode,
    });
  }
  const reconciled = await reconcileAttempts(deps, opts);
  const depth = await deps.store.queueDepth(deps.clock.now());
  metrics.add('queueDepth', depth.pending + depth.processing);
  metrics.add('oldestActiveAge', depth.oldestActiveAgeSeconds);
  logger.info('Queue depth published', {
    queueDepth: depth.pending + depth.processing, ...depth, swept: swept.length,
    started: reconciled.started.length, restarted: reconciled.restarted.length, ended: reconciled.ended.length, deferred: reconciled.deferred,
  });
  return { ...depth, swept: swept.map((p) => p.id), ...reconciled };
}

type MaintenanceDeps = Pick<UseCaseContext, 'clock' | 'observer'> & { maintenance: MaintenanceStore };

/**
 * Weekly index maintenance (データベースインデックスの最適化): rebuild the tables' indexes without
 * blocking writers and refresh the planner's statistics.
 */
export async function optimiseIndexes(deps: MaintenanceDeps): Promise<{ reindexed: string[]; durationMs: number }> {
  const started = Date.now();
  const tables = await deps.maintenance.optimiseIndexes();
  const durationMs = Date.now() - started;
  deps.observer.logger.info('データベースインデックスの最適化が完了しました', { tables, duration: durationMs });
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
  deps.observer.logger.info(report.ran ? '古い処理レコードのクリーンアップが完了しました' : 'Cleanup skipped: another cleaner is running', { ...report });
  return report;
}
