/**
 * Scheduled maintenance: the queue monitor (every minute: QueueDepth, oldest active age, and the
 * sweeper that ends attempts past the workflow timeout) and the weekly cleanup.
 */
import type { Pool } from 'pg';
import { DESIGN } from '../../../guide';
import type { UseCaseContext } from '../ports';
import { cleanupExpiredProcesses, type CleanupReport } from '../state/cleanup';

export interface QueueMonitorOptions {
  /** Attempts active longer than this are ended TIMEOUT; default workflow timeout + grace. */
  maxActiveSeconds?: number;
}

export async function monitorQueue(deps: UseCaseContext, opts: QueueMonitorOptions = {}) {
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
  const depth = await deps.store.queueDepth(now);
  metrics.add('queueDepth', depth.pending + depth.processing);
  metrics.add('oldestActiveAge', depth.oldestActiveAgeSeconds);
  logger.info('Queue depth published', { queueDepth: depth.pending + depth.processing, ...depth, swept: swept.length });
  return { ...depth, swept: swept.map((p) => p.id) };
}

export async function runCleanup(deps: UseCaseContext & { pool: Pool }, opts: { deadline?: Date } = {}): Promise<CleanupReport> {
  const report = await cleanupExpiredProcesses(deps.pool, {
    now: deps.clock.now(),
    deadline: opts.deadline,
    onBatch: (deleted, ms) => deps.observer.logger.debug('Cleanup batch', { deleted, duration: ms }),
  });
  deps.observer.logger.info(report.ran ? '古い処理レコードのクリーンアップが完了しました' : 'Cleanup skipped: another cleaner is running', { ...report });
  return report;
}
