/**
 * Scale (issue 16): N = 1 000, 5 000, 20 000 processes end to end with the model answering as slowly
 * as the guide's average completion times say, compressed by one factor so every ratio holds: the
 * model's latency per slice (completion time ÷ slices, per type), the step timeout (the worker's
 * 300 s) and the workflow timeout (30 min) are all divided by `compression`. Starts are paced at a
 * steady rate that keeps the model calls in flight under `modelConcurrency`. Per N it shows what one process costs — model calls, tokens, worker invocations,
 * transitions, log bytes — and the model's cost per process, which must stay flat as N grows.
 *
 * The runtime reaches the model through the cost measurement's recorder (cost/measure/recorder.ts),
 * which counts every call and holds it for its type's latency before the local model answers.
 */
import type { Pool } from 'pg';
import { DESIGN, PROCESS_TYPES, type ProcessType } from '../../guide';
import { RESULT_PLAN } from '../../functions/src/domain/schemas';
import { sleep, say, Progress } from '../lib/progress';
import { round } from '../lib/stats';
import { waitUntilSettled } from '../lib/processes';
import { startMeasuring, type Measuring } from '../../cost/measure/env';
import { readNewLines, volume } from '../../cost/measure/logs';
import { startInput } from '../../cost/measure/inputs';
import { sliceLatencySeconds } from '../../cost/assumptions';
import { countPath } from '../../cost/transitions';
import { DEFAULT_MIX, type Model } from '../../cost/model';
import { usdPerProcess } from '../../cost/report';
import { loadProfile, type MeasuredProfile, type TypeProfile } from '../../cost/profile';
import { loadProgram } from '../../cost/program';

export interface ScaleOptions {
  sizes: number[];
  /** Real durations ÷ this = local durations. */
  compression: number;
  /** Starts per second at most. */
  startRate: number;
  /**
   * Model calls in flight at most. The local runtime is one process whose Bedrock client keeps at
   * most 50 sockets (the AWS SDK's default): its stand-in for the worker's reserved concurrency.
   * Starts are paced below it, or calls would queue for a socket past their step timeout.
   */
  modelConcurrency: number;
  /** Seconds each N may take after its last start. */
  drainS: number;
  /** Start requests in flight at most. */
  connections: number;
}

export interface ScaleRow {
  n: number;
  accepted: number;
  completed: number;
  notCompleted: Record<string, number>;
  finishedInBudget: boolean;
  spanS: number;
  processesPerSecond: number;
  /** Per process, created_at → completed_at, local (compressed) seconds. */
  completionS: Record<ProcessType, number>;
  perProcess: {
    modelCalls: number;
    inputTokens: number;
    outputTokens: number;
    workerInvocations: number;
    transitions: number;
    logBytes: number;
  };
  /** The cost model's variable cost per process with this run's calls, tokens and logs (prod stack, default mix). */
  usdPerProcess: number;
}

/** A paced open loop: start i at t0 + i / rate, at most `connections` in flight. */
async function startPaced(
  url: string,
  tokens: string[],
  n: number,
  opts: ScaleOptions & { rate: number },
  mix: Record<ProcessType, number>,
): Promise<number> {
  const progress = new Progress(`scale N=${n} starts`);
  const types = PROCESS_TYPES.flatMap((t) => Array.from({ length: Math.round(mix[t] * 100) }, () => t));
  let accepted = 0;
  let inFlight = 0;
  const t0 = Date.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = t0 + (i * 1000) / opts.rate;
    while (Date.now() < due || inFlight >= opts.connections) await sleep(Math.max(1, Math.min(20, due - Date.now())));
    inFlight++;
    const type = types[i % types.length]!;
    pending.push(
      fetch(`${url}/v1/processes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type, input: startInput(type, i) }),
      })
        .then(
          async (res) => {
            await res.arrayBuffer();
            if (res.status === 202) accepted++;
          },
          () => undefined,
        )
        .finally(() => inFlight--),
    );
    if (i % 200 === 0) progress.update(`${i}/${n} started, ${accepted} accepted`);
  }
  await Promise.all(pending);
  progress.done(`${accepted}/${n} accepted in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return accepted;
}

/** The committed profile with this run's calls, tokens and log bytes per process put in, for the model's cost per process. */
function profileWith(base: MeasuredProfile, perType: Record<ProcessType, Partial<TypeProfile>>): MeasuredProfile {
  const out = { ...base, perType: { ...base.perType } };
  for (const t of PROCESS_TYPES) out.perType[t] = { ...base.perType[t], ...perType[t] };
  return out;
}

async function measureOne(m: Measuring, pool: Pool, model: Model, n: number, opts: ScaleOptions & { rate: number }): Promise<ScaleRow> {
  const prefix = `scale-${n}-`;
  const users = Array.from({ length: 100 }, (_, k) => `${prefix}${String(k).padStart(3, '0')}`);
  const tokens = await Promise.all(users.map((u) => m.rt.token(u)));
  const offset = readNewLines(m.rt.logFile, 0).offset;
  m.recorder.take();
  const t0 = Date.now();
  const accepted = await startPaced(m.rt.info.url, tokens, n, opts, DEFAULT_MIX);
  const settled = await waitUntilSettled(pool, prefix, opts.drainS * 1000, `scale N=${n} to the end`);
  await sleep(1000);
  const calls = m.recorder.take();
  const lines = readNewLines(m.rt.logFile, offset).lines;
  const counts = settled.counts;
  const {
    rows: [span],
  } = await pool.query<{ s: number }>(
    `SELECT extract(epoch FROM max(completed_at) - min(created_at))::float AS s FROM processing_state WHERE starts_with(user_id, $1)`,
    [prefix],
  );
  const { rows: byType } = await pool.query<{ type: ProcessType; n: number; s: number }>(
    `SELECT type, count(*)::int AS n, avg(extract(epoch FROM completed_at - created_at))::float AS s
       FROM processing_state WHERE starts_with(user_id, $1) AND status = 'COMPLETED' GROUP BY type`,
    [prefix],
  );
  const total = counts.total || 1;
  const worker = volume(lines, 'worker');
  const start = volume(lines, 'start');
  const invocations = lines.filter((l) => l.group === 'worker' && l.json.action).length;
  const modelCalls = calls.length / total;
  const extraAttempts = Math.max(0, modelCalls - DESIGN.workflow.generationSteps * ((counts.COMPLETED ?? 0) / total));
  // Per type, from the calls the recorder told apart by what they asked for.
  const typed = {} as Record<ProcessType, Partial<TypeProfile>>;
  for (const t of PROCESS_TYPES) {
    const mine = calls.filter((c) => c.kind === RESULT_PLAN[t].key);
    const processes = byType.find((r) => r.type === t)?.n || 1;
    typed[t] = {
      modelCalls: mine.length / processes,
      inputTokens: mine.reduce((s, c) => s + c.inputTokens, 0) / processes,
      outputTokens: mine.reduce((s, c) => s + c.outputTokens, 0) / processes,
      workerLogs: { bytes: worker.bytes / total, events: worker.events / total },
      startLogs: { bytes: start.bytes / total, events: start.events / total },
    };
  }
  const runModel = { ...model, profile: profileWith(model.profile, typed) };
  const usd = PROCESS_TYPES.reduce((s, t) => s + DEFAULT_MIX[t] * usdPerProcess(runModel, t), 0);
  const completed = counts.COMPLETED ?? 0;
  const row: ScaleRow = {
    n,
    accepted,
    completed,
    notCompleted: Object.fromEntries(Object.entries(counts).filter(([k, v]) => /^[A-Z]+$/.test(k) && k !== 'COMPLETED' && v > 0)),
    finishedInBudget: settled.settled,
    spanS: round(span?.s ?? NaN),
    processesPerSecond: round(completed / (span?.s ?? NaN)),
    completionS: Object.fromEntries(PROCESS_TYPES.map((t) => [t, round(byType.find((r) => r.type === t)?.s ?? NaN)])) as Record<
      ProcessType,
      number
    >,
    perProcess: {
      modelCalls: round(modelCalls),
      inputTokens: round(calls.reduce((s, c) => s + c.inputTokens, 0) / total),
      outputTokens: round(calls.reduce((s, c) => s + c.outputTokens, 0) / total),
      workerInvocations: round(invocations / total),
      transitions: round(countPath().transitions + extraAttempts),
      logBytes: round((worker.bytes + start.bytes) / total),
    },
    usdPerProcess: Number(usd.toPrecision(3)),
  };
  say(
    `  → N=${n}: ${completed}/${accepted} COMPLETED in ${row.spanS} s; per process ${row.perProcess.modelCalls} calls, ${row.perProcess.inputTokens}+${row.perProcess.outputTokens} tokens, ` +
      `${row.perProcess.logBytes} log bytes; $${row.usdPerProcess}/process (${Math.round((Date.now() - t0) / 1000)} s)`,
  );
  return row;
}

/** Runs every size on one runtime with compressed timeouts and the per-type model latency. */
export async function scaleSuite(
  ctx: { databaseUrl: string; pool: Pool },
  opts: ScaleOptions,
): Promise<{ compression: number; modelLatencyMs: Record<ProcessType, number>; startsPerSecond: number; rows: ScaleRow[] }> {
  const k = opts.compression;
  const stepS = DESIGN.workflow.stepTimeoutSeconds / k;
  const workflowS = DESIGN.workflow.workflowTimeoutSeconds / k;
  if (!Number.isInteger(stepS) || !Number.isInteger(workflowS))
    throw new Error(
      `compression ${k} must divide the step (${DESIGN.workflow.stepTimeoutSeconds} s) and workflow (${DESIGN.workflow.workflowTimeoutSeconds} s) timeouts`,
    );
  const m = await startMeasuring({
    name: 'scale',
    databaseUrl: ctx.databaseUrl,
    env: { AIP_STEP_TIMEOUT_SECONDS: String(stepS), AIP_WORKFLOW_TIMEOUT_SECONDS: String(workflowS), AIP_QUEUE_MONITOR_SECONDS: '10' },
  });
  const modelLatencyMs = Object.fromEntries(PROCESS_TYPES.map((t) => [t, Math.round((sliceLatencySeconds(t) * 1000) / k)])) as Record<
    ProcessType,
    number
  >;
  const byKind = new Map(PROCESS_TYPES.map((t) => [RESULT_PLAN[t].key, modelLatencyMs[t]]));
  m.recorder.setLatency((kind) => (kind ? (byKind.get(kind) ?? 0) : 0));
  // Seconds of model calls per process (mix-weighted), so the rate that keeps `modelConcurrency` calls in flight.
  const modelSecondsPerProcess =
    PROCESS_TYPES.reduce((s, t) => s + DEFAULT_MIX[t] * DESIGN.workflow.generationSteps * modelLatencyMs[t], 0) / 1000;
  const rate = Math.min(opts.startRate, opts.modelConcurrency / modelSecondsPerProcess);
  say(
    `  model latency per slice ${JSON.stringify(modelLatencyMs)} ms, step timeout ${stepS} s, workflow timeout ${workflowS} s (compression ${k}×); ${rate.toFixed(1)} starts/s`,
  );
  const model: Model = { program: await loadProgram('prod'), profile: loadProfile() };
  const rows: ScaleRow[] = [];
  for (const n of opts.sizes) rows.push(await measureOne(m, ctx.pool, model, n, { ...opts, rate }));
  return { compression: k, modelLatencyMs, startsPerSecond: Number(rate.toFixed(1)), rows };
}
