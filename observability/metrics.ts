/**
 * Metrics as data: one shape for what an alarm evaluates and what a dashboard widget draws, so
 * both (and the test that checks every metric is real) read the same definitions.
 *
 * `V` is the type of a dimension value: a plain string for the generated dashboard and runbook,
 * a Pulumi input (an ARN or name known only at deploy time) for the deployed alarms.
 */
import {
  METRIC_DIMENSIONS,
  METRIC_NAMESPACE,
  METRICS,
  OUTCOME_RATES,
  TASK_DIMENSION,
  TYPE_DIMENSION,
  type MetricKey,
  type OutcomeRateKey,
  type ProcessType,
} from '../guide';

export type Stat = 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount' | `p${number}`;

export interface MetricSpec<V = string> {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, V>>;
  readonly stat: Stat;
  readonly periodSeconds: number;
}

/** One line of a metric-math query: a metric, or an expression over the other ids. */
export interface MetricQuery<V = string> {
  readonly id: string;
  readonly metric?: MetricSpec<V>;
  readonly expression?: string;
  readonly label?: string;
  /** The series the alarm evaluates (exactly one per alarm) or the widget draws. */
  readonly returnData: boolean;
}

/** A custom metric of namespace AsyncProcessing, with the service dimension every one carries. */
export function customMetric(key: MetricKey, stat: Stat, periodSeconds: number, type?: ProcessType): MetricSpec<string> {
  const dimensions: Record<string, string> = { ...METRIC_DIMENSIONS };
  if (type) dimensions[TYPE_DIMENSION] = type;
  return { namespace: METRIC_NAMESPACE, metricName: METRICS[key].name, dimensions, stat, periodSeconds };
}

/** A maintenance metric of one task (MAINTENANCE_EVENTS), e.g. MaintenanceOverdue{task=weekly-maintenance}. */
export function taskMetric(
  key: 'maintenanceOverdue' | 'maintenanceSucceeded',
  stat: Stat,
  periodSeconds: number,
  task: string,
): MetricSpec<string> {
  const m = customMetric(key, stat, periodSeconds);
  return { ...m, dimensions: { ...m.dimensions, [TASK_DIMENSION]: task } };
}

export function awsMetric<V>(
  namespace: string,
  metricName: string,
  dimensions: Record<string, V>,
  stat: Stat,
  periodSeconds: number,
): MetricSpec<V> {
  return { namespace, metricName, dimensions, stat, periodSeconds };
}

/** A single metric as a query list (the form every alarm and widget takes). */
export const single = <V>(metric: MetricSpec<V>, label?: string): MetricQuery<V>[] => [{ id: 'm1', metric, label, returnData: true }];

/**
 * A count (a Sum of events) whose periods without events are 0, not missing. Such metrics have no
 * datapoint when nothing happens, and CloudWatch then judges an alarm by the most recent datapoint
 * still in its evaluation range: after a burst it would stay in, or flap back to, ALARM while the
 * burst slides out. FILL makes the quiet periods count.
 */
export const countOf = <V>(metric: MetricSpec<V>, label = metric.metricName): MetricQuery<V>[] => [
  { id: 'm1', metric, returnData: false },
  { id: 'count', expression: 'FILL(m1,0)', label, returnData: true },
];

/** `FILL(a,0) + FILL(b,0)`: a window with no event of a kind counts 0 of it, not "no data". */
const sumOf = (ids: readonly string[]): string => ids.map((id) => `FILL(${id},0)`).join(' + ');

const idOf = (key: MetricKey): string => key.toLowerCase();

/** Guards of a rate: below them the rate is 0 (too few events to judge), never "no data". */
export interface RateGuard {
  /** Fewest finished processes (the denominator) in the window for the rate to count. */
  readonly minFinished?: number;
  /** Fewest errors (the numerator) in the window for the rate to count. */
  readonly minErrors?: number;
}

/**
 * The one definition of an outcome rate (ErrorRate, timeout rate, completion rate) as metric math,
 * in percent over the outcomes of the window. A window without outcomes has no value. With a guard
 * (every rate alarm has one: RATE_VOLUME), a window below it is 0.
 */
export function outcomeRate(
  rate: OutcomeRateKey,
  periodSeconds: number,
  opts: RateGuard & { type?: ProcessType } = {},
): MetricQuery<string>[] {
  const def = OUTCOME_RATES[rate];
  const keys = [...new Set<MetricKey>([...def.numerator, ...def.denominator])];
  const inputs = keys.map((key) => ({ id: idOf(key), metric: customMetric(key, 'Sum', periodSeconds, opts.type), returnData: false }));
  const numerator = `(${sumOf(def.numerator.map(idOf))})`;
  const denominator = `(${sumOf(def.denominator.map(idOf))})`;
  const guards = [
    ...(opts.minFinished ? [`${denominator} >= ${opts.minFinished}`] : []),
    ...(opts.minErrors ? [`${numerator} >= ${opts.minErrors}`] : []),
  ];
  const value = `100 * ${numerator} / ${denominator}`;
  const expression = guards.length ? `IF(${guards.join(' AND ')}, ${value}, 0)` : value;
  return [...inputs, { id: 'rate', expression, label: `${def.name} (%)`, returnData: true }];
}

/** Every metric a query list reads (for the "is it real?" checks). */
export const metricsOf = <V>(queries: readonly MetricQuery<V>[]): MetricSpec<V>[] => queries.flatMap((q) => (q.metric ? [q.metric] : []));
