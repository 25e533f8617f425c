/**
 * One evaluation of one metric alarm: the statistic of each metric query over each period of
 * the evaluation range, the expressions over those series, then the decision on the returned
 * series (missing-data.ts) and its reason.
 */
import { evaluateSeries } from '../math/evaluate';
import type { Series } from '../math/values';
import type { MetricStore } from '../samples/store';
import { computeStatistic } from '../stats/compute';
import type { AlarmState, ComparisonOperator, EvaluatedDatapoint } from '../types';
import type { CompiledMetricAlarm, CompiledQuery } from './compile';
import { decide, type RangeSlot } from './missing-data';
import { thresholdReason } from './reason';
import { periodsAt, type Period } from './windows';

export interface MetricEvaluation {
  /** Undefined: the alarm keeps its state (treatMissingData=ignore, or low-sample percentiles ignored). */
  readonly state?: AlarmState;
  readonly reason?: string;
  readonly datapoints: readonly EvaluatedDatapoint[];
}

export interface EvaluationContext {
  readonly store: MetricStore;
  /** How many periods CloudWatch retrieves (the evaluation range). */
  readonly rangeLength: number;
  /** Samples with a later timestamp are not yet visible. */
  readonly visibleUntil?: number;
}

export const breaches = (op: ComparisonOperator, value: number, threshold: number): boolean => {
  switch (op) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
};

interface MetricSeries {
  readonly points: Series;
  readonly sampleCounts: readonly (number | undefined)[];
  readonly lowSample: readonly boolean[];
}

function metricSeries(q: CompiledQuery, periods: readonly Period[], ctx: EvaluationContext): MetricSeries {
  const m = q.metric!;
  const stats = periods.map((p) => {
    const samples = ctx.store.period(m.key, p.start, p.end, { unit: m.unit, visibleUntil: ctx.visibleUntil });
    return samples && computeStatistic(m.statistic, samples);
  });
  return {
    points: stats.map((s) => s?.value),
    sampleCounts: stats.map((s) => s?.sampleCount),
    lowSample: stats.map((s) => s?.lowSample ?? false),
  };
}

/** The returned query's series, and its metric detail when it is a metric. */
function returnedSeries(alarm: CompiledMetricAlarm, periods: readonly Period[], ctx: EvaluationContext): MetricSeries {
  const computed = new Map<string, Series>();
  const metrics: { id: string; points: Series }[] = [];
  let detail: MetricSeries | undefined;
  for (const q of alarm.queries) {
    if (q.metric) {
      const s = metricSeries(q, periods, ctx);
      if (q === alarm.returned) detail = s;
      computed.set(q.id, s.points);
      metrics.push({ id: q.id, points: s.points });
      continue;
    }
    const env = { metrics, length: periods.length, periodSeconds: alarm.periodSeconds, resolve: (id: string) => computed.get(id)! };
    try {
      computed.set(q.id, evaluateSeries(q.expression!, env));
    } catch (e) {
      throw new Error(`Alarm ${alarm.name}, query ${q.id}: ${(e as Error).message}`);
    }
  }
  const points = computed.get(alarm.returned.id)!;
  return detail ?? { points, sampleCounts: points.map(() => undefined), lowSample: points.map(() => false) };
}

export function evaluateMetricAlarm(alarm: CompiledMetricAlarm, at: number, ctx: EvaluationContext): MetricEvaluation {
  const periods = periodsAt(at, alarm.periodSeconds, ctx.rangeLength, alarm.window, alarm.name);
  const s = returnedSeries(alarm, periods, ctx);
  const range: RangeSlot[] = s.points.map((value, i) =>
    value === undefined ? undefined : { value, breaching: breaches(alarm.comparison, value, alarm.threshold), lowSample: s.lowSample[i] },
  );
  const decision = decide(range, alarm.evaluationPeriods, alarm.datapointsToAlarm, alarm.treatMissingData);
  const real = decision.evaluated.map((i) => ({
    timestamp: periods[i]!.start,
    value: range[i]!.value,
    breaching: range[i]!.breaching,
    sampleCount: s.sampleCounts[i],
  }));
  const missing = periods.flatMap((p, i) => (range[i] ? [] : [p.start])).slice(-decision.filled);
  const fills = decision.filled
    ? missing.map((timestamp) => ({ timestamp, breaching: decision.filledAs === 'breaching', filled: true }))
    : [];
  const datapoints = [...real, ...fills].sort((a, b) => a.timestamp - b.timestamp);
  const lowSample = alarm.ignoreLowSamplePercentiles && decision.evaluated.some((i) => range[i]!.lowSample);
  if (decision.state === undefined || lowSample) return { datapoints };
  const reason = thresholdReason({
    decision,
    state: decision.state,
    points: real,
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: alarm.datapointsToAlarm,
    threshold: alarm.threshold,
    comparison: alarm.comparison,
    rangeLength: ctx.rangeLength,
  });
  return { state: decision.state, reason, datapoints };
}
