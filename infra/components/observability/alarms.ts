/**
 * The alarm catalog deployed: one `aws.cloudwatch.MetricAlarm` per spec, every one a metric-math
 * query list (a single metric is a list of one), notifying its severity's topic on ALARM and OK.
 * Critical alarms also start the Incident Manager response plan (the escalation table).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Severity } from '../../../guide';
import type { AlarmSpec } from '../../../observability/alarms/spec';
import { describeAlarm } from '../../../observability/alarms/description';
import type { MetricQuery } from '../../../observability/metrics';

export const ALARMS_TYPE = 'async-ai-pipeline:observability:Alarms';

export interface AlarmsArgs {
  readonly specs: readonly AlarmSpec<pulumi.Input<string>>[];
  /** Where an alarm of each severity goes when it fires. */
  readonly alarmActions: Record<Severity, pulumi.Input<string>[]>;
  /** Where it goes when it recovers (PagerDuty resolves the incident on OK). */
  readonly okActions: Record<Severity, pulumi.Input<string>[]>;
  readonly runbookUrl: string;
}

export function toMetricQuery(q: MetricQuery<pulumi.Input<string>>): aws.types.input.cloudwatch.MetricAlarmMetricQuery {
  return {
    id: q.id,
    label: q.label,
    returnData: q.returnData,
    expression: q.expression,
    metric: q.metric && {
      namespace: q.metric.namespace,
      metricName: q.metric.metricName,
      dimensions: { ...q.metric.dimensions },
      stat: q.metric.stat,
      period: q.metric.periodSeconds,
    },
  };
}

export class Alarms extends pulumi.ComponentResource {
  readonly alarmArns: pulumi.Output<string>[];

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ALARMS_TYPE, name, {}, opts);
    const alarms = args.specs.map((spec) => new aws.cloudwatch.MetricAlarm(`${name}-${spec.id}`, {
      name: spec.name,
      alarmDescription: describeAlarm(spec, args.runbookUrl),
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluation.periods,
      datapointsToAlarm: spec.evaluation.datapoints,
      treatMissingData: spec.treatMissingData,
      metricQueries: spec.queries.map(toMetricQuery),
      alarmActions: args.alarmActions[spec.kind.severity],
      okActions: args.okActions[spec.kind.severity],
      tags: { severity: spec.kind.severity, runbookSection: spec.kind.section },
    }, { parent: this }));
    this.alarmArns = alarms.map((a) => a.arn);
    this.registerOutputs({ alarmArns: this.alarmArns });
  }
}
