/**
 * The deployed resources (under Pulumi's mocks, with each stack's real config): the guide's
 * alerts and thresholds as alarms, every page through an incident composite, routing to PagerDuty,
 * Slack and e-mail, the escalation table as a PagerDuty escalation policy, metric filters, the
 * saved queries and the dashboard.
 */
import { DASHBOARD_NAME, DESIGN, ESCALATION, GUIDE_ALERTS, LOG_QUERIES, METRICS, NOTIFICATIONS } from '../../../../guide';
import { PLACEHOLDERS } from '../../../../infra/config/alerting';
import type { RecordedResource } from '../../../../infra/offline/mocks';
import { deployObservability, TEST_SECRETS, type Deployment } from '../helpers/observability';

const T = {
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  composite: 'aws:cloudwatch/compositeAlarm:CompositeAlarm',
  topic: 'aws:sns/topic:Topic',
  subscription: 'aws:sns/topicSubscription:TopicSubscription',
  key: 'aws:kms/key:Key',
  slack: 'aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration',
  escalation: 'pagerduty:index/escalationPolicy:EscalationPolicy',
  service: 'pagerduty:index/service:Service',
  integration: 'pagerduty:index/serviceIntegration:ServiceIntegration',
  responsePlan: 'aws:ssmincidents/responsePlan:ResponsePlan',
  metricFilter: 'aws:cloudwatch/logMetricFilter:LogMetricFilter',
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

  it('creates one encrypted topic per severity in the stack’s region and one for the edge alarms in us-east-1, each with a key CloudWatch may use', () => {
    const topics = ofType(T.topic);
    expect(topics.map((t) => [t.inputs.name, t.inputs.region]).sort()).toEqual([
      [`AsyncProcessing-${stack}-alerts-critical`, undefined],
      [`AsyncProcessing-${stack}-alerts-warning`, undefined],
      [`AsyncProcessing-${stack}-edge-alerts-warning`, 'us-east-1'],
    ]);
    for (const t of topics) expect(t.inputs.kmsMasterKeyId).toMatch(/^arn:aws:kms:/);
    for (const key of ofType(T.key))
      expect(JSON.parse(key.inputs.policy).Statement[1].Principal.Service).toContain('cloudwatch.amazonaws.com');
    expect(ofType(T.key).map((k) => k.inputs.region)).toEqual([undefined, 'us-east-1']);
  });

  it('routes critical to PagerDuty and e-mail, warning to e-mail only, all three topics to Slack through Chatbot', () => {
    const critical = subscriptionsOf(topicArn('critical'));
    const warning = subscriptionsOf(topicArn('warning'));
    const [integration] = ofType(T.integration);
    expect(critical.map((s) => [s.inputs.protocol, plain(s.inputs.endpoint)]).sort()).toEqual([
      ['email', NOTIFICATIONS.email],
      ['https', `https://events.pagerduty.com/integration/mockintegrationkey${integration!.name.replace(/-/g, '')}/enqueue`],
    ]);
    expect(warning.map((s) => [s.inputs.protocol, s.inputs.endpoint])).toEqual([['email', NOTIFICATIONS.email]]);
    const [slack] = ofType(T.slack);
    expect(slack!.inputs.snsTopicArns).toHaveLength(3);
    expect(slack!.inputs.snsTopicArns).toEqual(expect.arrayContaining([topicArn('critical'), topicArn('warning')]));
    expect(plain(slack!.inputs.slackChannelId)).toBe(TEST_SECRETS['async-ai-pipeline:slackChannelId']);
    expect(slack!.inputs.configurationName).toBe(`async-processing-alerts-${stack}`);
  });

  it('gives every alarm an action on ALARM and on OK, a severity and its absolute runbook link', () => {
    const alarms = [...ofType(T.alarm), ...ofType(T.composite)];
    expect(alarms.length).toBeGreaterThan(40);
    for (const a of alarms) {
      expect(a.inputs.alarmActions.length).toBeGreaterThan(0);
      expect(a.inputs.okActions).toEqual(a.inputs.alarmActions);
      expect(['critical', 'warning']).toContain(a.inputs.tags.severity);
      expect(a.inputs.alarmDescription).toContain(`Runbook: ${PLACEHOLDERS.runbookUrl}#${a.inputs.tags.runbookSection}`);
    }
  });

  it('pages only through the incident composites: every critical metric alarm tells Slack and e-mail, not PagerDuty', () => {
    const paging = [...ofType(T.alarm), ...ofType(T.composite)].filter((a) => a.inputs.alarmActions.includes(topicArn('critical')));
    const expected = ['database-unreachable', 'processing-failing', 'api-failing', 'processes-stuck'].map(
      (id) => `AsyncProcessing-${stack}-incident-${id}`,
    );
    // The one exception: when the warning topic cannot deliver, its failure alarm pages.
    expect(paging.map((a) => a.inputs.alarmName ?? a.inputs.name).sort()).toEqual(
      [...expected, `AsyncProcessing-${stack}-alert-delivery-failed-warning`].sort(),
    );
    for (const a of ofType(T.alarm).filter((x) => x.inputs.tags.severity === 'critical'))
      expect(a.inputs.alarmActions).toEqual([topicArn('warning')]);
  });

  it('makes each incident class one composite over its critical alarms, the budgets a composite per window pair', () => {
    const composite = (id: string) => ofType(T.composite).find((c) => c.inputs.alarmName === `AsyncProcessing-${stack}-${id}`)!;
    expect(composite('incident-processing-failing').inputs.alarmRule).toBe(
      ['error-rate', 'timeout-rate', 'slo-error-budget-fast', 'slo-error-budget-slow', 'slo-timeout-budget-fast', 'slo-timeout-budget-slow']
        .map((id) => `ALARM("AsyncProcessing-${stack}-${id}")`)
        .join(' OR '),
    );
    expect(composite('slo-error-budget-fast').inputs.alarmRule).toBe(
      `ALARM("AsyncProcessing-${stack}-slo-error-budget-fast-long") AND ALARM("AsyncProcessing-${stack}-slo-error-budget-fast-short")`,
    );
    expect(composite('incident-api-failing').inputs.actionsSuppressor).toEqual({
      alarm: `AsyncProcessing-${stack}-incident-database-unreachable`,
      waitPeriod: 180,
      extensionPeriod: 300,
    });
    // Processing failures have two root causes: a composite of both, and of their aftermath (what
    // they stranded ends later), suppresses them; the extension only covers the 5-minute rates.
    expect(composite('incident-processing-failing').inputs.actionsSuppressor).toEqual({
      alarm: `AsyncProcessing-${stack}-incident-processing-failing-cause`,
      waitPeriod: 60,
      extensionPeriod: 300,
    });
    expect(composite('incident-processing-failing-cause').inputs.alarmRule).toBe(
      ['incident-database-unreachable', 'database-recently-unreachable', 'incident-processes-stuck', 'processes-recently-stuck']
        .map((id) => `ALARM("AsyncProcessing-${stack}-${id}")`)
        .join(' OR '),
    );
  });

  it("holds each cause's rule over the stranded window in its aftermath alarm: it fires with the cause and stays until what the cause caught is over", () => {
    const stranded = DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds + DESIGN.queueMonitorEveryMinutes * 60;
    for (const [cause, after] of [
      ['queue-monitor-failing', 'database-recently-unreachable'],
      ['oldest-active-process', 'processes-recently-stuck'],
    ] as const) {
      const c = alarm(cause).inputs;
      const a = alarm(after).inputs;
      expect(a.metricQueries).toEqual(c.metricQueries);
      expect([a.threshold, a.comparisonOperator, a.datapointsToAlarm]).toEqual([c.threshold, c.comparisonOperator, c.datapointsToAlarm]);
      expect(a.evaluationPeriods * 60).toBe(c.evaluationPeriods * 60 + stranded);
      // It pages nobody: the warning topic only.
      expect(a.alarmActions).toEqual(c.alarmActions);
    }
  });

  it.each(Object.values(GUIDE_ALERTS).map((a) => [a.id, a] as const))(
    'alarms on the guide alert %s as the guide writes it',
    (id, alert) => {
      const a = alarm(id);
      expect(a.inputs).toMatchObject({
        threshold: alert.threshold,
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
      });
      expect(a.inputs.tags.severity).toBe(alert.severity);
      const periods = a.inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.period);
      expect(new Set(periods)).toEqual(new Set([alert.periodSeconds]));
      expect(a.inputs.alarmDescription).toContain(alert.responseStepsJa[0]);
    },
  );

  it.each([
    ['failed-count', METRICS.failed],
    ['timeout-count', METRICS.timeout],
  ] as const)('alarms on the metric table threshold %s', (id, metric) => {
    const q = alarm(id).inputs.metricQueries[0];
    expect(alarm(id).inputs.threshold).toBe(metric.threshold.value);
    expect(q.metric).toMatchObject({
      namespace: 'AsyncProcessing',
      metricName: metric.name,
      stat: 'Sum',
      period: metric.threshold.periodSeconds,
    });
  });

  it('escalates in PagerDuty through the guide’s tiers (on-call at once, team lead after 30 min, manager after 60), ack stops it, OK resolves it', () => {
    const [policy] = ofType(T.escalation);
    expect(policy!.inputs.numLoops).toBe(0);
    expect(policy!.inputs.rules.map((r: any) => [r.escalationDelayInMinutes, r.targets[0].type, r.targets[0].id])).toEqual(
      ESCALATION.map((t, i) => [
        (ESCALATION[i + 1] ?? t).fromMinutes - (ESCALATION[i + 1] ? t : ESCALATION[i - 1]!).fromMinutes,
        `${PLACEHOLDERS.escalation[t.responder].type}_reference`,
        PLACEHOLDERS.escalation[t.responder].id,
      ]),
    );
    const [service] = ofType(T.service);
    expect(service!.inputs).toMatchObject({
      acknowledgementTimeout: 'null',
      autoResolveTimeout: 'null',
      incidentUrgencyRule: { type: 'constant', urgency: 'high' },
    });
    const [integration] = ofType(T.integration);
    expect(integration!.inputs.type).toBe('aws_cloudwatch_inbound_integration');
    // One engine: Incident Manager is off by default.
    expect(ofType(T.responsePlan)).toEqual([]);
  });

  it('derives AuthFailures from the access log and each function’s peak memory from its REPORT lines', () => {
    const filters = ofType(T.metricFilter);
    const auth = filters.find((f) => f.inputs.name === 'auth-failures')!;
    expect(auth.inputs).toMatchObject({
      logGroupName: `/aws/apigateway/async-ai-pipeline-${stack}`,
      metricTransformation: { name: METRICS.authFailures.name, value: '1' },
    });
    expect(filters.filter((f) => f.inputs.name.startsWith('memory-')).map((f) => f.inputs.logGroupName)).toEqual(
      expect.arrayContaining(['/aws/lambda/ai-generation-worker', '/aws/lambda/async-processing-handler']),
    );
  });

  it('saves the guide’s three Logs Insights queries and the errors by code over the functions’ log groups, the durations over the worker’s', () => {
    const queries = ofType(T.query);
    expect(queries.map((q) => [q.inputs.name, q.inputs.queryString]).sort()).toEqual(
      Object.values(LOG_QUERIES)
        .map((q) => [q.name, q.query])
        .sort(),
    );
    for (const q of queries.filter((x) => x.inputs.name !== LOG_QUERIES.durationByType.name)) {
      expect(q.inputs.logGroupNames).toEqual(
        expect.arrayContaining(['/aws/lambda/async-processing-handler', '/aws/lambda/ai-generation-worker', '/aws/lambda/queue-monitor']),
      );
    }
    expect(queries.find((q) => q.inputs.name === LOG_QUERIES.durationByType.name)!.inputs.logGroupNames).toEqual([
      '/aws/lambda/ai-generation-worker',
    ]);
  });

  it('deploys AsyncProcessing-Dashboard with the stack’s real alarm ARNs and identifiers', () => {
    const [dashboard] = ofType(T.dashboard);
    expect(dashboard!.inputs.dashboardName).toBe(DASHBOARD_NAME);
    const body = dashboard!.inputs.dashboardBody as string;
    expect(body).not.toContain('${');
    const arns = JSON.parse(body)
      .widgets.filter((w: any) => w.type === 'alarm')
      .flatMap((w: any) => w.properties.alarms);
    const regionOf = (a: RecordedResource) => a.inputs.region ?? 'ap-northeast-1';
    expect(arns.sort()).toEqual(
      [...ofType(T.alarm), ...ofType(T.composite)]
        .map((a) => `arn:aws:cloudwatch:${regionOf(a)}:123456789012:alarm:${a.inputs.name ?? a.inputs.alarmName}`)
        .sort(),
    );
  });
});

describe('Observability options', () => {
  it('adds Incident Manager only when asked, as an incident record the incident composites start (no engagements)', async () => {
    const d = await deployObservability('prod', { 'async-ai-pipeline:alerting': JSON.stringify({ incidentManager: { enabled: true } }) });
    const [plan] = d.resources.filter((r) => r.type === T.responsePlan);
    expect(plan!.inputs.engagements).toBeUndefined();
    const incidents = d.resources.filter(
      (r) => r.type === T.composite && r.inputs.tags.runbookSection.startsWith('incident-') && r.inputs.tags.severity === 'critical',
    );
    expect(incidents).toHaveLength(4);
    for (const c of incidents)
      expect(c.inputs.alarmActions).toEqual([d.outputs.alertTopicArns.critical, expect.stringContaining('ssmincidents')]);
  });

  it('refuses to deploy prod with the placeholders, naming each key and its fix', async () => {
    await expect(deployObservability('prod', { 'async-ai-pipeline:offlinePlaceholders': 'false' })).rejects.toThrow(
      /alerting\.email is not set\. Fix: pulumi config set --path alerting\.email[\s\S]*alerting\.runbookUrl is not set[\s\S]*pagerDuty\.escalation\.on-call is not set/,
    );
  });
});
