/**
 * The alarm catalog deployed: one `aws.cloudwatch.MetricAlarm` per metric spec (every one a
 * metric-math query list; a single metric is a list of one) and one `aws.cloudwatch.CompositeAlarm`
 * per composite spec. Each notifies its topic on ALARM and on OK: metric alarms the warning topic
 * of their placement (Slack, e-mail), incident composites the critical topic (PagerDuty too), so
 * one incident pages once and resolves when its composite returns to OK.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AlarmSpec, Placement, TopicSeverity } from '../../../observability/alarms/spec';
import type { CompositeSpec } from '../../../observability/alarms/composites';
import { describeAlarm } from '../../../observability/alarms/description';
import type { MetricQuery } from '../../../observability/metrics';
import { CLOUDFRONT_REGION } from '../../../observability/monitored-resources';

export const ALARMS_TYPE = 'async-ai-pipeline:observability:Alarms';

export interface AlarmsArgs {
  readonly specs: readonly AlarmSpec<pulumi.Input<string>>[];
  readonly composites: readonly CompositeSpec[];
  /** The topic of each severity in the stack's region, and the edge region's one topic. */
  readonly topics: Record<TopicSeverity, pulumi.Input<string>> & { readonly edge: pulumi.Input<string> };
  /** Extra actions of the incident composites on ALARM (the optional Incident Manager response plan). @default none */
  readonly incidentActions?: pulumi.Input<string>[];
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
  readonly compositeArns: pulumi.Output<string>[];

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ALARMS_TYPE, name, {}, opts);
    const topicOf = (placement: Placement, severity: TopicSeverity) => (placement === 'edge' ? args.topics.edge : args.topics[severity]);
    const alarms = args.specs.map((spec) => {
      const topic = [topicOf(spec.placement, spec.notifies)];
      return new aws.cloudwatch.MetricAlarm(
        `${name}-${spec.id}`,
        {
          name: spec.name,
          alarmDescription: describeAlarm(spec, args.runbookUrl),
          comparisonOperator: spec.comparison,
          threshold: spec.threshold,
          evaluationPeriods: spec.evaluation.periods,
          datapointsToAlarm: spec.evaluation.datapoints,
          treatMissingData: spec.treatMissingData,
          metricQueries: spec.queries.map(toMetricQuery),
          alarmActions: topic,
          okActions: topic,
          tags: { severity: spec.kind.severity, runbookSection: spec.kind.section },
          ...(spec.placement === 'edge' ? { region: CLOUDFRONT_REGION } : {}),
        },
        { parent: this },
      );
    });
    this.alarmArns = alarms.map((a) => a.arn);
    this.compositeArns = this.createComposites(name, args, alarms);
    this.registerOutputs({ alarmArns: this.alarmArns, compositeArns: this.compositeArns });
  }

  /** In catalog order: a composite's children (metric alarms, then the burn-rate composites) exist before it. */
  private createComposites(name: string, args: AlarmsArgs, alarms: aws.cloudwatch.MetricAlarm[]): pulumi.Output<string>[] {
    const created = new Map<string, pulumi.Resource>(args.specs.map((s, i) => [s.name, alarms[i]!]));
    return args.composites.map((c) => {
      const topic = [args.topics[c.notifies]];
      const isIncident = c.kind.category === 'incident';
      const composite = new aws.cloudwatch.CompositeAlarm(
        `${name}-${c.id}`,
        {
          alarmName: c.name,
          alarmDescription: describeAlarm(c, args.runbookUrl),
          alarmRule: c.rule,
          alarmActions: isIncident ? [...topic, ...(args.incidentActions ?? [])] : topic,
          okActions: topic,
          actionsSuppressor: c.suppressor && {
            alarm: c.suppressor.alarmName,
            waitPeriod: c.suppressor.waitSeconds,
            extensionPeriod: c.suppressor.extensionSeconds,
          },
          tags: { severity: c.kind.severity, runbookSection: c.kind.section },
        },
        {
          parent: this,
          dependsOn: [...c.children, ...(c.suppressor ? [c.suppressor.alarmName] : [])].map((n) => created.get(n)!).filter(Boolean),
        },
      );
      created.set(c.name, composite);
      return composite.arn;
    });
  }
}
