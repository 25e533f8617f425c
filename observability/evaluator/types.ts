/**
 * What the evaluator takes and gives. The alarm definitions carry the inputs of Pulumi's
 * `aws.cloudwatch.MetricAlarm` and `aws.cloudwatch.CompositeAlarm` under the same names, so the
 * deployed program's alarms feed it unchanged (see adapters/pulumi.ts).
 */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

/** A metric as CloudWatch identifies it: each distinct dimension set is a metric of its own. */
export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** PutMetricData's StatisticValues: what a statistic set (or an aggregating client) sends. */
export interface StatisticSet {
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
}

/** One raw sample: `value` seen `count` times (PutMetricData Values/Counts), or a statistic set. */
export interface MetricSample extends MetricIdentity {
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly value?: number;
  /** @default 1 */
  readonly count?: number;
  readonly statistics?: StatisticSet;
  /** @default 'None' */
  readonly unit?: string;
}

/** `metricQueries[].metric` of a MetricAlarm. */
export interface MetricStat extends MetricIdentity {
  /** `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount`, `p99`, `p99.9`, `tm90`, `TM(10%:90%)`, `IQM`, … */
  readonly stat: string;
  /** Seconds: 10, 20, 30 or a multiple of 60. */
  readonly period: number;
  readonly unit?: string;
}

/** `metricQueries[]` of a MetricAlarm: a metric, or a metric-math expression over the other ids. */
export interface MetricQuery {
  readonly id: string;
  readonly metric?: MetricStat;
  readonly expression?: string;
  readonly label?: string;
  /** Exactly one query of an alarm returns data. @default true when the alarm has one query */
  readonly returnData?: boolean;
  /** Period of an expression's result; it must equal the metrics' period. */
  readonly period?: number;
}

/** How the evaluated periods are placed in time (PutMetricAlarm `EvaluationWindow`). */
export type EvaluationWindow =
  | { readonly type: 'sliding' }
  /** Aligned to clock boundaries; `timezone` a fixed offset such as `+09:00` or `UTC+05:30`. @default UTC */
  | { readonly type: 'wallClock'; readonly timezone?: string };

interface AlarmActions {
  readonly alarmActions?: readonly string[];
  readonly okActions?: readonly string[];
  readonly insufficientDataActions?: readonly string[];
  /** @default true */
  readonly actionsEnabled?: boolean;
}

export interface MetricAlarmDefinition extends AlarmActions {
  readonly kind: 'metric';
  readonly name: string;
  /** @default `arn:aws:cloudwatch:<region>:<account>:alarm:<name>` from the evaluator options */
  readonly arn?: string;
  readonly description?: string;
  // A single metric …
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  /** `Sum`, `Average`, `Minimum`, `Maximum` or `SampleCount`. */
  readonly statistic?: string;
  /** A percentile or another extended statistic (`p95`, `tm99`, …). */
  readonly extendedStatistic?: string;
  readonly period?: number;
  readonly unit?: string;
  // … or metric math.
  readonly metricQueries?: readonly MetricQuery[];
  readonly evaluationPeriods: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  readonly threshold: number;
  readonly comparisonOperator: string;
  /** @default 'missing' */
  readonly treatMissingData?: string;
  /** Pulumi's name for PutMetricAlarm `EvaluateLowSampleCountPercentile`. @default 'evaluate' */
  readonly evaluateLowSampleCountPercentiles?: string;
  /** @default { type: 'sliding' } */
  readonly evaluationWindow?: EvaluationWindow;
}

export interface ActionsSuppressor {
  /** Name or ARN of the suppressor alarm. */
  readonly alarm: string;
  /** Seconds the composite waits, after going to ALARM, for the suppressor to go to ALARM. */
  readonly waitPeriod: number;
  /** Seconds the composite keeps its actions suppressed after the suppressor leaves ALARM. */
  readonly extensionPeriod: number;
}

export interface CompositeAlarmDefinition extends AlarmActions {
  readonly kind: 'composite';
  readonly name: string;
  readonly arn?: string;
  readonly description?: string;
  /** `ALARM(a) AND NOT (OK("b") OR INSUFFICIENT_DATA(arn:…))`, `TRUE`, `FALSE`. */
  readonly alarmRule: string;
  readonly actionsSuppressor?: ActionsSuppressor;
}

export type AlarmDefinition = MetricAlarmDefinition | CompositeAlarmDefinition;

/** A datapoint the alarm looked at (CloudWatch's `evaluatedDatapoints`). */
export interface EvaluatedDatapoint {
  /** Start of the period, ms. */
  readonly timestamp: number;
  /** Absent for a missing datapoint filled by treatMissingData. */
  readonly value?: number;
  readonly breaching: boolean;
  readonly sampleCount?: number;
  /** True for a missing datapoint counted by treatMissingData. */
  readonly filled?: boolean;
}

export interface Transition {
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly kind: 'metric' | 'composite';
  /** When the evaluation that changed the state ran, ms. */
  readonly at: number;
  readonly from: AlarmState;
  readonly to: AlarmState;
  /** CloudWatch's StateReason, e.g. `Threshold Crossed: 1 datapoint [6.0 (…)] was greater than the threshold (5.0).` */
  readonly reason: string;
  readonly evaluatedDatapoints?: readonly EvaluatedDatapoint[];
  /** The actions this transition triggered at once (composite actions may also come later, see `ActionInvocation`). */
  readonly actions: readonly string[];
  /** Why actions configured for the new state were not taken. */
  readonly actionsSuppressedBy?: 'ActionsDisabled' | 'Alarm' | 'WaitPeriod' | 'ExtensionPeriod';
}

/** One action taken: an ARN notified because an alarm entered a state. */
export interface ActionInvocation {
  readonly at: number;
  readonly alarmName: string;
  readonly state: AlarmState;
  readonly arn: string;
  /** When the transition happened (later than `at` only for a composite whose wait period ran out). */
  readonly transitionAt: number;
}

export interface AlarmStatus {
  readonly name: string;
  readonly arn: string;
  readonly kind: 'metric' | 'composite';
  readonly state: AlarmState;
  readonly reason: string;
  /** When the alarm entered `state`, ms. */
  readonly since: number;
  /** Last evaluation, ms (undefined before the first). */
  readonly evaluatedAt?: number;
}
