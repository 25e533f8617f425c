/**
 * The alarms a scenario is judged by: every alarm the Pulumi program deploys for the stack (its
 * offline run under mocks, through the evaluator's adapter), with the dimensions AWS would assign
 * at deploy time (the API id, the state machine's ARN) rewritten to the local runtime's, and
 * without the AWS-only ones (AlarmKind.awsOnly), whose metrics no local source produces.
 */
import { STATE_MACHINE_NAME } from '../../guide';
import { runOffline } from '../../infra/offline/run';
import { alarmCatalog } from '../../observability/alarms/catalog';
import { topicName, edgeTopicName } from '../../observability/alert-routing';
import { alarmsFromResources, type AlarmDefinition } from '../../observability/evaluator';
import { alarmName } from '../../observability/monitored-resources';
import type { AlarmCoverage } from '../../observability/scenarios/report';
import { reviewResources } from '../review-stacks';

/** The identifiers the local runtime publishes its AWS metrics under. */
export interface LocalIds {
  readonly apiId: string;
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
}

export const LOCAL_IDS: LocalIds = { apiId: 'local', stage: '$default', region: 'ap-northeast-1', accountId: '000000000000' };

export const localStateMachineArn = (ids: LocalIds): string =>
  `arn:aws:states:${ids.region}:${ids.accountId}:stateMachine:${STATE_MACHINE_NAME}`;

export interface ScenarioAlarms {
  readonly alarms: AlarmDefinition[];
  readonly region: string;
  readonly accountId: string;
  readonly topics: { readonly critical: string; readonly others: string[] };
  readonly prefix: string;
  readonly coverage: AlarmCoverage;
  /** How many alarms the stack deploys, and how many a local run can feed. */
  readonly counts: { readonly deployed: number; readonly local: number };
}

export async function scenarioAlarms(stack: string, ids: LocalIds = LOCAL_IDS): Promise<ScenarioAlarms> {
  const run = await runOffline(stack);
  const local: Record<string, string> = { ApiId: ids.apiId, Stage: ids.stage, StateMachineArn: localStateMachineArn(ids) };
  const adapted = alarmsFromResources(run.resources, { dimensionValue: (dim, value) => local[dim] ?? value });
  const catalog = alarmCatalog(reviewResources(stack));
  const prefix = alarmName(stack, '');
  const awsOnly: Record<string, string> = {};
  for (const s of catalog.metrics) if (s.kind.awsOnly) awsOnly[s.id] = s.kind.awsOnly;
  const alarms = adapted.alarms.filter((a) => !(a.name.slice(prefix.length) in awsOnly));
  const kept = new Set(alarms.map((a) => a.name));
  for (const a of alarms) {
    if (a.kind === 'composite' && [...a.alarmRule.matchAll(/ALARM\("([^"]+)"\)/g)].some((m) => !kept.has(m[1]!))) {
      throw new Error(`Composite ${a.name} names an AWS-only alarm: a scenario could never judge it`);
    }
  }
  const region = adapted.region!;
  const accountId = adapted.accountId!;
  const topic = (name: string, where = region) => `arn:aws:sns:${where}:${accountId}:${name}`;
  return {
    alarms,
    region,
    accountId,
    prefix,
    topics: {
      critical: topic(topicName(stack, 'critical')),
      others: [topic(topicName(stack, 'warning')), topic(edgeTopicName(stack), 'us-east-1')],
    },
    coverage: { alarms: [...catalog.metrics.map((s) => s.id), ...catalog.composites.map((c) => c.id)], awsOnly },
    counts: { deployed: adapted.alarms.length, local: alarms.length },
  };
}
