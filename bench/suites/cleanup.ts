/**
 * Cleanup: a processing_state table of 1 M rows, filled with generate_series as a mix of
 * terminal rows past the 90-day retention, terminal rows inside it and active rows, then
 * `cleanupExpiredProcesses` (the weekly job's batched DELETE) with the guide's defaults.
 * Reported: rows/s, batches, and the longest batch, which is the longest time any batch's row
 * locks are held. Afterwards the rows that must stay are counted: nothing young or active may go.
 */
import type { Pool } from 'pg';
import { DESIGN, RETENTION } from '../../guide';
import { cleanupExpiredProcesses } from '../../functions/src/state/cleanup';
import { migrate } from '../../functions/src/state/migrate';
import { generateSlice } from '../../local/generator';
import { Progress } from '../lib/progress';
import { round } from '../lib/stats';

export interface CleanupResult {
  rows: number;
  mix: { expiredTerminal: number; youngTerminal: number; active: number };
  fillS: number;
  tableMbBefore: number;
  deleted: number;
  cleanupS: number;
  rowsPerSecond: number;
  batches: number;
  batchSize: number;
  longestBatchMs: number;
  meanBatchMs: number;
  /** The slowest batches, ms, slowest first, with the batch's place in the run (1-based). */
  slowestBatches?: { batch: number; ms: number }[];
  lockTimeouts: number;
  finishedInBudget: boolean;
  /** Rows left that should have stayed / should have gone. */
  check: { expiredLeft: number; youngKept: number; activeKept: number; ok: boolean };
}

/** A completed SUBGOAL_GENERATION row's JSON as the worker leaves it: input, 4 slices, the result. */
function completedRowJson() {
  const input = { goal: { title: 'Run a marathon under four hours', description: 'Train five days a week', deadline: '2026-10-04' } };
  const slices = [0, 1, 2, 3].map(
    (step) => generateSlice({ kind: 'subgoals', count: { min: 2, max: 2 }, step, input, existingTitles: [] }).subgoals,
  );
  return { input, partial: slices, result: { subgoals: slices.flat() } };
}

// g % 100: 0-59 terminal past the retention, 60-89 terminal inside it, 90-99 active.
const FILL = `
INSERT INTO processing_state (id, user_id, type, status, progress, input, result, partial_result, error_code, error_message,
                              created_at, updated_at, started_at, heartbeat_at, completed_at)
SELECT gen_random_uuid(), 'user-' || (g % 20000), 'SUBGOAL_GENERATION', s.status,
       CASE s.status WHEN 'COMPLETED' THEN 100 WHEN 'PENDING' THEN 0 ELSE 35 END,
       $3::jsonb,
       CASE WHEN s.status = 'COMPLETED' THEN $4::jsonb END,
       CASE WHEN s.status = 'COMPLETED' THEN $5::jsonb ELSE '[]'::jsonb END,
       CASE s.status WHEN 'FAILED' THEN 'AI_ERROR' WHEN 'TIMEOUT' THEN 'TIMEOUT_ERROR' END,
       CASE WHEN s.status IN ('FAILED', 'TIMEOUT') THEN 'The AI model was unavailable' END,
       s.at - interval '4 minutes', s.at, s.at - interval '4 minutes', s.at,
       CASE WHEN s.status IN ('PENDING', 'PROCESSING') THEN NULL ELSE s.at END
  FROM generate_series($1::int, $2::int) AS g
 CROSS JOIN LATERAL (
   SELECT CASE WHEN g % 100 >= 90 THEN (CASE WHEN g % 2 = 0 THEN 'PENDING' ELSE 'PROCESSING' END)
               ELSE (CASE WHEN g % 20 < 16 THEN 'COMPLETED' WHEN g % 20 < 18 THEN 'FAILED' WHEN g % 20 = 18 THEN 'CANCELLED' ELSE 'TIMEOUT' END)
          END AS status,
          CASE WHEN g % 100 < 60 THEN now() - make_interval(days => $6 + 1 + g % 300, secs => g % 86400)
               WHEN g % 100 < 90 THEN now() - make_interval(days => g % $6, secs => g % 86400) + interval '1 hour'
               ELSE now() - make_interval(secs => g % 600)
          END AS at) AS s`;

export async function cleanupSuite(pool: Pool, opts: { rows: number; budgetS: number }): Promise<CleanupResult> {
  await migrate(pool);
  const json = completedRowJson();
  const retention = RETENTION.processingRecordsDays;
  const fill = new Progress(`fill ${opts.rows.toLocaleString('en')} rows`);
  const t0 = Date.now();
  const chunk = 100_000;
  for (let from = 1; from <= opts.rows; from += chunk) {
    await pool.query(FILL, [
      from,
      Math.min(opts.rows, from + chunk - 1),
      JSON.stringify(json.input),
      JSON.stringify(json.result),
      JSON.stringify(json.partial),
      retention,
    ]);
    fill.update(`${Math.min(opts.rows, from + chunk - 1).toLocaleString('en')} rows`);
  }
  await pool.query('VACUUM ANALYZE processing_state');
  const fillS = (Date.now() - t0) / 1000;
  const counts = async () =>
    (
      await pool.query<{ expired: number; young: number; active: number; mb: number }>(
        `SELECT count(*) FILTER (WHERE completed_at < now() - make_interval(days => $1))::int AS expired,
            count(*) FILTER (WHERE completed_at >= now() - make_interval(days => $1))::int AS young,
            count(*) FILTER (WHERE completed_at IS NULL)::int AS active,
            pg_total_relation_size('processing_state') / 1048576.0 AS mb
       FROM processing_state`,
        [retention],
      )
    ).rows[0]!;
  const before = await counts();
  fill.done(
    `${fillS.toFixed(1)} s; ${before.expired} past the ${retention}-day retention, ${before.young} inside it, ${before.active} active; ${Math.round(before.mb)} MB`,
  );

  const progress = new Progress('cleanupExpiredProcesses');
  let deletedSoFar = 0;
  const batchMs: number[] = [];
  const started = Date.now();
  const report = await cleanupExpiredProcesses(pool, {
    now: new Date(),
    deadline: new Date(Date.now() + opts.budgetS * 1000),
    onBatch: (deleted, ms) => {
      deletedSoFar += deleted;
      batchMs.push(ms);
      progress.update(`${deletedSoFar.toLocaleString('en')} deleted, last batch ${ms} ms`);
    },
  });
  const cleanupS = (Date.now() - started) / 1000;
  const after = await counts();
  const finished = after.expired === 0;
  const result: CleanupResult = {
    rows: opts.rows,
    mix: { expiredTerminal: before.expired, youngTerminal: before.young, active: before.active },
    fillS: round(fillS),
    tableMbBefore: Math.round(before.mb),
    deleted: report.deleted,
    cleanupS: round(cleanupS),
    rowsPerSecond: Math.round(report.deleted / cleanupS),
    batches: report.batches,
    batchSize: DESIGN.cleanup.batchSize,
    longestBatchMs: report.longestBatchMs,
    meanBatchMs: round((cleanupS * 1000) / Math.max(1, report.batches)),
    slowestBatches: batchMs
      .map((ms, i) => ({ batch: i + 1, ms }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3),
    lockTimeouts: report.lockTimeouts,
    finishedInBudget: finished,
    check: {
      expiredLeft: after.expired,
      youngKept: after.young,
      activeKept: after.active,
      ok: after.young === before.young && after.active === before.active && finished,
    },
  };
  progress.done(
    `${result.deleted.toLocaleString('en')} rows in ${result.cleanupS} s = ${result.rowsPerSecond.toLocaleString('en')} rows/s; ` +
      `${result.batches} batches, longest ${result.longestBatchMs} ms; kept ${after.young} young + ${after.active} active${result.check.ok ? '' : ' — CHECK FAILED'}`,
  );
  return result;
}
