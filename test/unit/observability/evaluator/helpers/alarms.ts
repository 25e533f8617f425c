/**
 * Factories for evaluator tests: a simple metric alarm, samples of one metric, and the clock
 * origin every test starts from (a Monday 09:00 UTC, minute-aligned).
 */
import type { MetricAlarmDefinition, MetricIdentity, MetricSample } from '../../../../../observability/evaluator';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const MINUTE = 60_000;
export const at = (minutes: number, seconds = 0): number => T0 + minutes * MINUTE + seconds * 1000;

export const METRIC: MetricIdentity = { namespace: 'Test', metricName: 'Errors', dimensions: { service: 'svc' } };

/** `Errors > 5` (Sum per 5 minutes), 1 of 1, treat missing as missing, with one action per state. */
export function thresholdAlarm(overrides: Partial<MetricAlarmDefinition> = {}): MetricAlarmDefinition {
  return {
    kind: 'metric',
    name: 'errors-high',
    ...METRIC,
    statistic: 'Sum',
    period: 300,
    evaluationPeriods: 1,
    threshold: 5,
    comparisonOperator: 'GreaterThanThreshold',
    alarmActions: ['arn:aws:sns:us-east-1:123456789012:on-alarm'],
    okActions: ['arn:aws:sns:us-east-1:123456789012:on-ok'],
    insufficientDataActions: ['arn:aws:sns:us-east-1:123456789012:on-insufficient'],
    ...overrides,
  };
}

export const sample = (timestamp: number, value: number, extra: Partial<MetricSample> = {}): MetricSample => ({
  ...METRIC,
  timestamp,
  value,
  ...extra,
});
