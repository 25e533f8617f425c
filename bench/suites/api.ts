/**
 * API latency and throughput: GET status and POST start at 1, 16 and 64 connections, each run
 * right after the same load on the bare baseline (lib/baseline-server.ts) on the same database.
 * GET status is measured on the running local runtime. POST start is measured apart from the
 * workflow: on the runtime's API alone (lib/api-only-server.ts, the same edge and handlers) with
 * Step Functions paused (lib/sfn-stub.ts, another process), on a database of its own, against a
 * baseline doing the same statements and the same StartExecution call.
 */
import type { Pool } from 'pg';
import { SLO } from '../../guide';
import { CpuMeter, type CpuSample } from '../lib/cpu';
import { runLoad, type LoadResult, type LoadSpec, type Request } from '../lib/load';
import { startBody, users, waitUntilSettled } from '../lib/processes';
import { say } from '../lib/progress';
import { round } from '../lib/stats';
import type { Runtime } from '../lib/runtime';
import { startBaseline, startStartApi } from '../lib/start-api';

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

export interface ApiContext {
  rt: Runtime;
  pool: Pool;
  root: string;
  databaseUrl: string;
  /** A database of its own for the start API alone and its baseline (no runtime sweeps its rows). */
  startDatabaseUrl: string;
  postgresPid?: number;
}

export async function apiSuite(ctx: ApiContext, opts: ApiOptions): Promise<ApiRow[]> {
  const { rt, pool } = ctx;
  const fixture = await seedApiFixture(rt, pool);
  const startApi = await startStartApi({ root: ctx.root, databaseUrl: ctx.startDatabaseUrl, keysDir: rt.dataDir });
  const baselines = {
    status: await startBaseline(ctx.root, 'status baseline', ctx.databaseUrl, startApi.sfn.info.url),
    start: startApi.baseline,
  };
  const services = { status: { url: rt.info.url, pid: rt.pid }, start: { url: startApi.api.info.url, pid: startApi.api.pid } };

  const measure = async (route: Route, bare: boolean, connections: number): Promise<Measured> => {
    const target = bare ? { url: baselines[route].info.url, pid: baselines[route].pid } : services[route];
    const meter = new CpuMeter(target.pid, ctx.postgresPid);
    const spec: LoadSpec = {
      label: `${route} ${bare ? 'baseline' : 'runtime '} c=${String(connections).padStart(2)}`,
      url: target.url,
      method: route === 'status' ? 'GET' : 'POST',
      connections,
      durationS: opts.durationS,
      next: requestFor(fixture, route, bare),
    };
    // Warm-up: JIT, pool connections.
    if (opts.warmupS) await runLoad({ ...spec, durationS: opts.warmupS, label: `${spec.label} warm-up` });
    const before = meter.sample();
    const result = await runLoad(spec);
    const cpu = CpuMeter.perUnit(before, meter.sample(), result.requests);
    return { ...result, cpuMsPerRequest: cpu };
  };

  const rows: ApiRow[] = [];
  try {
    for (const route of ['status', 'start'] as const) {
      for (const connections of opts.connections) {
        const base = await measure(route, true, connections);
        const run = await measure(route, false, connections);
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
        });
        say(
          `  → ${route} c=${connections}: runtime p95 ${run.p95Ms} ms (${ratio.p95}× baseline), ${run.rps} req/s (${ratio.rps}× baseline); SLO p95 < ${SLO_P95[route]} ms ${rows.at(-1)!.slo.pass ? 'PASS' : 'FAIL'}`,
        );
      }
    }
  } finally {
    await baselines.status.stop();
    await startApi.stop();
  }
  return rows;
}
