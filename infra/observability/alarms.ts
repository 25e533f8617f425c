/**
 * The alarm catalog deployed: one `aws.cloudwatch.MetricAlarm` per plan, every one a metric-math
 * query list (a single metric is a list of one), notifying its severity's topic on ALARM and OK.
 * Critical alarms also start the Incident Manager response plan (the escalation table).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Severity } from '../../guide';
import type { AlarmPlan } from './plan/alarm-plan';
import { describeAlarm } from './plan/description';
import type { MetricQuery } from './plan/metric';

export const ALARMS_TYPE = 'async-ai-pipeline:observability:Alarms';

export interface AlarmsArgs {
  readonly plans: readonly AlarmPlan<pulumi.Input<string>>[];
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
    const alarms = args.plans.map((plan) => new aws.cloudwatch.MetricAlarm(`${name}-${plan.id}`, {
      name: plan.name,
      alarmDescription: describeAlarm(plan, args.runbookUrl),
      comparisonOperator: plan.comparison,
      threshold: plan.threshold,
      evaluationPeriods: plan.evaluation.periods,
      datapointsToAlarm: plan.evaluation.datapoints,
      treatMissingData: plan.treatMissingData,
      metricQueries: plan.queries.map(toMetricQuery),
      alarmActions: args.alarmActions[plan.kind.severity],
      okActions: args.okActions[plan.kind.severity],
      tags: { severity: plan.kind.severity, runbookSection: plan.kind.section },
    }, { parent: this }));
    this.alarmArns = alarms.map((a) => a.arn);
    this.registerOutputs({ alarmArns: this.alarmArns });
  }
}
