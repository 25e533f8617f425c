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
import { loadReportConfig, REPORT_ENV } from '../../../../functions/src/reports/config';
import type { Report } from '../../../../functions/src/reports/report';

const cw = mockClient(CloudWatchClient);
const logs = mockClient(CloudWatchLogsClient);
const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);

const ENV = {
  REPORT_BUCKET: 'async-processing-reports-prod', REPORT_TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:123456789012:async-processing-prod-warning',
  STAGE: 'prod', STATE_MACHINE_ARN: 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:AIGenerationStateMachine',
  API_ID: 'abc123', API_STAGE: '$default', API_ACCESS_LOG_GROUP: '/aws/apigateway/async-processing-api-prod',
  DB_CLUSTER_IDENTIFIER: 'async-processing-prod', DB_CLUSTER_ARN: 'arn:aws:rds:ap-northeast-1:123456789012:cluster:async-processing-prod',
  WEB_ACL_NAME: 'edge-prod', COST_LINES: '{"lambda":["AWS Lambda"]}',
};
const saved = { ...process.env };
beforeAll(() => quietObservability());

beforeEach(() => {
  for (const m of [cw, logs, sfn, s3, sns]) m.reset();
  Object.assign(process.env, ENV);
  resetForTests();
  cw.on(GetMetricDataCommand).callsFake((input) => ({
    MetricDataResults: input.MetricDataQueries.map((q: { Id: string; MetricStat: { Metric: { Namespace: string; MetricName: string } } }) => ({
      Id: q.Id, Values: q.MetricStat.Metric.Namespace === METRIC_NAMESPACE && q.MetricStat.Metric.MetricName === METRICS.failed.name && q.Id.endsWith('_0') ? [2] : [],
    })),
  }));
  logs.on(StartQueryCommand).resolves({ queryId: 'q' });
  logs.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [] });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
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
    expect(report).toMatchObject({ kind: 'daily', edition: 'morning', source: 'AWS (prod)', window: { start: '2026-12-05T15:00:00.000Z', end: '2026-12-06T15:00:00.000Z' } });
    expect(String(puts[1]!.Body)).toMatch(/^# 日次チェック（朝）\n/);

    const publish = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(publish).toMatchObject({ TopicArn: ENV.REPORT_TOPIC_ARN, MessageStructure: 'json', Subject: 'AsyncProcessing daily (morning) report, AWS (prod): 1 item(s) outside the guide' });
    const message = JSON.parse(publish.Message!) as Record<string, string>;
    expect(JSON.parse(message.default!)).toEqual({
      version: '1.0', source: 'custom',
      content: {
        textType: 'client-markdown', title: '日次チェック（朝） 2026-12-06 00:00 JST – 2026-12-07 00:00 JST (AWS (prod)): 1 item(s) outside the guide',
        description: `❌ エラー率 (%): 100 (target < 1 %)\ns3://${ENV.REPORT_BUCKET}/reports/daily/2026-12-07-morning.md`,
      },
    });
    expect(message.https).toBe(message.default);
    expect(message.email).toMatch(/^日次チェック（朝） 2026-12-06 00:00 JST/);
  });

  it('names the month it covers in the monthly report’s key and reads the program’s declaration from the bucket', async () => {
    // prepare
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => JSON.stringify({ roles: [], securityGroupRules: [] }) } as never });
    mockClient(CostExplorerClient).on(GetCostAndUsageCommand).resolves({ ResultsByTime: [{ Groups: [{ Keys: ['AWS Lambda'], Metrics: { UnblendedCost: { Amount: '12.5', Unit: 'USD' } } }] }] });
    mockClient(AccessAnalyzerClient).on(ListAnalyzersCommand).resolves({ analyzers: [] });
    mockClient(RDSClient).on(DescribePendingMaintenanceActionsCommand).resolves({ PendingMaintenanceActions: [] });

    // act
    const out = await handler({ report: 'monthly', at: '2027-01-01T00:00:00Z' });

    // assess
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: ENV.REPORT_BUCKET, Key: 'program/declared.json' });
    expect(out).toMatchObject({ markdown: 'reports/monthly/2026-12.md' });
    const report = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body)) as Report;
    expect(report.sections.find((x) => x.id === 'cost')!.checks![1]).toMatchObject({ item: 'lambda (USD)', value: 12.5 });
    expect(report.sections.find((x) => x.id === 'security-audit')!.checks!.map((c) => c.item)).toEqual(['access-analyzer: unused access', 'patches: async-processing-prod']);
  });

  it.each([[{}], [{ report: 'yearly' }], [{ report: 'weekly', edition: 'morning' }], [{ report: 'daily', edition: 'noon' }], [{ report: 'daily', at: 'soon' }]])(
    'refuses the event %j, saying what it expects', (event) => {
      expect(() => parseEvent(event)).toThrow(/^(Expected \{"report"|"edition" is for the daily report only|"at" must be an ISO 8601 time)/);
    },
  );

  it('names every missing setting', () => {
    expect(() => loadReportConfig({ STAGE: 'prod' })).toThrow(`OpsReport needs ${REPORT_ENV.filter((k) => k !== 'STAGE').join(', ')} (set by the ops-reports component of the Pulumi program)`);
  });
});
