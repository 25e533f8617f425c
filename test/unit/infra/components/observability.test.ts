/**
 * The deployed resources (under Pulumi's mocks, with each stack's real config): the guide's
 * alerts and thresholds as alarms, routing by severity to PagerDuty, Slack and e-mail, the
 * escalation table as Incident Manager stages, the saved queries and the dashboard.
 */
import { DASHBOARD_NAME, ESCALATION, GUIDE_ALERTS, LOG_QUERIES, METRICS, NOTIFICATIONS } from '../../../../guide';
import type { RecordedResource } from '../../../../infra/offline/mocks';
import { deployObservability, TEST_SECRETS, type Deployment } from '../helpers/observability';

const T = {
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  topic: 'aws:sns/topic:Topic',
  subscription: 'aws:sns/topicSubscription:TopicSubscription',
  key: 'aws:kms/key:Key',
  slack: 'aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration',
  contact: 'aws:ssmcontacts/contact:Contact',
  channel: 'aws:ssmcontacts/contactChannel:ContactChannel',
  plan: 'aws:ssmcontacts/plan:Plan',
  responsePlan: 'aws:ssmincidents/responsePlan:ResponsePlan',
  query: 'aws:cloudwatch/queryDefinition:QueryDefinition',
  dashboard: 'aws:cloudwatch/dashboard:Dashboard',
} as const;

/** Secret inputs reach the mocks wrapped (they stay secret in the state); tests compare the values. */
const plain = (v: unknown): unknown => (v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v);

const deployments: Partial<Record<'dev' | 'prod', Deployment>> = {};
beforeAll(async () => {
  // One after the other: Pulumi's runtime state is global.
  deployments.dev = await deployObservability('dev');
  deployments.prod = await deployObservability('prod');
});

describe.each(['dev', 'prod'] as const)('Observability of %s', (stack) => {
  const d = () => deployments[stack]!;
  const ofType = (type: string) => d().resources.filter((r) => r.type === type);
  const alarm = (id: string): RecordedResource => {
    const found = ofType(T.alarm).find((r) => r.inputs.name === `AsyncProcessing-${stack}-${id}`);
    if (!found) throw new Error(`No alarm ${id} in ${stack}`);
    return found;
  };
  const topicArn = (severity: 'critical' | 'warning') => d().outputs.alertTopicArns[severity]!;
  const subscriptionsOf = (arn: string) => ofType(T.subscription).filter((s) => s.inputs.topic === arn);

  it('creates one encrypted topic per severity, with a key CloudWatch may use', () => {
    const topics = ofType(T.topic);
    expect(topics.map((t) => t.inputs.name).sort()).toEqual([`AsyncProcessing-${stack}-alerts-critical`, `AsyncProcessing-${stack}-alerts-warning`]);
    const [key] = ofType(T.key);
    for (const t of topics) expect(t.inputs.kmsMasterKeyId).toMatch(/^arn:aws:kms:/);
    expect(JSON.parse(key!.inputs.policy).Statement[1].Principal.Service).toContain('cloudwatch.amazonaws.com');
  });

  it('routes critical to PagerDuty and e-mail, warning to e-mail only, both to Slack through Chatbot', () => {
    const critical = subscriptionsOf(topicArn('critical'));
    const warning = subscriptionsOf(topicArn('warning'));
    expect(critical.map((s) => [s.inputs.protocol, plain(s.inputs.endpoint)]).sort()).toEqual([
      ['email', NOTIFICATIONS.email], ['https', TEST_SECRETS['async-ai-pipeline:pagerDutyIntegrationUrl']],
    ]);
    expect(warning.map((s) => [s.inputs.protocol, s.inputs.endpoint])).toEqual([['email', NOTIFICATIONS.email]]);
    const [slack] = ofType(T.slack);
    expect(slack!.inputs.snsTopicArns.sort()).toEqual([topicArn('critical'), topicArn('warning')].sort());
    expect(plain(slack!.inputs.slackChannelId)).toBe(TEST_SECRETS['async-ai-pipeline:slackChannelId']);
    expect(slack!.inputs.configurationName).toBe(`async-processing-alerts-${stack}`);
  });

  it('gives every alarm an action on ALARM and on OK, a severity and its runbook section', () => {
    const alarms = ofType(T.alarm);
    expect(alarms.length).toBeGreaterThan(40);
    for (const a of alarms) {
      expect(a.inputs.alarmActions.length).toBeGreaterThan(0);
      expect(a.inputs.okActions.length).toBeGreaterThan(0);
      expect(['critical', 'warning']).toContain(a.inputs.tags.severity);
      expect(a.inputs.alarmDescription).toContain(`#${a.inputs.tags.runbookSection}`);
    }
  });

  it('pages PagerDuty and starts the escalation for every critical alarm', () => {
    const critical = ofType(T.alarm).filter((a) => a.inputs.tags.severity === 'critical');
    expect(critical.map((a) => a.inputs.name)).toEqual(expect.arrayContaining([`AsyncProcessing-${stack}-error-rate`, `AsyncProcessing-${stack}-timeout-rate`]));
    for (const a of critical) {
      const pagerDuty = a.inputs.alarmActions.flatMap((arn: string) => subscriptionsOf(arn)).filter((s: RecordedResource) => s.inputs.protocol === 'https');
      expect(pagerDuty).toHaveLength(1);
      expect(a.inputs.alarmActions).toContain(d().outputs.responsePlanArn);
    }
    for (const a of ofType(T.alarm).filter((x) => x.inputs.tags.severity === 'warning')) expect(a.inputs.alarmActions).toEqual([topicArn('warning')]);
  });

  it.each(Object.values(GUIDE_ALERTS).map((a) => [a.id, a] as const))('alarms on the guide alert %s as the guide writes it', (id, alert) => {
    const a = alarm(id);
    expect(a.inputs).toMatchObject({ threshold: alert.threshold, comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, datapointsToAlarm: 1 });
    expect(a.inputs.tags.severity).toBe(alert.severity);
    const periods = a.inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.period);
    expect(new Set(periods)).toEqual(new Set([alert.periodSeconds]));
    expect(a.inputs.alarmDescription).toContain(alert.responseStepsJa[0]);
  });

  it.each([['failed-count', METRICS.failed], ['timeout-count', METRICS.timeout]] as const)('alarms on the metric table threshold %s', (id, metric) => {
    const q = alarm(id).inputs.metricQueries[0];
    expect(alarm(id).inputs.threshold).toBe(metric.threshold.value);
    expect(q.metric).toMatchObject({ namespace: 'AsyncProcessing', metricName: metric.name, stat: 'Sum', period: metric.threshold.periodSeconds });
  });

  it('escalates through the guide’s tiers: on-call, then the team lead by phone, then the manager by phone, each for its time', () => {
    const contacts = ofType(T.contact);
    const escalation = contacts.find((c) => c.inputs.type === 'ESCALATION')!;
    const plan = ofType(T.plan).find((p) => p.inputs.contactId.endsWith(escalation.name))!;
    const contactOf = (arn: string) => contacts.find((c) => arn.endsWith(`:${c.name}`))!;
    expect(plan.inputs.stages.map((s: any) => [contactOf(s.targets[0].contactTargetInfo.contactId).inputs.alias, s.durationInMinutes])).toEqual(
      ESCALATION.map((t, i) => [`async-processing-${stack}-${t.responder}`, ESCALATION[i + 1] ? ESCALATION[i + 1]!.fromMinutes - t.fromMinutes : 0]),
    );
    const addresses = JSON.parse(TEST_SECRETS['async-ai-pipeline:escalationAddresses']!);
    expect(ofType(T.channel).map((c) => [c.inputs.type, (plain(c.inputs.deliveryAddress) as { simpleAddress: string }).simpleAddress])).toEqual([
      ['EMAIL', addresses['on-call']], ['VOICE', addresses['team-lead']], ['VOICE', addresses.manager],
    ]);
    const [response] = ofType(T.responsePlan);
    expect(response!.inputs.engagements).toEqual([expect.stringMatching(new RegExp(`:${escalation.name}$`))]);
    expect(response!.inputs.incidentTemplate.impact).toBe(1);
  });

  it('saves the guide’s three Logs Insights queries over the functions’ log groups', () => {
    const queries = ofType(T.query);
    expect(queries.map((q) => [q.inputs.name, q.inputs.queryString])).toEqual(Object.values(LOG_QUERIES).map((q) => [q.name, q.query]));
    for (const q of queries) expect(q.inputs.logGroupNames).toEqual(expect.arrayContaining(['/aws/lambda/async-processing-handler', '/aws/lambda/ai-generation-worker']));
  });

  it('deploys AsyncProcessing-Dashboard with the stack’s real alarm ARNs and identifiers', () => {
    const [dashboard] = ofType(T.dashboard);
    expect(dashboard!.inputs.dashboardName).toBe(DASHBOARD_NAME);
    const body = dashboard!.inputs.dashboardBody as string;
    expect(body).not.toContain('${');
    const arns = JSON.parse(body).widgets.filter((w: any) => w.type === 'alarm').flatMap((w: any) => w.properties.alarms);
    expect(arns.sort()).toEqual(ofType(T.alarm).map((a) => `arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:${a.inputs.name}`).sort());
  });
});
