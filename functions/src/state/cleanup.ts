/**
 * Weekly cleanup (データクリーンアップ): the guide's
 *   DELETE FROM processing_state
 *    WHERE status IN ('COMPLETED','FAILED','CANCELLED','TIMEOUT') AND completed_at < NOW() - INTERVAL '90 days'
 * run in batches so no statement holds many row locks or runs long, by one cleaner at a time
 * (an advisory lock), with bounded lock waits (`lock_timeout`) so it never queues behind the API.
 */
import type { Pool } from 'pg';
import { DESIGN, RETENTION, TERMINAL_STATUSES } from '../../../guide';
import type { CleanupReport, CleanupRun } from '../ports';

export type { CleanupReport };

export interface CleanupOptions extends CleanupRun {
  retentionDays?: number;
  batchSize?: number;
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
}

const CLEANER_LOCK_KEY = 7_231_002;

export async function cleanupExpiredProcesses(pool: Pool, opts: CleanupOptions): Promise<CleanupReport> {
  const retentionDays = opts.retentionDays ?? RETENTION.processingRecordsDays;
  const batchSize = opts.batchSize ?? DESIGN.cleanup.batchSize;
  const lockTimeoutMs = opts.lockTimeoutMs ?? DESIGN.cleanup.lockTimeoutMs;
  const statementTimeoutMs = opts.statementTimeoutMs ?? DESIGN.cleanup.statementTimeoutMs;
  const report: CleanupReport = { ran: false, deleted: 0, batches: 0, lockTimeouts: 0, longestBatchMs: 0 };

  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [CLEANER_LOCK_KEY]);
    if (!rows[0]?.locked) return report;
    report.ran = true;
    try {
      let consecutiveLockTimeouts = 0;
      for (;;) {
        if (opts.deadline && Date.now() >= opts.deadline.getTime()) break;
        const started = Date.now();
        let deleted: number;
        try {
          await client.query('BEGIN');
          await client.query(`SET LOCAL lock_timeout = ${Math.floor(lockTimeoutMs)}`);
          await client.query(`SET LOCAL statement_timeout = ${Math.floor(statementTimeoutMs)}`);
          const res = await client.query(
            `DELETE FROM processing_state
              WHERE id IN (
                SELECT id FROM processing_state
                 WHERE status = ANY($1) AND completed_at < $2::timestamptz - make_interval(days => $3)
                 ORDER BY completed_at
                 LIMIT $4
                 FOR UPDATE SKIP LOCKED)`,
            [[...TERMINAL_STATUSES], opts.now, retentionDays, batchSize],
          );
          await client.query('COMMIT');
          deleted = res.rowCount ?? 0;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          // 55P03 lock_not_available: someone holds a lock we need; back off and try again.
          if ((err as { code?: string }).code === '55P03' && ++consecutiveLockTimeouts <= 5) {
            report.lockTimeouts++;
            await new Promise((r) => setTimeout(r, 100 * consecutiveLockTimeouts));
            continue;
          }
          throw err;
        }
        consecutiveLockTimeouts = 0;
        const ms = Date.now() - started;
        report.batches++;
        report.deleted += deleted;
        report.longestBatchMs = Math.max(report.longestBatchMs, ms);
        opts.onBatch?.(deleted, ms);
        if (deleted < batchSize) break;
      }
      // Old rate-limit windows are worthless after a minute; clear them in the same window.
      await client.query('DELETE FROM api_rate_limit WHERE window_start < $1::timestamptz - interval \'1 hour\'', [opts.now]);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [CLEANER_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  return report;
}
