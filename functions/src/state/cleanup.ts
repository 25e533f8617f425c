/**
 * Weekly cleanup (データクリーンアップ): the guide's
 *   DELETE FROM processing_state
 *    WHERE status IN ('COMPLETED','FAILED','CANCELLED','TIMEOUT') AND completed_at < NOW() - INTERVAL '90 days'
 * run in batches so no statement holds many row locks or runs long, by one cleaner at a time
 * (an advisory lock), with bounded lock waits (`lock_timeout`) so it never queues behind the API.
 *
 * Each batch takes the next expired rows in the table's physical order (a TID range scan from
 * where the last batch ended), not in completion order: rows completed on the same day are spread
 * over the whole table, so a batch in completion order dirties one page per row and comes back to
 * each page two or three times; in physical order each page is written once in the whole run.
 * Index scans are off for that statement only (`SET LOCAL`), or the planner would walk the
 * completed_at index and lose the order. Rows a batch skips (locked by someone else) are left to
 * the next run, as before.
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
      /** The last row the previous batch deleted: the next batch scans on from there. */
      let after = '(0,0)';
      for (;;) {
        if (opts.deadline && Date.now() >= opts.deadline.getTime()) break;
        const started = Date.now();
        let deleted: number;
        try {
          await client.query(
            `BEGIN; SET LOCAL lock_timeout = ${Math.floor(lockTimeoutMs)}; SET LOCAL statement_timeout = ${Math.floor(statementTimeoutMs)};
             SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off`,
          );
          const res = await client.query<{ deleted: number; last: string | null }>(
            `WITH gone AS (
               DELETE FROM processing_state
                WHERE ctid = ANY (ARRAY(
                  SELECT ctid FROM processing_state
                   WHERE ctid > $5::tid AND status = ANY($1) AND completed_at < $2::timestamptz - make_interval(days => $3)
                   LIMIT $4
                   FOR UPDATE SKIP LOCKED))
               RETURNING ctid)
             SELECT count(*)::int AS deleted, max(ctid)::text AS last FROM gone`,
            [[...TERMINAL_STATUSES], opts.now, retentionDays, batchSize, after],
          );
          await client.query('COMMIT');
          deleted = res.rows[0]?.deleted ?? 0;
          after = res.rows[0]?.last ?? after;
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
      await client.query("DELETE FROM api_rate_limit WHERE window_start < $1::timestamptz - interval '1 hour'", [opts.now]);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [CLEANER_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  return report;
}
