/**
 * Closed-loop HTTP load with autocannon (programmatic API): `connections` keep-alive connections,
 * each sending its next request when the last one answered, for `durationS` seconds or until
 * `amount` requests. Latencies are collected per response so p95 is exact
 * (autocannon's own histogram reports p90 and p97.5, not p95).
 */
import autocannon = require('autocannon');
import { Progress } from './progress';
import { round, summarize } from './stats';

export interface Request {
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  label: string;
  url: string;
  method: 'GET' | 'POST';
  connections: number;
  durationS?: number;
  amount?: number;
  /** The i-th request (autocannon asks for the next one as each connection frees up). */
  next: (i: number) => Request;
}

export interface LoadResult {
  connections: number;
  requests: number;
  durationS: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let i = 0;
  const latencies: number[] = [];
  const progress = new Progress(spec.label);
  const instance = autocannon({
    url: spec.url,
    method: spec.method,
    connections: spec.connections,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationS ?? 5 }),
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => {
          const next = spec.next(i++);
          return { ...req, path: next.path, headers: { ...req.headers, ...next.headers }, body: next.body ?? '' };
        },
      },
    ],
  });
  const t0 = performance.now();
  let lastResponse = t0;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
    lastResponse = performance.now();
  });
  instance.on('tick', () => progress.update(`${latencies.length} responses`));
  const result = await instance;
  const s = summarize(latencies);
  // autocannon notices the end of an `amount` run on its next 1 s tick; time it to the last answer instead.
  const durationS = spec.amount ? (lastResponse - t0) / 1000 : result.duration;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, Number(v.count)]));
  const out: LoadResult = {
    connections: spec.connections,
    requests: latencies.length,
    durationS: round(durationS),
    rps: round(latencies.length / durationS),
    p50Ms: round(s.p50),
    p95Ms: round(s.p95),
    p99Ms: round(s.p99),
    maxMs: round(s.max),
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
  };
  progress.done(
    `${out.requests} requests, ${out.rps} req/s, p50 ${out.p50Ms} ms, p95 ${out.p95Ms} ms, p99 ${out.p99Ms} ms` +
      (out.non2xx || out.errors ? `, ${out.non2xx} non-2xx, ${out.errors} errors` : ''),
  );
  return out;
}
