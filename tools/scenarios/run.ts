/**
 * Runs failure scenarios: each on a fresh local runtime with a compressed clock, then every alarm
 * of the stack evaluated over the metrics the runtime produced, and the outcome judged against
 * what the scenario says must happen (observability/scenarios).
 */
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_BUDGET, METRIC_NAMESPACE, METRICS } from '../../guide';
import type { MetricSample } from '../../observability/evaluator';
import { judge, type ScenarioOutcome } from '../../observability/scenarios/outcome';
import { results, type ScenarioResults } from '../../observability/scenarios/report';
import { SCENARIOS, type Scenario } from '../../observability/scenarios/scenarios';
import { scenarioAlarms, type ScenarioAlarms } from './alarms';
import { playScenario, scenarioClock } from './play';
import { startScenarioRuntime, type RuntimeOptions } from './runtime';

/** Scenario time starts on a Monday 00:00 UTC (09:00 JST), whatever the real date. */
export const SCENARIO_EPOCH = Date.UTC(2026, 0, 5, 0, 0, 0);
/** The runtime runs this long before minute 0, so the alarms start with history (the queue monitor's samples). */
export const WARMUP_MINUTES = 6;

/**
 * Metrics whose value is a span of the compressed clock (waiting: for the model, a timeout, the
 * schedule), scaled back by the time scale. API latency is CPU and database time, not compressed,
 * so it stays real (its alarms are not judged locally: AlarmKind.awsOnly).
 */
const SCENARIO_TIME_METRICS = new Set([
  'AsyncProcessing/ProcessingDuration',
  'AsyncProcessing/OldestActiveProcessAge',
  'AsyncProcessing/MaintenanceOverdue',
  'AWS/States/ExecutionTime',
  'AWS/Lambda/Duration',
]);

/** The runtime's samples on the scenario's clock: re-stamped, and spans of that clock scaled. */
export function onScenarioClock(samples: readonly MetricSample[], readyAt: number, scale: number): MetricSample[] {
  return samples.map((s) => {
    const timestamp = SCENARIO_EPOCH + (s.timestamp - readyAt) * scale;
    if (!SCENARIO_TIME_METRICS.has(`${s.namespace}/${s.metricName}`)) return { ...s, timestamp };
    if (s.statistics) {
      const st = s.statistics;
      return { ...s, timestamp, statistics: { ...st, sum: st.sum * scale, minimum: st.minimum * scale, maximum: st.maximum * scale } };
    }
    return { ...s, timestamp, value: s.value! * scale };
  });
}

export interface RunOptions {
  readonly stack?: string;
  readonly variant: 'full' | 'fast';
  readonly timeScale: number;
  readonly only?: readonly string[];
  /** Scenarios at once. @default half the cores, at least 1 */
  readonly parallel?: number;
  readonly log?: (line: string) => void;
  /** Each scenario's database. @default an embedded PostgreSQL per scenario */
  readonly database?: RuntimeOptions['database'];
}

/** Minute 0 of every scenario, on the scenario clock. */
const SCENARIO_START = SCENARIO_EPOCH + WARMUP_MINUTES * 60_000;

/** How long before minute 0 the alarms look: the longest window, the slow burn's 6 hours. */
export const HISTORY_MINUTES = ERROR_BUDGET.windows.slow.longSeconds / 60;

/**
 * The processes' outcome metrics: what the rate and burn-rate windows count. Not the cancels: their
 * alarm (sfn-unexpected-aborts) nets them against Step Functions' aborts, which have no history.
 */
const OUTCOME_METRICS = new Set<string>((['started', 'completed', 'failed', 'timeout', 'duration'] as const).map((k) => METRICS[k].name));

/**
 * A service that had a normal day before the scenario: the normal day's own outcome metrics, laid
 * end to end over the HISTORY_MINUTES before minute 0 (the warm-up has no traffic). Without it the
 * 1 h and 6 h windows would judge the few processes of the scenario alone.
 */
export function normalHistory(normal: readonly MetricSample[], normalMinutes: number): MetricSample[] {
  const day = normal.filter(
    (s) =>
      s.namespace === METRIC_NAMESPACE &&
      OUTCOME_METRICS.has(s.metricName) &&
      s.timestamp >= SCENARIO_START &&
      s.timestamp < SCENARIO_START + normalMinutes * 60_000,
  );
  const out: MetricSample[] = [];
  const historyStart = SCENARIO_EPOCH - HISTORY_MINUTES * 60_000;
  for (let offset = 0; offset < HISTORY_MINUTES; offset += normalMinutes) {
    for (const s of day) {
      const t = historyStart + offset * 60_000 + (s.timestamp - SCENARIO_START);
      if (t < SCENARIO_EPOCH) out.push({ ...s, timestamp: t });
    }
  }
  return out;
}

interface Played {
  readonly samples: MetricSample[];
  readonly minutes: number;
  readonly timeScale: number;
}

async function play(scenario: Scenario, opts: RunOptions): Promise<Played> {
  const minutes = opts.variant === 'fast' ? (scenario.fastMinutes ?? scenario.minutes) : scenario.minutes;
  const timeScale = Math.min(opts.timeScale, scenario.maxTimeScale ?? Infinity);
  const rt = await startScenarioRuntime({ timeScale, database: opts.database });
  try {
    const origin = rt.readyAt + (WARMUP_MINUTES * 60_000) / timeScale;
    await playScenario(scenario, rt, scenarioClock(origin, timeScale), minutes);
    return { samples: onScenarioClock(rt.samples(), rt.readyAt, timeScale), minutes, timeScale };
  } finally {
    // The runtime's own log, for a failure's post-mortem (its path is in the run's log).
    const log = join(tmpdir(), `aip-scenario-${scenario.id}.log`);
    writeFileSync(log, rt.output());
    opts.log?.(`scenario ${scenario.id}: runtime log ${log}`);
    await rt.stop();
  }
}

function judged(scenario: Scenario, played: Played, history: readonly MetricSample[], alarms: ScenarioAlarms): ScenarioOutcome {
  return {
    ...judge({
      scenario,
      alarms: alarms.alarms,
      samples: [...history, ...played.samples],
      region: alarms.region,
      accountId: alarms.accountId,
      topics: alarms.topics,
      prefix: alarms.prefix,
      from: SCENARIO_START,
      to: SCENARIO_START + played.minutes * 60_000,
    }),
    minutes: played.minutes,
    timeScale: played.timeScale,
  };
}

export async function runScenarios(opts: RunOptions): Promise<{ results: ScenarioResults; alarms: ScenarioAlarms }> {
  const started = Date.now();
  const stack = opts.stack ?? 'prod';
  const alarms = await scenarioAlarms(stack);
  const chosen = SCENARIOS.filter((s) => !opts.only?.length || opts.only.includes(s.id));
  const unknown = (opts.only ?? []).filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) throw new Error(`Unknown scenario ${unknown.join(', ')}; the scenarios are ${SCENARIOS.map((s) => s.id).join(', ')}`);
  // The normal day first: its outcome metrics are every scenario's history.
  const normalScenario = SCENARIOS.find((s) => s.id === 'normal-day')!;
  opts.log?.('scenario normal-day: running (it is also the history of the others)');
  const normal = await play(normalScenario, opts);
  const history = normalHistory(normal.samples, normal.minutes);
  const outcomes: ScenarioOutcome[] = new Array(chosen.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < chosen.length; i = next++) {
      const s = chosen[i]!;
      if (s.id !== normalScenario.id) opts.log?.(`scenario ${s.id}: running`);
      const played = s.id === normalScenario.id ? normal : await play(s, opts);
      outcomes[i] = judged(s, played, history, alarms);
      opts.log?.(`scenario ${s.id}: ${outcomes[i]!.passed ? 'pass' : `FAIL (${outcomes[i]!.problems.join('; ')})`}`);
    }
  };
  const parallel = Math.max(1, opts.parallel ?? Math.floor(cpus().length / 2));
  await Promise.all(Array.from({ length: Math.min(parallel, chosen.length) }, worker));
  const cpu = cpus()[0];
  const run = {
    stack,
    variant: opts.variant,
    timeScale: opts.timeScale,
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: `${cpus().length} × ${cpu?.model.trim() ?? 'CPU'}, Node ${process.version}`,
    command: `npm run scenarios${opts.variant === 'fast' ? ' -- --fast' : ''}`,
  };
  // Coverage is judged over the full set only: a subset proves what it ran.
  const coverage = opts.only?.length ? { ...alarms.coverage, alarms: [] } : alarms.coverage;
  return { results: results(run, outcomes, coverage), alarms };
}
