/**
 * What the suites ask the database about processes, and the start request they send. Counting in
 * the database (not from HTTP answers) is what shows that no process was lost.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ACTIVE_STATUSES, TERMINAL_STATUSES } from '../../guide';
import { Progress, sleep } from './progress';

/** A SUBGOAL_GENERATION start: the guide's first and most common type (4 model calls). */
export const startBody = (n: number): string =>
  JSON.stringify({
    type: 'SUBGOAL_GENERATION',
    input: { goal: { title: `Run a marathon under four hours (#${n})`, description: 'Train five days a week', deadline: '2026-10-04' } },
  });

export const users = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, k) => `${prefix}-${String(k).padStart(3, '0')}`);

/** A row as the API and worker would leave it, for routes that need a process in a given status. */
export async function insertProcess(
  pool: Pool,
  userId: string,
  status: 'PENDING' | 'PROCESSING' | 'FAILED' | 'COMPLETED',
  extra: { executionArn?: string } = {},
): Promise<string> {
  const id = randomUUID();
  const failed = status === 'FAILED';
  const terminal = failed || status === 'COMPLETED';
  await pool.query(
    `INSERT INTO processing_state (id, user_id, type, status, progress, input, error_code, error_message, execution_arn,
                                   created_at, updated_at, started_at, heartbeat_at, completed_at)
     VALUES ($1, $2, 'SUBGOAL_GENERATION', $3, $4, $5, $6, $7, $8, now(), now(), now(), now(), $9)`,
    [
      id,
      userId,
      status,
      status === 'PROCESSING' ? 5 : status === 'COMPLETED' ? 100 : 0,
      JSON.parse(startBody(0)).input,
      failed ? 'AI_ERROR' : null,
      failed ? 'The AI model was unavailable' : null,
      extra.executionArn ?? null,
      terminal ? new Date() : null,
    ],
  );
  return id;
}

export type StatusCounts = Record<string, number> & { total: number; active: number; terminal: number };

/** Processes of users whose id starts with `userPrefix`, by status. */
export async function statusCounts(pool: Pool, userPrefix: string): Promise<StatusCounts> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM processing_state WHERE starts_with(user_id, $1) GROUP BY status`,
    [userPrefix],
  );
  const counts = { total: 0, active: 0, terminal: 0 } as StatusCounts;
  for (const r of rows) {
    counts[r.status] = r.n;
    counts.total += r.n;
    if ((ACTIVE_STATUSES as readonly string[]).includes(r.status)) counts.active += r.n;
    if ((TERMINAL_STATUSES as readonly string[]).includes(r.status)) counts.terminal += r.n;
  }
  return counts;
}

const show = (c: StatusCounts) =>
  `${c.COMPLETED ?? 0} COMPLETED, ${c.PROCESSING ?? 0} PROCESSING, ${c.PENDING ?? 0} PENDING` +
  (c.terminal - (c.COMPLETED ?? 0) ? `, ${c.terminal - (c.COMPLETED ?? 0)} other terminal` : '');

/** Waits until no process of these users is active, or the budget runs out; returns the last counts. */
export async function waitUntilSettled(
  pool: Pool,
  userPrefix: string,
  budgetMs: number,
  label: string,
): Promise<{ counts: StatusCounts; settled: boolean; waitedMs: number }> {
  const t0 = Date.now();
  const progress = new Progress(label);
  for (;;) {
    const c = await statusCounts(pool, userPrefix);
    const settled = c.active === 0;
    if (settled || Date.now() - t0 > budgetMs) {
      progress.done(`${settled ? 'settled' : `NOT settled within ${budgetMs / 1000} s`}: ${show(c)}`);
      return { counts: c, settled, waitedMs: Date.now() - t0 };
    }
    progress.update(show(c));
    await sleep(500);
  }
}
