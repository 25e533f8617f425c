/**
 * End-to-end throughput: N processes started through the API as fast as 64 connections allow
 * (autocannon, `amount: N`), each run to COMPLETED by the workflow with the model answering at
 * once, counted in the database. processes/s = completed ÷ (last completed_at − first created_at).
 * Each N has a time budget; what had not finished by then is reported, not hidden.
 */
import type { Pool } from 'pg';
import { CpuMeter, type CpuSample } from '../lib/cpu';
import { runLoad } from '../lib/load';
import { startBody, users, waitUntilSettled } from '../lib/processes';
import { say } from '../lib/progress';
import type { Runtime } from '../lib/runtime';
import { round } from '../lib/stats';

export interface E2eOptions {
  sizes: number[];
  /** Seconds each N may take, from the first start to the last completion. */
  budgetS: Record<number, number>;
  connections: number;
}

export interface E2eRow {
  n: number;
  /** Start requests answered 202. */
  accepted: number;
  /** Rows in processing_state for this run's users. */
  rows: number;
  completed: number;
  /** Rows not COMPLETED: still running when the budget ran out, or ended otherwise. */
  notCompleted: Record<string, number>;
  /** Accepted starts with no row, plus rows that did not complete. */
  lost: number;
  finishedInBudget: boolean;
  budgetS: number;
  startPhase: { rps: number; p50Ms: number; p95Ms: number; non2xx: number };
  spanS: number;
  processesPerSecond: number;
  /** Per process, created_at → completed_at. */
  completionS: { p50: number; p95: number; max: number };
  executions: Record<string, number>;
  cpuMsPerProcess: CpuSample;
}

async function measureOne(rt: Runtime, pool: Pool, n: number, opts: E2eOptions, postgresPid?: number): Promise<E2eRow> {
  const prefix = `e2e-${n}-`;
  const ids = users(`e2e-${n}`, 100);
  const tokens = await Promise.all(ids.map((u) => rt.token(u)));
  const meter = new CpuMeter(rt.pid, postgresPid);
  const before = meter.sample();
  const t0 = Date.now();
  const start = await runLoad({
    label: `e2e N=${n} start`,
    url: rt.info.url,
    method: 'POST',
    connections: Math.min(opts.connections, n),
    amount: n,
    next: (i) => ({
      path: '/v1/processes',
      headers: { authorization: `Bearer ${tokens[i % ids.length]}`, 'content-type': 'application/json' },
      body: startBody(i),
    }),
  });
  const budgetS = opts.budgetS[n] ?? 120;
  const settled = await waitUntilSettled(pool, prefix, Math.max(0, budgetS * 1000 - (Date.now() - t0)), `e2e N=${n} to COMPLETED`);
  const counts = settled.counts;
  const cpu = CpuMeter.perUnit(before, meter.sample(), counts.COMPLETED ?? 0);

  const {
    rows: [t],
  } = await pool.query<{ span: number; p50: number; p95: number; max: number }>(
    `SELECT extract(epoch FROM max(completed_at) - min(created_at))::float AS span,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at))::float AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at))::float AS p95,
            extract(epoch FROM max(completed_at - created_at))::float AS max
       FROM processing_state WHERE starts_with(user_id, $1) AND status = 'COMPLETED'`,
    [prefix],
  );
  const { rows: executions } = await pool.query<{ status: string; n: number }>(
    `SELECT e.status, count(*)::int AS n FROM processing_state p JOIN local_sfn.execution e ON e.execution_arn = p.execution_arn
      WHERE starts_with(p.user_id, $1) GROUP BY e.status`,
    [prefix],
  );

  const accepted = start.statusCodes['202'] ?? 0;
  const completed = counts.COMPLETED ?? 0;
  const notCompleted = Object.fromEntries(Object.entries(counts).filter(([k, v]) => /^[A-Z]+$/.test(k) && k !== 'COMPLETED' && v > 0));
  const row: E2eRow = {
    n,
    accepted,
    rows: counts.total,
    completed,
    notCompleted,
    lost: Math.max(0, accepted - counts.total) + (counts.total - completed),
    finishedInBudget: settled.settled,
    budgetS,
    startPhase: { rps: start.rps, p50Ms: start.p50Ms, p95Ms: start.p95Ms, non2xx: start.non2xx },
    spanS: round(t?.span ?? NaN),
    processesPerSecond: round(completed / (t?.span ?? NaN)),
    completionS: { p50: round(t?.p50 ?? NaN), p95: round(t?.p95 ?? NaN), max: round(t?.max ?? NaN) },
    executions: Object.fromEntries(executions.map((e) => [e.status, e.n])),
    cpuMsPerProcess: cpu,
  };
  say(
    `  → N=${n}: ${completed}/${accepted} COMPLETED in ${row.spanS} s = ${row.processesPerSecond} processes/s` +
      `${row.lost ? `; ${row.lost} NOT completed` : '; none lost'}${row.finishedInBudget ? '' : ` (budget ${budgetS} s ran out)`}`,
  );
  return row;
}

export async function e2eSuite(ctx: { rt: Runtime; pool: Pool; postgresPid?: number }, opts: E2eOptions): Promise<E2eRow[]> {
  await ctx.rt.setFaults({ mode: 'none', latencyMs: 0 });
  const rows: E2eRow[] = [];
  for (const n of opts.sizes) rows.push(await measureOne(ctx.rt, ctx.pool, n, opts, ctx.postgresPid));
  return rows;
}
