/**
 * API latency and throughput: GET status and POST start at 1, 16 and 64 connections, each run
 * right after the same load on the bare baseline (lib/baseline-server.ts) on the same database.
 * Every start also launches a workflow (model latency 0), which runs in the same process: before
 * the next run the workflows are drained, so each run starts from an idle service.
 */
import { join } from 'node:path';
import type { Pool } from 'pg';
import { SLO } from '../../guide';
import { startChild } from '../lib/child';
import { CpuMeter, type CpuSample } from '../lib/cpu';
import { runLoad, type LoadResult, type LoadSpec, type Request } from '../lib/load';
import { startBody, users, waitUntilSettled } from '../lib/processes';
import { say } from '../lib/progress';
import { round } from '../lib/stats';
import type { Runtime } from '../lib/runtime';

export type Route = 'status' | 'start';
export type Measured = LoadResult & { cpuMsPerRequest: CpuSample };

export interface ApiRow {
  route: Route;
  connections: number;
  runtime: Measured;
  baseline: Measured;
  /** Runtime ÷ baseline: latency ratios above 1 and a throughput ratio below 1 are the service's own cost. */
  ratio: { p50: number; p95: number; p99: number; rps: number };
  slo: { p95LimitMs: number; pass: boolean };
  /** Start only: time to finish the workflows this run launched. */
  drainS?: number;
}

export interface ApiOptions {
  connections: number[];
  durationS: number;
  warmupS: number;
}

const USERS = users('api-user', 100);
const SLO_P95: Record<Route, number> = { status: SLO.statusApiP95Ms, start: SLO.startApiP95Ms };

export interface ApiFixture {
  users: string[];
  tokens: string[];
  /** One COMPLETED process per user, for the status route to read. */
  seeded: string[];
}

/** Tokens for the benchmark users and one completed process each, started through the API. */
export async function seedApiFixture(rt: Runtime, pool: Pool): Promise<ApiFixture> {
  const tokens = await Promise.all(USERS.map((u) => rt.token(u)));
  await rt.setFaults({ mode: 'none', latencyMs: 0 });
  const seeded: string[] = [];
  for (const [k, user] of USERS.entries()) {
    const res = await fetch(`${rt.info.url}/v1/processes`, {
      method: 'POST',
      body: startBody(k),
      headers: { authorization: `Bearer ${tokens[k]}`, 'content-type': 'application/json' },
    });
    if (res.status !== 202) throw new Error(`seeding a process for ${user} answered ${res.status}: ${await res.text()}`);
    seeded.push(((await res.json()) as { processId: string }).processId);
  }
  await waitUntilSettled(pool, 'api-user', 60_000, 'seed 100 processes for the status route');
  return { users: USERS, tokens, seeded };
}

/** The i-th request of a route; the runtime learns the user from the token, the baseline from a plain header. */
export const requestFor =
  (f: ApiFixture, route: Route, bare: boolean) =>
  (i: number): Request => {
    const k = i % f.users.length;
    const who: Record<string, string> = bare
      ? { 'x-user-id': route === 'start' ? `baseline-${f.users[k]}` : f.users[k]! }
      : { authorization: `Bearer ${f.tokens[k]}` };
    return route === 'status'
      ? { path: `/v1/processes/${f.seeded[k]}`, headers: who }
      : { path: '/v1/processes', headers: { ...who, 'content-type': 'application/json' }, body: startBody(i) };
  };

export async function apiSuite(
  ctx: { rt: Runtime; pool: Pool; root: string; databaseUrl: string; postgresPid?: number },
  opts: ApiOptions,
): Promise<ApiRow[]> {
  const { rt, pool } = ctx;
  const fixture = await seedApiFixture(rt, pool);

  const baseline = await startChild<{ url: string }>({
    name: 'baseline server',
    args: ['--import', 'tsx', 'bench/lib/baseline-server.ts'],
    env: { ...process.env, DATABASE_URL: ctx.databaseUrl },
    logFile: join(ctx.root, 'baseline.log'),
    ready: (l) => (l.message === 'baseline listening' ? { url: String(l.url) } : undefined),
  });

  const measure = async (route: Route, bare: boolean, connections: number, pid: number): Promise<Measured> => {
    const meter = new CpuMeter(pid, ctx.postgresPid);
    const spec: LoadSpec = {
      label: `${route} ${bare ? 'baseline' : 'runtime '} c=${String(connections).padStart(2)}`,
      url: bare ? baseline.info.url : rt.info.url,
      method: route === 'status' ? 'GET' : 'POST',
      connections,
      durationS: opts.durationS,
      next: requestFor(fixture, route, bare),
    };
    // Warm-up: JIT, pool connections. The workflows it starts finish before the measured run.
    if (opts.warmupS) await runLoad({ ...spec, durationS: opts.warmupS, label: `${spec.label} warm-up` });
    if (route === 'start' && !bare) await waitUntilSettled(pool, 'api-user', 180_000, 'drain warm-up workflows');
    const before = meter.sample();
    const result = await runLoad(spec);
    const cpu = CpuMeter.perUnit(before, meter.sample(), result.requests);
    return { ...result, cpuMsPerRequest: cpu };
  };

  const rows: ApiRow[] = [];
  try {
    for (const route of ['status', 'start'] as const) {
      for (const connections of opts.connections) {
        const base = await measure(route, true, connections, baseline.pid);
        if (route === 'start') await pool.query("DELETE FROM processing_state WHERE starts_with(user_id, 'baseline-')");
        const run = await measure(route, false, connections, rt.pid);
        let drainS: number | undefined;
        if (route === 'start')
          drainS = round(
            (await waitUntilSettled(pool, 'api-user', 180_000, `drain workflows after start c=${connections}`)).waitedMs / 1000,
          );
        const ratio = {
          p50: round(run.p50Ms / base.p50Ms),
          p95: round(run.p95Ms / base.p95Ms),
          p99: round(run.p99Ms / base.p99Ms),
          rps: round(run.rps / base.rps),
        };
        rows.push({
          route,
          connections,
          runtime: run,
          baseline: base,
          ratio,
          slo: { p95LimitMs: SLO_P95[route], pass: run.p95Ms < SLO_P95[route] && run.non2xx === 0 },
          drainS,
        });
        say(
          `  → ${route} c=${connections}: runtime p95 ${run.p95Ms} ms (${ratio.p95}× baseline), ${run.rps} req/s (${ratio.rps}× baseline); SLO p95 < ${SLO_P95[route]} ms ${rows.at(-1)!.slo.pass ? 'PASS' : 'FAIL'}`,
        );
      }
    }
  } finally {
    await baseline.stop();
  }
  return rows;
}
