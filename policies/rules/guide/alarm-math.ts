/**
 * Alarm properties as stack policies read them, and what their metric math computes: the shared
 * vocabulary of the alarm rules.
 */
import type { OutcomeRateKey } from '../../../guide';
import { outcomeRate, type RateGuard } from '../../../observability/metrics';

export interface AlarmQuery {
  id?: string;
  expression?: string;
  returnData?: boolean;
  metric?: { namespace?: string; metricName?: string; period?: number; stat?: string; dimensions?: Record<string, string> };
}

export interface AlarmProps {
  name?: string;
  threshold?: number;
  comparisonOperator?: string;
  evaluationPeriods?: number;
  period?: number;
  namespace?: string;
  metricName?: string;
  statistic?: string;
  extendedStatistic?: string;
  dimensions?: Record<string, string>;
  tags?: Record<string, string>;
  metricQueries?: AlarmQuery[];
}

/** How long an alarm judges before firing: period × evaluation periods (the queries' longest period). */
export function alarmWindowSeconds(a: AlarmProps): number | undefined {
  const period = a.period ?? Math.max(0, ...(a.metricQueries ?? []).map((q) => q.metric?.period ?? 0));
  return period > 0 ? period * (a.evaluationPeriods ?? 1) : undefined;
}

/** The evaluated part of an alarm's metric math, ids replaced by the metric each stands for. */
export function mathOf(a: AlarmProps): string | undefined {
  const queries = a.metricQueries ?? [];
  const returned = queries.filter((q) => q.returnData !== false);
  if (returned.length !== 1 || !returned[0]!.expression) return undefined;
  const inputs = new Map(queries.filter((q) => q.metric).map((q) => [q.id ?? '', q.metric!]));
  return returned[0]!.expression.replace(/\b[a-z][a-zA-Z0-9_]*\b/g, (id) => {
    const m = inputs.get(id);
    return m ? `${m.namespace}/${m.metricName}:${m.stat}:${m.period}:${JSON.stringify(Object.entries({ ...m.dimensions }).sort())}` : id;
  });
}

/** The guide's rates as metric math (the definition infra deploys, OUTCOME_RATES), with a volume guard. */
export const expectedMath = (rate: OutcomeRateKey, periodSeconds: number, guard: RateGuard = {}): string | undefined =>
  mathOf({
    metricQueries: outcomeRate(rate, periodSeconds, guard).map((q) => ({
      ...q,
      metric: q.metric && { ...q.metric, period: q.metric.periodSeconds },
    })),
  });
