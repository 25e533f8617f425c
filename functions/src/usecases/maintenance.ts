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

/**
 * Weekly index maintenance (データベースインデックスの最適化): rebuild the table's indexes without
 * blocking writers (REINDEX CONCURRENTLY) and refresh the planner's statistics.
 */
export async function optimiseIndexes(deps: UseCaseContext & { pool: Pool }): Promise<{ reindexed: string[]; durationMs: number }> {
  const started = Date.now();
  const tables = ['processing_state', 'api_rate_limit'];
  for (const table of tables) {
    await deps.pool.query(`REINDEX TABLE CONCURRENTLY ${table}`);
    await deps.pool.query(`VACUUM (ANALYZE) ${table}`);
  }
  const durationMs = Date.now() - started;
  deps.observer.logger.info('データベースインデックスの最適化が完了しました', { tables, duration: durationMs });
  return { reindexed: tables, durationMs };
}

export interface CapacityReport {
  tableBytes: number;
  indexBytes: number;
  rowsByStatus: Record<string, number>;
  oldestCreatedAt: string | null;
}

/**
 * Monthly window (月次メンテナンス): backup verification and patching are AWS Backup's and RDS's;
 * the function records what capacity planning (データベース容量, reviewed every 6 months) needs.
 */
export async function capacityReport(deps: UseCaseContext & { pool: Pool }): Promise<CapacityReport> {
  const sizes = await deps.pool.query(
    `SELECT pg_table_size('processing_state')::float AS table_bytes, pg_indexes_size('processing_state')::float AS index_bytes,
            (SELECT min(created_at) FROM processing_state) AS oldest`,
  );
  const counts = await deps.pool.query('SELECT status, count(*)::int AS n FROM processing_state GROUP BY status');
  const report: CapacityReport = {
    tableBytes: sizes.rows[0].table_bytes,
    indexBytes: sizes.rows[0].index_bytes,
    rowsByStatus: Object.fromEntries(counts.rows.map((r) => [r.status, r.n])),
    oldestCreatedAt: sizes.rows[0].oldest ? new Date(sizes.rows[0].oldest).toISOString() : null,
  };
  deps.observer.logger.info('Monthly capacity report', { ...report });
  return report;
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
