/**
 * Metrics as data: one shape for what an alarm evaluates and what a dashboard widget draws, so
 * both (and the test that checks every metric is real) read the same definitions.
 *
 * `V` is the type of a dimension value: a plain string for the generated dashboard and runbook,
 * a Pulumi input (an ARN or name known only at deploy time) for the deployed alarms.
 */
import {
  METRIC_DIMENSIONS, METRIC_NAMESPACE, METRICS, OUTCOME_RATES, TYPE_DIMENSION,
  type MetricKey, type OutcomeRateKey, type ProcessType,
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

export function awsMetric<V>(
  namespace: string, metricName: string, dimensions: Record<string, V>, stat: Stat, periodSeconds: number,
): MetricSpec<V> {
  return { namespace, metricName, dimensions, stat, periodSeconds };
}

/** A single metric as a query list (the form every alarm and widget takes). */
export const single = <V>(metric: MetricSpec<V>, label?: string): MetricQuery<V>[] => [{ id: 'm1', metric, label, returnData: true }];

/** `FILL(a,0) + FILL(b,0)`: a window with no event of a kind counts 0 of it, not "no data". */
const sumOf = (ids: readonly string[]): string => ids.map((id) => `FILL(${id},0)`).join(' + ');

const idOf = (key: MetricKey): string => key.toLowerCase();

/**
 * The one definition of an outcome rate (ErrorRate, timeout rate, completion rate) as metric math,
 * in percent over the outcomes of the window. A window without outcomes has no value.
 */
export function outcomeRate(rate: OutcomeRateKey, periodSeconds: number, type?: ProcessType): MetricQuery<string>[] {
  const def = OUTCOME_RATES[rate];
  const keys = [...new Set<MetricKey>([...def.numerator, ...def.denominator])];
  const inputs = keys.map((key) => ({ id: idOf(key), metric: customMetric(key, 'Sum', periodSeconds, type), returnData: false }));
  const expression = `100 * (${sumOf(def.numerator.map(idOf))}) / (${sumOf(def.denominator.map(idOf))})`;
  return [...inputs, { id: 'rate', expression, label: `${def.name} (%)`, returnData: true }];
}

/** Every metric a query list reads (for the "is it real?" checks). */
export const metricsOf = <V>(queries: readonly MetricQuery<V>[]): MetricSpec<V>[] =>
  queries.flatMap((q) => (q.metric ? [q.metric] : []));
