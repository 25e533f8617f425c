/**
 * A metric alarm definition, checked and prepared once: its queries parsed and ordered, its
 * statistics parsed, its comparison and defaults settled. Every mistake PutMetricAlarm would
 * refuse (and every feature the evaluator does not model) is an error naming the alarm and the
 * setting.
 */
import { parseExpression, referencedIds, type Node } from '../math/parser';
import { identityOf } from '../samples/store';
import { parseStatistic, type Statistic } from '../stats/statistic';
import type { ComparisonOperator, EvaluationWindow, MetricAlarmDefinition, MetricQuery, MetricStat, TreatMissingData } from '../types';
import { checkPeriod, checkWindow } from './windows';

export interface CompiledQuery {
  readonly id: string;
  /** With its parsed statistic and its store key. */
  readonly metric?: MetricStat & { readonly statistic: Statistic; readonly key: string };
  readonly expression?: Node;
  readonly returnData: boolean;
}

export interface CompiledMetricAlarm {
  readonly definition: MetricAlarmDefinition;
  readonly name: string;
  readonly periodSeconds: number;
  /** Metric queries first, then expressions in an order where every id is computed before it is read. */
  readonly queries: readonly CompiledQuery[];
  readonly returned: CompiledQuery;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  readonly treatMissingData: TreatMissingData;
  readonly ignoreLowSamplePercentiles: boolean;
  readonly window: EvaluationWindow;
}

export const COMPARISONS: readonly ComparisonOperator[] = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
];
const ANOMALY = ['LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold'];
const MISSING: readonly TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];

function oneOf<T extends string>(alarm: string, key: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  const v = value ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new Error(`Alarm ${alarm}: ${key} "${v}" is not one of ${allowed.join(', ')}.`);
  return v as T;
}

/** The single-metric form as the one-query form CloudWatch treats it as. */
function queriesOf(d: MetricAlarmDefinition): readonly MetricQuery[] {
  const single = d.metricName !== undefined || d.namespace !== undefined || d.statistic !== undefined || d.extendedStatistic !== undefined;
  if (d.metricQueries?.length) {
    if (single || d.period !== undefined) {
      throw new Error(`Alarm ${d.name}: give either metricQueries or namespace/metricName/statistic/period, not both.`);
    }
    return d.metricQueries;
  }
  if (!d.namespace || !d.metricName || d.period === undefined) {
    throw new Error(`Alarm ${d.name}: a single-metric alarm needs namespace, metricName and period (or give metricQueries).`);
  }
  if ((d.statistic === undefined) === (d.extendedStatistic === undefined)) {
    throw new Error(`Alarm ${d.name}: give exactly one of statistic (Sum, Average, …) and extendedStatistic (p99, tm90, …).`);
  }
  const metric = {
    namespace: d.namespace,
    metricName: d.metricName,
    dimensions: d.dimensions ?? {},
    stat: (d.statistic ?? d.extendedStatistic)!,
    period: d.period,
    unit: d.unit,
  };
  return [{ id: 'm1', metric, returnData: true }];
}

function compileQuery(alarm: string, q: MetricQuery, only: boolean): CompiledQuery {
  if (!/^[a-z][A-Za-z0-9_]*$/.test(q.id))
    throw new Error(`Alarm ${alarm}: query id "${q.id}" must start with a lowercase letter and hold only letters, digits and _.`);
  if ((q.metric === undefined) === (q.expression === undefined))
    throw new Error(`Alarm ${alarm}: query ${q.id} needs exactly one of metric and expression.`);
  const returnData = q.returnData ?? only;
  if (q.metric) {
    let statistic: Statistic;
    try {
      statistic = parseStatistic(q.metric.stat);
    } catch (e) {
      throw new Error(`Alarm ${alarm}, query ${q.id}: ${(e as Error).message}`);
    }
    const metric = { ...q.metric, dimensions: q.metric.dimensions ?? {} };
    return { id: q.id, metric: { ...metric, statistic, key: identityOf(metric) }, returnData };
  }
  try {
    return { id: q.id, expression: parseExpression(q.expression!), returnData };
  } catch (e) {
    throw new Error(`Alarm ${alarm}, query ${q.id}: ${(e as Error).message}`);
  }
}

/** Metric queries, then expressions so that each comes after the ids it reads. */
function ordered(alarm: string, queries: CompiledQuery[]): CompiledQuery[] {
  const byId = new Map(queries.map((q) => [q.id, q]));
  if (byId.size !== queries.length) throw new Error(`Alarm ${alarm}: query ids must be unique.`);
  const done = new Set<string>();
  const out: CompiledQuery[] = queries.filter((q) => q.metric);
  out.forEach((q) => done.add(q.id));
  const visit = (q: CompiledQuery, path: string[]) => {
    if (done.has(q.id)) return;
    if (path.includes(q.id)) throw new Error(`Alarm ${alarm}: expressions refer to each other in a cycle: ${[...path, q.id].join(' → ')}.`);
    for (const id of referencedIds(q.expression!)) {
      const dep =
        byId.get(id) ??
        ((): never => {
          throw new Error(`Alarm ${alarm}: query ${q.id} reads "${id}", which is no query of this alarm.`);
        })();
      visit(dep, [...path, q.id]);
    }
    done.add(q.id);
    out.push(q);
  };
  queries.forEach((q) => visit(q, []));
  return out;
}

function periodOf(alarm: string, queries: readonly MetricQuery[]): number {
  const periods = new Set(queries.flatMap((q) => [q.metric?.period, q.period]).filter((p): p is number => p !== undefined));
  if (periods.size !== 1)
    throw new Error(`Alarm ${alarm}: every metric of an alarm uses the same period; found ${[...periods].join(', ') || 'none'}.`);
  const period = [...periods][0]!;
  checkPeriod(alarm, period);
  return period;
}

export function compileMetricAlarm(d: MetricAlarmDefinition): CompiledMetricAlarm {
  if (!d.name) throw new Error('A metric alarm needs a name.');
  if (ANOMALY.includes(d.comparisonOperator)) {
    throw new Error(`Alarm ${d.name}: ${d.comparisonOperator} is for anomaly-detection alarms, which the evaluator does not model.`);
  }
  const comparison = oneOf(d.name, 'comparisonOperator', d.comparisonOperator, COMPARISONS, COMPARISONS[0]!);
  const raw = queriesOf(d);
  const queries = raw.map((q) => compileQuery(d.name, q, raw.length === 1));
  const returning = queries.filter((q) => q.returnData);
  if (returning.length !== 1) throw new Error(`Alarm ${d.name}: exactly one query must have returnData true (found ${returning.length}).`);
  const n = d.evaluationPeriods;
  const m = d.datapointsToAlarm ?? n;
  if (!Number.isInteger(n) || n < 1) throw new Error(`Alarm ${d.name}: evaluationPeriods must be a whole number >= 1.`);
  if (!Number.isInteger(m) || m < 1 || m > n)
    throw new Error(`Alarm ${d.name}: datapointsToAlarm must be a whole number from 1 to evaluationPeriods (${n}).`);
  if (!Number.isFinite(d.threshold)) throw new Error(`Alarm ${d.name}: threshold must be a number.`);
  const periodSeconds = periodOf(d.name, raw);
  const window = d.evaluationWindow ?? { type: 'sliding' };
  checkWindow(d.name, window, periodSeconds, n);
  return {
    definition: d,
    name: d.name,
    periodSeconds,
    queries: ordered(d.name, queries),
    returned: returning[0]!,
    evaluationPeriods: n,
    datapointsToAlarm: m,
    threshold: d.threshold,
    comparison,
    treatMissingData: oneOf(d.name, 'treatMissingData', d.treatMissingData, MISSING, 'missing'),
    ignoreLowSamplePercentiles:
      oneOf(d.name, 'evaluateLowSampleCountPercentiles', d.evaluateLowSampleCountPercentiles, ['evaluate', 'ignore'], 'evaluate') ===
      'ignore',
    window,
  };
}
