/**
 * What a metric widget of the dashboard body draws, computed from metric samples the way
 * CloudWatch computes a graph: each entry of the widget's `metrics` array (a metric with its stat
 * and period, or a metric-math expression over the other ids) becomes one value per period,
 * periods aligned to the epoch, with the evaluator's statistics and metric math. The live local
 * dashboard and the pictures for review both draw these series, so they read the very body the
 * Pulumi program deploys.
 */
import { evaluateSeries } from '../../evaluator/math/evaluate';
import { parseExpression } from '../../evaluator/math/parser';
import type { Series } from '../../evaluator/math/values';
import { MetricStore } from '../../evaluator/samples/store';
import { computeStatistic } from '../../evaluator/stats/compute';
import { parseStatistic } from '../../evaluator/stats/statistic';
import type { MetricSample } from '../../evaluator/types';

/** One entry of a widget's `metrics` array, parsed. */
export interface WidgetQuery {
  readonly id: string;
  readonly label?: string;
  readonly visible: boolean;
  readonly metric?: {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Record<string, string>;
    readonly stat: string;
    readonly period: number;
  };
  readonly expression?: string;
}

export interface DrawnSeries {
  readonly id: string;
  readonly label: string;
  /** Start of each period, ms. */
  readonly timestamps: readonly number[];
  /** The value of each period; null where the period has none (CloudWatch draws a gap). */
  readonly values: readonly (number | null)[];
  /** Sum, last and maximum of the defined values (the legend). */
  readonly summary: { readonly sum: number; readonly last: number | null; readonly max: number | null; readonly points: number };
}

type Entry = readonly unknown[];

/** `[namespace, name, k1, v1, …, {id, stat, period, label, visible}]` or `[{expression, id, label, visible}]`. */
export function parseEntry(entry: Entry, index: number): WidgetQuery {
  const last = entry[entry.length - 1];
  const options = (typeof last === 'object' && last !== null ? last : {}) as Record<string, unknown>;
  const id = typeof options.id === 'string' ? options.id : `m${index + 1}`;
  const label = typeof options.label === 'string' ? options.label : undefined;
  const visible = options.visible !== false;
  if (typeof options.expression === 'string') return { id, label, visible, expression: options.expression };
  const parts = entry.slice(0, typeof last === 'object' ? -1 : undefined).map(String);
  const [namespace, metricName, ...dims] = parts;
  if (!namespace || !metricName || dims.length % 2 !== 0)
    throw new Error(`Widget metric entry ${index + 1} is not [namespace, name, dimension, value, …, options]`);
  const dimensions: Record<string, string> = {};
  for (let i = 0; i < dims.length; i += 2) dimensions[dims[i]!] = dims[i + 1]!;
  const stat = typeof options.stat === 'string' ? options.stat : 'Average';
  const period = typeof options.period === 'number' ? options.period : 300;
  return { id, label: label ?? metricName, visible, metric: { namespace, metricName, dimensions, stat, period } };
}

function summaryOf(values: readonly (number | null)[]): DrawnSeries['summary'] {
  const defined = values.filter((v): v is number => v !== null);
  return {
    sum: defined.reduce((a, b) => a + b, 0),
    last: defined.length ? defined[defined.length - 1]! : null,
    max: defined.length ? Math.max(...defined) : null,
    points: defined.length,
  };
}

/** The periods of [from, to): aligned to the epoch, the last one holding `to - 1`. */
export function periodStarts(from: number, to: number, periodSeconds: number): number[] {
  const p = periodSeconds * 1000;
  const out: number[] = [];
  for (let t = Math.floor(from / p) * p; t < to; t += p) out.push(t);
  return out;
}

/** A store of the samples, for computing many widgets over the same data. */
export const storeOf = (samples: Iterable<MetricSample>): MetricStore => {
  const store = new MetricStore();
  store.put(samples);
  return store;
};

/**
 * The series a widget draws (its visible entries), over [from, to). Every entry of one widget is
 * computed on the period of its metrics; an expression on the period of the metrics it reads.
 */
export function widgetSeries(entries: readonly Entry[], store: MetricStore, range: { from: number; to: number }): DrawnSeries[] {
  const queries = entries.map(parseEntry);
  const period = queries.find((q) => q.metric)?.metric?.period ?? 300;
  const starts = periodStarts(range.from, range.to, period);
  const computed = new Map<string, Series>();
  const metrics: { id: string; points: Series }[] = [];
  for (const q of queries.filter((x) => x.metric)) {
    const m = q.metric!;
    const statistic = parseStatistic(m.stat);
    const points = periodStarts(range.from, range.to, m.period).map((start) => {
      const samples = store.period(m, start, start + m.period * 1000);
      return samples ? computeStatistic(statistic, samples).value : undefined;
    });
    computed.set(q.id, points);
    metrics.push({ id: q.id, points });
  }
  // Expressions in the order given may read later ones: resolve on demand.
  const expressions = new Map(queries.filter((q) => q.expression).map((q) => [q.id, parseExpression(q.expression!)]));
  const resolve = (id: string): Series => {
    const known = computed.get(id);
    if (known) return known;
    const node = expressions.get(id);
    if (!node) throw new Error(`Expression reads "${id}", which is no entry of the widget`);
    const env = { metrics, length: starts.length, periodSeconds: period, resolve };
    const points = evaluateSeries(node, env);
    computed.set(id, points);
    return points;
  };
  return queries
    .filter((q) => q.visible)
    .map((q) => {
      const values = resolve(q.id).map((v) => (v === undefined ? null : v));
      return {
        id: q.id,
        label: q.label ?? q.id,
        timestamps: q.metric ? periodStarts(range.from, range.to, q.metric.period) : starts,
        values,
        summary: summaryOf(values),
      };
    });
}
