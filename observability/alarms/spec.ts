/**
 * The alarm catalog as data: every alarm of a stack, with its metric (or metric math), threshold,
 * evaluation window, missing-data choice and kind (severity, runbook section). The Alarms
 * component turns each into an `aws.cloudwatch.MetricAlarm`; the dashboard draws the thresholds;
 * the runbook documents the kinds; the tests check all of it without deploying anything.
 */
import type { Evaluation } from '../../guide';
import type { AlarmKind } from './kinds';
import type { MetricQuery } from '../metrics';
import { alarmName, type MonitoredResources } from '../monitored-resources';

export type Comparison = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export type TreatMissingData = 'notBreaching' | 'breaching' | 'ignore' | 'missing';

/**
 * Where an alarm lives: `stack`, the stack's region; `edge`, us-east-1, where CloudFront and its
 * web ACL publish their metrics (an alarm reads metrics of its own region only, and notifies topics
 * of its own region only).
 */
export type Placement = 'stack' | 'edge';

/** The alert topic an alarm notifies, by severity (alert-routing.ts). */
export type TopicSeverity = 'critical' | 'warning';

/** One CloudWatch alarm of a stack, as data: what the Alarms component deploys and the runbook documents. */
export interface AlarmSpec<V = string> {
  /** Unique within a stack; the alarm name is `AsyncProcessing-<stack>-<id>`. */
  readonly id: string;
  readonly name: string;
  readonly kind: AlarmKind;
  /** What one alarm of a multi-alarm kind watches (a function, a route, a process type). */
  readonly subject?: string;
  /** The condition in words, e.g. `ErrorRate (%) > 5 over 5 min`. */
  readonly condition: string;
  readonly queries: readonly MetricQuery<V | string>[];
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly evaluation: Evaluation;
  readonly treatMissingData: TreatMissingData;
  readonly placement: Placement;
  /**
   * The topic it notifies on ALARM and OK. Metric alarms notify the warning topic (Slack and
   * e-mail): a critical kind pages through its incident's composite alarm instead (incidents.ts).
   */
  readonly notifies: TopicSeverity;
}

/** What a catalog entry states about an alarm; `alarm()` derives its id, name and condition. */
export interface AlarmSpecInput<V> {
  kind: AlarmKind;
  subject?: string;
  queries: readonly MetricQuery<V | string>[];
  threshold: number;
  evaluation: Evaluation;
  comparison?: Comparison;
  /** Default notBreaching: no events of a kind in a window is the healthy case for counts and rates. */
  treatMissingData?: TreatMissingData;
  /** Unit shown in the condition text. */
  unit?: string;
  /** @default 'stack' */
  placement?: Placement;
  /** @default 'warning' */
  notifies?: TopicSeverity;
}

const SYMBOL: Record<Comparison, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

export function describeWindow(e: Evaluation): string {
  const period = e.periodSeconds % 3600 === 0 ? `${e.periodSeconds / 3600} h` : `${e.periodSeconds / 60} min`;
  if (e.periods === 1) return `over ${period}`;
  if (e.datapoints === e.periods) return `for ${e.periods} consecutive ${period} windows`;
  return `in ${e.datapoints} of ${e.periods} ${period} windows`;
}

/** Builds the spec of one alarm of a stack. */
export function alarm<V>(r: MonitoredResources<V>, input: NoInfer<AlarmSpecInput<V>>): AlarmSpec<V> {
  const id = input.subject ? `${input.kind.section}-${input.subject}` : input.kind.section;
  const comparison = input.comparison ?? 'GreaterThanThreshold';
  const shown = input.queries.find((q) => q.returnData);
  const what = shown?.label ?? shown?.metric?.metricName ?? 'value';
  const unit = input.unit ? ` ${input.unit}` : '';
  return {
    id,
    name: alarmName(r.stack, id),
    kind: input.kind,
    subject: input.subject,
    condition: `${what} ${SYMBOL[comparison]} ${input.threshold}${unit} ${describeWindow(input.evaluation)}`,
    queries: input.queries,
    comparison,
    threshold: input.threshold,
    evaluation: input.evaluation,
    treatMissingData: input.treatMissingData ?? 'notBreaching',
    placement: input.placement ?? 'stack',
    notifies: input.notifies ?? 'warning',
  };
}
