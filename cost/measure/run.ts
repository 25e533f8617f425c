/**
 * `npm run cost -- --measure`: runs real processes of every type through the local runtime, one at
 * a time, and writes what one process costs to cost/measured/profile.json:
 * - model calls and tokens: every Converse call, seen by the recorder (recorder.ts);
 * - log bytes: the runtime's JSON lines, sorted into the log groups they land in on AWS (logs.ts);
 * - the start and status requests: latency and bytes as the client sees them;
 * - the worker's local time: start → COMPLETED with the model answering at once, processes run one
 *   at a time, so it is the sum of the worker's invocations plus the local Step Functions' overhead
 *   (an upper bound of the worker's billed time besides the model, on this machine);
 * - PostgreSQL: CPU of the server's processes, WAL bytes and the stored row size per process.
 * A failure, a retry and a cancel run at the end so every metric series the code prints is seen.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Pool } from 'pg';
import { isTerminal } from '../../functions/src/domain/process';
import { PROCESS_TYPES, type ProcessType } from '../../guide';
import { stopAll } from '../../bench/lib/cleanup';
import { CpuMeter } from '../../bench/lib/cpu';
import { describeMachine, machineLine } from '../../bench/lib/machine';
import { say, sleep } from '../../bench/lib/progress';
import type { LogVolume, MeasuredProfile, TypeProfile } from '../profile';
import { PROFILE_FILE } from '../profile';
import { startMeasuring, type Measuring } from './env';
import { startInput } from './inputs';
import { metricSeries, readNewLines, volume, type ParsedLine } from './logs';
import { TOKENIZER, type ModelCall } from './recorder';

export interface Exchange {
  status: number;
  body: any;
  ms: number;
  requestBytes: number;
  responseBytes: number;
}

/** One API call with what it weighs on the wire (request line, headers, body; status line, headers, body). */
export async function call(url: string, method: string, path: string, token: string, body?: unknown): Promise<Exchange> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, host: new URL(url).host };
  const text = body === undefined ? undefined : JSON.stringify(body);
  if (text !== undefined) headers['content-type'] = 'application/json';
  const head = (line: string, h: Record<string, string>) =>
    Buffer.byteLength(
      `${line}\r\n${Object.entries(h)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}\r\n`,
    );
  const t0 = performance.now();
  const res = await fetch(`${url}${path}`, { method, headers, body: text });
  const answer = await res.text();
  const ms = performance.now() - t0;
  const resHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => (resHeaders[k] = v));
  return {
    status: res.status,
    body: answer ? JSON.parse(answer) : undefined,
    ms,
    requestBytes: head(`${method} ${path} HTTP/1.1`, headers) + Buffer.byteLength(text ?? ''),
    responseBytes: head(`HTTP/1.1 ${res.status}`, resHeaders) + Buffer.byteLength(answer),
  };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const per = (v: LogVolume, n: number): LogVolume => ({ bytes: v.bytes / n, events: v.events / n });
const r2 = (n: number) => Math.round(n * 100) / 100;

async function walLsn(pool: Pool): Promise<string> {
  return (await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
}

async function walSince(pool: Pool, lsn: string): Promise<number> {
  return Number((await pool.query<{ d: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::bigint AS d', [lsn])).rows[0]!.d);
}

/** Runs one process to its end, polling its status every `pollMs`. */
async function runOne(m: Measuring, token: string, type: ProcessType, i: number, pollMs: number) {
  const start = await call(m.rt.info.url, 'POST', '/v1/processes', token, { type, input: startInput(type, i) });
  if (start.status !== 202) throw new Error(`start answered ${start.status}: ${JSON.stringify(start.body)}`);
  const polls: Exchange[] = [];
  const deadline = Date.now() + 60_000;
  for (let p = start.body; !isTerminal(p.status); p = polls[polls.length - 1]!.body) {
    if (Date.now() > deadline) throw new Error(`process ${start.body.processId} did not finish in 60 s`);
    await sleep(pollMs);
    polls.push(await call(m.rt.info.url, 'GET', `/v1/processes/${start.body.processId}`, token));
  }
  return { start, polls, final: polls[polls.length - 1]!.body };
}

async function measureType(m: Measuring, token: string, userId: string, type: ProcessType, n: number, offset: { at: number }) {
  const meter = new CpuMeter(m.rt.pid, m.postgresPid);
  const cpu0 = meter.sample();
  const wal0 = await walLsn(m.pool);
  m.recorder.take();
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await runOne(m, token, type, i, 20));
  await sleep(1000); // the last completion's log lines and EMF
  const wal = await walSince(m.pool, wal0);
  const cpu = CpuMeter.perUnit(cpu0, meter.sample(), n);
  const calls: ModelCall[] = m.recorder.take();
  const read = readNewLines(m.rt.logFile, offset.at);
  offset.at = read.offset;
  const {
    rows: [db],
  } = await m.pool.query<{ ms: number; row: number }>(
    `SELECT avg(extract(epoch FROM completed_at - created_at) * 1000)::float AS ms, avg(pg_column_size(p.*))::float AS row
       FROM processing_state p WHERE user_id = $1 AND type = $2 AND status = 'COMPLETED'`,
    [userId, type],
  );
  const profile: TypeProfile = {
    processes: n,
    completed: runs.filter((r) => r.final.status === 'COMPLETED').length,
    modelCalls: r2(calls.length / n),
    inputTokens: r2(calls.reduce((s, c) => s + c.inputTokens, 0) / n),
    outputTokens: r2(calls.reduce((s, c) => s + c.outputTokens, 0) / n),
    localUsage: {
      inputTokens: r2(calls.reduce((s, c) => s + c.localInputTokens, 0) / n),
      outputTokens: r2(calls.reduce((s, c) => s + c.localOutputTokens, 0) / n),
    },
    modelRequestBytes: Math.round(mean(calls.map((c) => c.requestBytes))),
    modelResponseBytes: Math.round(mean(calls.map((c) => c.responseBytes))),
    workerLocalMs: r2(db!.ms),
    workerLogs: per(volume(read.lines, 'worker'), n),
    startLogs: per(volume(read.lines, 'start'), n),
    startLatencyMs: r2(median(runs.map((r) => r.start.ms))),
    startRequestBytes: Math.round(mean(runs.map((r) => r.start.requestBytes))),
    startResponseBytes: Math.round(mean(runs.map((r) => r.start.responseBytes))),
    databaseCpuMs: cpu.postgres,
    walBytes: Math.round(wal / n),
    rowBytes: Math.round(db!.row),
  };
  return { profile, polls: runs.flatMap((r) => r.polls), lines: read.lines };
}

/** A failure (invalid model output), its retry, and a cancel: the other metric series. */
async function otherPaths(m: Measuring, token: string) {
  m.recorder.faults.set({ mode: 'invalid-output', count: 1 });
  const failed = await runOne(m, token, 'SUBGOAL_GENERATION', 0, 20);
  if (failed.final.status !== 'FAILED') throw new Error(`the invalid-output process ended ${failed.final.status}, not FAILED`);
  const retry = await call(m.rt.info.url, 'POST', `/v1/processes/${failed.final.processId}/retry`, token);
  if (retry.status !== 202) throw new Error(`retry answered ${retry.status}`);
  m.recorder.faults.set({ mode: 'none', latencyMs: 3000 });
  const started = await call(m.rt.info.url, 'POST', '/v1/processes', token, {
    type: 'TASK_GENERATION',
    input: startInput('TASK_GENERATION', 1),
  });
  const cancel = await call(m.rt.info.url, 'POST', `/v1/processes/${started.body.processId}/cancel`, token);
  if (cancel.status !== 200) throw new Error(`cancel answered ${cancel.status}`);
  m.recorder.faults.set({ mode: 'none', latencyMs: 0 });
  await sleep(4000);
}

export async function measureProfile(opts: { perType: number; command: string; databaseUrl?: string }): Promise<MeasuredProfile> {
  const m = await startMeasuring({ name: 'measure', databaseUrl: opts.databaseUrl, env: { AIP_QUEUE_MONITOR_SECONDS: '2' } });
  const userId = 'cost-measure';
  const token = await m.rt.token(userId);
  const offset = { at: readNewLines(m.rt.logFile, 0).offset };
  const t0 = Date.now();
  const perType = {} as Record<ProcessType, TypeProfile>;
  const polls: Exchange[] = [];
  const lines: ParsedLine[] = [];
  for (const type of PROCESS_TYPES) {
    say(`  ${type}: ${opts.perType} processes, one at a time`);
    const r = await measureType(m, token, userId, type, opts.perType, offset);
    perType[type] = r.profile;
    polls.push(...r.polls);
    lines.push(...r.lines);
  }
  await otherPaths(m, token);
  const rest = readNewLines(m.rt.logFile, offset.at);
  lines.push(...rest.lines);
  const monitorRuns = lines.filter((l) => l.group === 'queueMonitor' && l.json.message === 'Queue depth published').length;
  const profile: MeasuredProfile = {
    measuredAt: new Date().toISOString(),
    command: opts.command,
    machine: machineLine(describeMachine()),
    tokenizer: TOKENIZER,
    perType,
    statusCheck: {
      requests: polls.length,
      latencyMs: r2(median(polls.map((p) => p.ms))),
      requestBytes: Math.round(mean(polls.map((p) => p.requestBytes))),
      responseBytes: Math.round(mean(polls.map((p) => p.responseBytes))),
      logs: per(volume(lines, 'status'), Math.max(1, polls.length)),
    },
    queueMonitor: { invocations: monitorRuns, logs: per(volume(lines, 'queueMonitor'), Math.max(1, monitorRuns)) },
    metricSeries: [...new Set(lines.flatMap((l) => metricSeries(l.json)))].sort(),
    notes: [
      `${opts.perType} processes per type, one at a time, model latency 0, ${Math.round((Date.now() - t0) / 1000)} s; then one FAILED (invalid model output), its retry and one cancel for the metric series.`,
      "Tokens: the local endpoint reports characters / 4; the profile counts every prompt and answer again with Anthropic's published tokenizer (an approximation for Claude 3 Haiku). The answers are the local generator's, sized by the result schemas (2 items per slice for SUBGOAL/ACTION, up to 5 per slice for TASK).",
      "workerLocalMs and the latencies are this machine's, with every part on 2 shared cores: upper bounds of what Lambda bills for the code besides the model.",
      "walBytes includes the local Step Functions' own execution rows (not on AWS): an upper bound of the write I/O.",
    ],
  };
  return profile;
}

export async function writeProfile(profile: MeasuredProfile, file = PROFILE_FILE): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
}

/** For the CLI: measure, write, stop everything. */
export async function measureAndWrite(opts: { perType: number; command: string }): Promise<MeasuredProfile> {
  try {
    const profile = await measureProfile(opts);
    await writeProfile(profile);
    return profile;
  } finally {
    await stopAll();
  }
}
