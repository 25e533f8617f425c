/**
 * OpsReport with the real SDK clients (aws-sdk-client-mock answers AWS): the scheduler's event,
 * the Markdown and JSON it writes to the reports bucket, and the summary it posts to the topic
 * (Chatbot's custom format for Slack, text for e-mail).
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AccessAnalyzerClient, ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribePendingMaintenanceActionsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { quietObservability } from '../../../helpers/dependencies';
import { METRIC_NAMESPACE, METRICS } from '../../../../guide';
import { handler, parseEvent, resetForTests } from '../../../../functions/src/handlers/ops-report';
import { loadReportEnv, parseStack, STACK_KEY } from '../../../../functions/src/reports/config';
import type { Report } from '../../../../functions/src/reports/report';

const cw = mockClient(CloudWatchClient);
const logs = mockClient(CloudWatchLogsClient);
const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);

const ENV = { REPORT_BUCKET: 'async-processing-reports-prod' };
const STACK = {
  stage: 'prod',
  topicArn: 'arn:aws:sns:ap-northeast-1:123456789012:async-processing-prod-warning',
  stateMachineArn: 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:AIGenerationStateMachine',
  api: { id: 'abc123', stage: '$default', accessLogGroupName: '/aws/apigateway/async-processing-api-prod' },
  clusterIdentifier: 'async-processing-prod',
  clusterArn: 'arn:aws:rds:ap-northeast-1:123456789012:cluster:async-processing-prod',
  webAclName: 'edge-prod',
  costLines: { lambda: ['AWS Lambda'] },
  declared: { roles: [], securityGroupRules: [] },
};
const body = (doc: unknown) => ({ Body: { transformToString: async () => JSON.stringify(doc) } as never });
const saved = { ...process.env };
beforeAll(() => quietObservability());

beforeEach(() => {
  for (const m of [cw, logs, sfn, s3, sns]) m.reset();
  Object.assign(process.env, ENV);
  resetForTests();
  cw.on(GetMetricDataCommand).callsFake((input) => ({
    MetricDataResults: input.MetricDataQueries.map(
      (q: { Id: string; MetricStat: { Metric: { Namespace: string; MetricName: string } } }) => ({
        Id: q.Id,
        Values:
          q.MetricStat.Metric.Namespace === METRIC_NAMESPACE &&
          q.MetricStat.Metric.MetricName === METRICS.failed.name &&
          q.Id.endsWith('_0')
            ? [2]
            : [],
      }),
    ),
  }));
  logs.on(StartQueryCommand).resolves({ queryId: 'q' });
  logs.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [] });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  s3.on(GetObjectCommand, { Key: STACK_KEY }).resolves(body(STACK));
});
afterAll(() => {
  process.env = saved;
});

describe('OpsReport', () => {
  it('writes the morning report as JSON and Markdown under reports/daily/ and posts its summary for Slack and e-mail', async () => {
    // act
    const out = await handler({ report: 'daily', at: '2026-12-07T00:00:00Z' });

    // assess
    expect(out).toEqual({ markdown: 'reports/daily/2026-12-07-morning.md', json: 'reports/daily/2026-12-07-morning.json', breaches: 1 });
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key, p.ContentType])).toEqual([
      [ENV.REPORT_BUCKET, 'reports/daily/2026-12-07-morning.json', 'application/json'],
      [ENV.REPORT_BUCKET, 'reports/daily/2026-12-07-morning.md', 'text/markdown; charset=utf-8'],
    ]);
    const report = JSON.parse(String(puts[0]!.Body)) as Report;
    expect(report).toMatchObject({
      kind: 'daily',
      edition: 'morning',
      source: 'AWS (prod)',
      window: { start: '2026-12-05T15:00:00.000Z', end: '2026-12-06T15:00:00.000Z' },
    });
    expect(String(puts[1]!.Body)).toMatch(/^# 日次チェック（朝）\n/);

    const publish = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(publish).toMatchObject({
      TopicArn: STACK.topicArn,
      MessageStructure: 'json',
      Subject: 'AsyncProcessing daily (morning) report, AWS (prod): 1 item(s) outside the guide',
    });
    const message = JSON.parse(publish.Message!) as Record<string, string>;
    expect(JSON.parse(message.default!)).toEqual({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: '日次チェック（朝） 2026-12-06 00:00 JST – 2026-12-07 00:00 JST (AWS (prod)): 1 item(s) outside the guide',
        description: `❌ エラー率 (%): 100 (target < 1 %)\ns3://${ENV.REPORT_BUCKET}/reports/daily/2026-12-07-morning.md`,
      },
    });
    expect(message.https).toBe(message.default);
    expect(message.email).toMatch(/^日次チェック（朝） 2026-12-06 00:00 JST/);
  });

  it('names the month it covers in the monthly report’s key, and audits what program/stack.json declares', async () => {
    // prepare
    mockClient(CostExplorerClient)
      .on(GetCostAndUsageCommand)
      .resolves({ ResultsByTime: [{ Groups: [{ Keys: ['AWS Lambda'], Metrics: { UnblendedCost: { Amount: '12.5', Unit: 'USD' } } }] }] });
    mockClient(AccessAnalyzerClient).on(ListAnalyzersCommand).resolves({ analyzers: [] });
    mockClient(RDSClient).on(DescribePendingMaintenanceActionsCommand).resolves({ PendingMaintenanceActions: [] });

    // act
    const out = await handler({ report: 'monthly', at: '2027-01-01T00:00:00Z' });

    // assess
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: ENV.REPORT_BUCKET, Key: 'program/stack.json' },
    ]);
    expect(out).toMatchObject({ markdown: 'reports/monthly/2026-12.md' });
    const report = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body)) as Report;
    expect(report.sections.find((x) => x.id === 'cost')!.checks![1]).toMatchObject({ item: 'lambda (USD)', value: 12.5 });
    expect(report.sections.find((x) => x.id === 'security-audit')!.checks!.map((c) => c.item)).toEqual([
      'access-analyzer: unused access',
      'patches: async-processing-prod',
    ]);
  });

  it.each([
    [{}],
    [{ report: 'yearly' }],
    [{ report: 'weekly', edition: 'morning' }],
    [{ report: 'daily', edition: 'noon' }],
    [{ report: 'daily', at: 'soon' }],
  ])('refuses the event %j, saying what it expects', (event) => {
    expect(() => parseEvent(event)).toThrow(/^(Expected \{"report"|"edition" is for the daily report only|"at" must be an ISO 8601 time)/);
  });

  it('names the missing bucket, and every missing field of the stack file', async () => {
    expect(() => loadReportEnv({})).toThrow(/^OpsReport needs REPORT_BUCKET/);
    expect(() => parseStack({ ...STACK, api: { id: 'x' }, webAclName: '' }, 's3://b/program/stack.json')).toThrow(
      's3://b/program/stack.json lacks api.stage, api.accessLogGroupName, webAclName: run pulumi up, which writes it',
    );
  });

  it('fails the run, naming the file, when the stack file is not there yet, and reads it again on the next run', async () => {
    // prepare
    s3.on(GetObjectCommand, { Key: STACK_KEY }).resolvesOnce(body({})).resolves(body(STACK));

    // act
    const first = await handler({ report: 'daily', at: '2026-12-07T00:00:00Z' }).catch((e: Error) => e.message);
    const second = await handler({ report: 'daily', at: '2026-12-07T00:00:00Z' });

    // assess
    expect(first).toMatch(/^s3:\/\/async-processing-reports-prod\/program\/stack\.json lacks stage,/);
    expect(second.json).toBe('reports/daily/2026-12-07-morning.json');
  });
});
