/**
 * The alarms a Pulumi program deploys, as evaluator definitions: reads the resources of an
 * offline run (infra/offline/run.ts `runOffline(stack).resources`, or any list of
 * `{ type, name, inputs }`) of types `aws:cloudwatch/metricAlarm:MetricAlarm` and
 * `aws:cloudwatch/compositeAlarm:CompositeAlarm`, with their inputs as the program set them.
 *
 * Under Pulumi's mocks an ARN computed by AWS is a placeholder `arn:aws:<service>:<region>:<account>:<logical name>`.
 * The adapter turns the placeholders it can into the ARNs AWS would give: SNS topics
 * (`…:sns:<region>:<account>:<topic name>`), CloudWatch alarms (`…:alarm:<alarm name>`, also
 * inside composite rules and suppressors) and Incident Manager response plans. Other values are
 * kept as they are; `dimensionValue` may rewrite dimension values (e.g. a mocked API id).
 */
import type { AlarmDefinition, CompositeAlarmDefinition, MetricAlarmDefinition, MetricQuery } from '../types';

export interface CapturedResource {
  readonly type: string;
  /** The logical (Pulumi) name. */
  readonly name: string;
  readonly inputs: Readonly<Record<string, any>>;
}

export const METRIC_ALARM_TYPE = 'aws:cloudwatch/metricAlarm:MetricAlarm';
export const COMPOSITE_ALARM_TYPE = 'aws:cloudwatch/compositeAlarm:CompositeAlarm';

export interface AdapterOptions {
  /** Rewrites a dimension value, e.g. to the id the local emulators use. @default unchanged */
  readonly dimensionValue?: (dimension: string, value: string) => string;
  /** Region and account of the alarms' ARNs. @default those of the placeholder ARNs in the inputs */
  readonly region?: string;
  readonly accountId?: string;
}

/** What a placeholder ARN stands for. */
export interface ActionTarget {
  readonly arn: string;
  readonly type: string;
  readonly logicalName: string;
  /** The resource's own name (topic name, alarm name, response plan name). */
  readonly resourceName?: string;
}

export interface AdaptedAlarms {
  readonly alarms: AlarmDefinition[];
  /** Where the alarms live (pass them to the evaluator). */
  readonly region?: string;
  readonly accountId?: string;
  /** Every resolved ARN, with the resource it names (to say "the critical topic"). */
  readonly targets: ReadonlyMap<string, ActionTarget>;
}

const PLACEHOLDER = /arn:aws:([a-z0-9-]+):([a-z0-9-]*):(\d{12}):([A-Za-z0-9._-]+)/g;

const UNSUPPORTED = ['thresholdMetricId', 'evaluationCriteria', 'evaluationInterval', 'warmUpConfiguration'];

function realArn(r: CapturedResource, region: string, account: string): string | undefined {
  switch (r.type) {
    case 'aws:sns/topic:Topic':
      return `arn:aws:sns:${region}:${account}:${r.inputs.name ?? r.name}`;
    case METRIC_ALARM_TYPE:
      return `arn:aws:cloudwatch:${region}:${account}:alarm:${r.inputs.name ?? r.name}`;
    case COMPOSITE_ALARM_TYPE:
      return `arn:aws:cloudwatch:${region}:${account}:alarm:${r.inputs.alarmName ?? r.name}`;
    case 'aws:ssmincidents/responsePlan:ResponsePlan':
      return `arn:aws:ssm-incidents::${account}:response-plan/${r.inputs.name ?? r.name}`;
    default:
      return undefined;
  }
}

class Resolver {
  readonly targets = new Map<string, ActionTarget>();
  private readonly byName = new Map<string, CapturedResource[]>();

  constructor(resources: readonly CapturedResource[]) {
    for (const r of resources) this.byName.set(r.name, [...(this.byName.get(r.name) ?? []), r]);
  }

  /** Replaces every placeholder ARN in `text` that names a known resource. */
  resolve(text: string): string {
    return text.replace(PLACEHOLDER, (arn, service: string, region: string, account: string, logical: string) => {
      const r = this.byName.get(logical)?.find((c) => c.type.split(':')[1]?.split('/')[0] === service);
      const real = r && realArn(r, region, account);
      if (!r || !real) return arn;
      this.targets.set(real, { arn: real, type: r.type, logicalName: r.name, resourceName: r.inputs.name ?? r.inputs.alarmName });
      return real;
    });
  }

  list(arns: unknown): string[] | undefined {
    return Array.isArray(arns) ? arns.map((a) => this.resolve(String(a))) : undefined;
  }
}

function dims(d: unknown, options: AdapterOptions): Record<string, string> | undefined {
  if (!d || typeof d !== 'object') return undefined;
  return Object.fromEntries(
    Object.entries(d as Record<string, unknown>).map(([k, v]) => [k, options.dimensionValue?.(k, String(v)) ?? String(v)]),
  );
}

interface Where {
  readonly region?: string;
  readonly accountId?: string;
}

const alarmArn = (w: Where, name: string) =>
  w.region && w.accountId ? `arn:aws:cloudwatch:${w.region}:${w.accountId}:alarm:${name}` : undefined;

function metricAlarm(r: CapturedResource, res: Resolver, options: AdapterOptions & Where): MetricAlarmDefinition {
  const i = r.inputs;
  const name: string = i.name ?? r.name;
  const unsupported = UNSUPPORTED.filter((k) => i[k] !== undefined);
  if (unsupported.length) throw new Error(`Alarm ${name} (${r.name}): ${unsupported.join(', ')} is not modelled by the evaluator.`);
  const queries: MetricQuery[] | undefined = Array.isArray(i.metricQueries)
    ? i.metricQueries.map((q: Record<string, any>) => ({
        id: q.id,
        expression: q.expression,
        label: q.label,
        returnData: q.returnData,
        period: q.period,
        metric: q.metric && { ...q.metric, dimensions: dims(q.metric.dimensions, options) ?? {} },
      }))
    : undefined;
  return {
    kind: 'metric',
    name,
    arn: alarmArn(options, name),
    description: i.alarmDescription,
    namespace: i.namespace,
    metricName: i.metricName,
    dimensions: dims(i.dimensions, options),
    statistic: i.statistic,
    extendedStatistic: i.extendedStatistic,
    period: i.period,
    unit: i.unit,
    metricQueries: queries,
    evaluationPeriods: i.evaluationPeriods,
    datapointsToAlarm: i.datapointsToAlarm,
    threshold: i.threshold,
    comparisonOperator: i.comparisonOperator,
    treatMissingData: i.treatMissingData,
    evaluateLowSampleCountPercentiles: i.evaluateLowSampleCountPercentiles,
    alarmActions: res.list(i.alarmActions),
    okActions: res.list(i.okActions),
    insufficientDataActions: res.list(i.insufficientDataActions),
    actionsEnabled: i.actionsEnabled,
  };
}

function compositeAlarm(r: CapturedResource, res: Resolver, where: Where): CompositeAlarmDefinition {
  const i = r.inputs;
  const s = i.actionsSuppressor;
  const name: string = i.alarmName ?? r.name;
  return {
    kind: 'composite',
    name,
    arn: alarmArn(where, name),
    description: i.alarmDescription,
    alarmRule: res.resolve(String(i.alarmRule)),
    alarmActions: res.list(i.alarmActions),
    okActions: res.list(i.okActions),
    insufficientDataActions: res.list(i.insufficientDataActions),
    actionsEnabled: i.actionsEnabled,
    actionsSuppressor: s && { alarm: res.resolve(String(s.alarm)), waitPeriod: s.waitPeriod, extensionPeriod: s.extensionPeriod },
  };
}

/** Region and account of the first placeholder ARN among the alarms' inputs. */
function whereOf(alarms: readonly CapturedResource[]): Where {
  const m = new RegExp(PLACEHOLDER.source).exec(JSON.stringify(alarms.map((a) => a.inputs)));
  return m ? { region: m[2], accountId: m[3] } : {};
}

export function alarmsFromResources(resources: readonly CapturedResource[], options: AdapterOptions = {}): AdaptedAlarms {
  const res = new Resolver(resources);
  const own = resources.filter((r) => r.type === METRIC_ALARM_TYPE || r.type === COMPOSITE_ALARM_TYPE);
  const found = whereOf(own);
  const where = { region: options.region ?? found.region, accountId: options.accountId ?? found.accountId };
  const alarms = own.map((r) =>
    r.type === METRIC_ALARM_TYPE ? metricAlarm(r, res, { ...options, ...where }) : compositeAlarm(r, res, where),
  );
  return { alarms, targets: res.targets, ...where };
}
