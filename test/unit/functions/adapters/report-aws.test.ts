/**
 * The reports' AWS source with the real SDK clients, AWS answered by aws-sdk-client-mock: the
 * exact requests each figure needs (GetMetricData, Logs Insights, ListExecutions, Cost Explorer,
 * IAM, EC2, Access Analyzer, RDS), and the same report model the local source fills.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { AccessAnalyzerClient, ListAnalyzersCommand, ListFindingsV2Command } from '@aws-sdk/client-accessanalyzer';
import { DescribePendingMaintenanceActionsCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { BUDGET, FUNCTIONS, METRIC_NAMESPACE, METRICS, SLO } from '../../../../guide';
import {
  AUTH_FAILURES_QUERY,
  AwsReportSource,
  ERRORS_BY_DAY_QUERY,
  awsReportClients,
  type AwsReportConfig,
} from '../../../../functions/src/adapters/report-aws';
import { buildReport } from '../../../../functions/src/reports/build';
import type { Declared } from '../../../../functions/src/reports/declared';
import type { Report, Section } from '../../../../functions/src/reports/report';

const cw = mockClient(CloudWatchClient);
const logs = mockClient(CloudWatchLogsClient);
const sfn = mockClient(SFNClient);
const ce = mockClient(CostExplorerClient);
const iam = mockClient(IAMClient);
const ec2 = mockClient(EC2Client);
const aa = mockClient(AccessAnalyzerClient);
const rds = mockClient(RDSClient);

const ARN = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:AIGenerationStateMachine';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'A', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [ARN] }],
});
const DECLARED: Declared = {
  roles: [
    { roleName: 'AsyncProcessingLambdaRole-prod', policyName: 'inline', policy: POLICY },
    { roleName: 'AIGenerationWorkerRole-prod', policyName: 'inline', policy: POLICY },
    { roleName: 'AsyncProcessingOpsReportRole', policyName: 'reads', policy: POLICY },
    { roleName: 'AsyncProcessingOpsReportRole', policyName: 'publish', policy: POLICY },
  ],
  securityGroupRules: [
    { groupId: 'sg-db', direction: 'ingress', protocol: 'tcp', port: 5432, peerGroupId: 'sg-lambda' },
    { groupId: 'sg-lambda', direction: 'egress', protocol: 'tcp', port: 443, cidrIpv4: '0.0.0.0/0' },
  ],
};
const CONFIG: AwsReportConfig = {
  stage: 'prod',
  stateMachineArn: ARN,
  api: { id: 'abc123', stage: '$default', accessLogGroupName: '/aws/apigateway/async-processing-api-prod' },
  clusterIdentifier: 'async-processing-prod',
  clusterArn: 'arn:aws:rds:ap-northeast-1:123456789012:cluster:async-processing-prod',
  webAclName: 'async-processing-edge-prod',
  declared: async () => DECLARED,
};
const source = () => new AwsReportSource(awsReportClients('ap-northeast-1'), CONFIG, { sleep: async () => undefined });

/** What CloudWatch answers for a query: by namespace, metric, dimension values. */
function metricAnswer(q: MetricDataQuery): number[] {
  const m = q.MetricStat!.Metric!;
  const dims = Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name, d.Value]));
  const custom = (key: keyof typeof METRICS) => m.Namespace === METRIC_NAMESPACE && m.MetricName === METRICS[key].name;
  const table: [boolean, number[]][] = [
    [custom('started') && dims.type === 'SUBGOAL_GENERATION', [3, 2]],
    [custom('started') && dims.type === 'TASK_GENERATION', [1]],
    [custom('completed') && dims.type === 'SUBGOAL_GENERATION', [4]],
    [custom('failed') && dims.type === 'SUBGOAL_GENERATION', [1]],
    [custom('timeout') && dims.type === 'TASK_GENERATION', [1]],
    [custom('cancelled') && dims.type === 'TASK_GENERATION', [2]],
    [custom('rateLimited') && dims.type === undefined, [2, 5]],
    [custom('queueDepth'), [4, 7]],
    [custom('oldestActiveAge'), [100, 250]],
    [custom('duration') && dims.type === 'SUBGOAL_GENERATION', [240_000]],
    [m.Namespace === 'AWS/WAFV2' && m.MetricName === 'BlockedRequests', [9, 1]],
    [m.Namespace === 'AWS/ApiGateway' && dims.Method === 'POST', [812.4]],
    [m.Namespace === 'AWS/ApiGateway' && dims.Method === 'GET', [612.6]],
    [m.Namespace === 'AWS/Lambda' && dims.FunctionName === FUNCTIONS.aiGenerationWorker.name, [3, 90]],
    [m.Namespace === 'AWS/RDS', [2 * 1024 ** 3, 2.5 * 1024 ** 3]],
  ];
  return table.find(([hit]) => hit)?.[1] ?? [];
}

beforeEach(() => {
  for (const m of [cw, logs, sfn, ce, iam, ec2, aa, rds]) m.reset();
  cw.on(GetMetricDataCommand).callsFake((input) => ({
    MetricDataResults: input.MetricDataQueries.map((q: MetricDataQuery) => ({ Id: q.Id, Values: metricAnswer(q), StatusCode: 'Complete' })),
  }));
  logs
    .on(StartQueryCommand, { queryString: AUTH_FAILURES_QUERY })
    .resolves({ queryId: 'q-auth' })
    .on(StartQueryCommand, { queryString: ERRORS_BY_DAY_QUERY })
    .resolves({ queryId: 'q-errors' });
  logs.on(GetQueryResultsCommand, { queryId: 'q-auth' }).resolves({ status: 'Complete', results: [[{ field: 'n', value: '6' }]] });
  logs
    .on(GetQueryResultsCommand, { queryId: 'q-errors' })
    .resolvesOnce({ status: 'Running', results: [] })
    .resolves({
      status: 'Complete',
      results: [
        // JST day 20427 is 2025-12-07... computed below from the date, not assumed.
        [
          { field: 'jstDay', value: String(Math.floor((Date.parse('2026-12-01T00:00:00+09:00') + 9 * 3600_000) / 86_400_000)) },
          { field: 'errorCode', value: 'AI_ERROR' },
          { field: 'n', value: '3' },
        ],
        [
          { field: 'jstDay', value: String(Math.floor((Date.parse('2026-12-03T12:00:00+09:00') + 9 * 3600_000) / 86_400_000)) },
          { field: 'errorCode', value: 'TIMEOUT_ERROR' },
          { field: 'n', value: '1' },
        ],
        [
          { field: 'jstDay', value: '0' },
          { field: 'errorCode', value: 'NOT_OURS' },
          { field: 'n', value: '5' },
        ],
      ],
    });
  sfn.on(ListExecutionsCommand).callsFake((input) => {
    const inWindow = new Date('2026-12-06T03:00:00Z');
    const before = new Date('2026-12-01T00:00:00Z');
    const byStatus: Record<string, Date[]> = {
      SUCCEEDED: [inWindow, inWindow, before],
      FAILED: [inWindow],
      RUNNING: [],
      TIMED_OUT: [before],
      ABORTED: [],
    };
    return {
      executions: (byStatus[input.statusFilter] ?? []).map((startDate, i) => ({
        executionArn: `${ARN}:e${i}`,
        stateMachineArn: ARN,
        name: `e${i}`,
        status: input.statusFilter,
        startDate,
      })),
    };
  });
});

const section = (r: Report, id: string): Section => r.sections.find((s) => s.id === id)!;

describe('AwsReportSource: the daily report', () => {
  it('asks CloudWatch for the window as one period, per type and status, and maps the answers into the report', async () => {
    // act
    const r = await buildReport('daily', source(), { at: new Date('2026-12-07T09:00:00+09:00') });

    // assess: the request
    const processing = cw
      .commandCalls(GetMetricDataCommand)
      .map((c) => c.args[0].input)
      .find((i) => i.MetricDataQueries!.length === 15)!;
    expect(processing).toMatchObject({
      StartTime: new Date('2026-12-05T15:00:00Z'),
      EndTime: new Date('2026-12-06T15:00:00Z'),
      ScanBy: 'TimestampAscending',
    });
    expect(processing.MetricDataQueries![0]).toEqual({
      Id: 'started_0',
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: METRIC_NAMESPACE,
          MetricName: METRICS.started.name,
          Dimensions: [
            { Name: 'service', Value: 'async-ai-pipeline' },
            { Name: 'type', Value: 'SUBGOAL_GENERATION' },
          ],
        },
        Period: 86_400,
        Stat: 'Sum',
      },
    });
    // assess: the figures
    expect(r.source).toBe('AWS (prod)');
    expect(section(r, 'processing').table!.rows).toEqual([
      ['SUBGOAL_GENERATION', 5, 4, 1, 0, 0],
      ['ACTION_GENERATION', 0, 0, 0, 0, 0],
      ['TASK_GENERATION', 1, 0, 0, 1, 2],
      ['TOTAL', 6, 4, 1, 1, 2],
    ]);
    expect(section(r, 'rates').checks!.map((c) => c.value)).toEqual([33.33, 16.67]);
    expect(section(r, 'queue').checks!.map((c) => c.value)).toEqual([7, 250]);
    expect(section(r, 'executions').table!.rows).toEqual([
      ['RUNNING', 0],
      ['SUCCEEDED', 2],
      ['FAILED', 1],
      ['TIMED_OUT', 0],
      ['ABORTED', 0],
    ]);
    expect(section(r, 'security').checks!.map((c) => c.value)).toEqual([6, 7, 10]);
  });

  it('reads auth failures from the API access log, and WAF blocks from us-east-1', async () => {
    // act
    await buildReport('daily', source(), { at: new Date('2026-12-07T09:00:00+09:00') });

    // assess
    expect(logs.commandCalls(StartQueryCommand, { queryString: AUTH_FAILURES_QUERY })[0]!.args[0].input).toEqual({
      logGroupNames: [CONFIG.api.accessLogGroupName],
      queryString: AUTH_FAILURES_QUERY,
      startTime: Date.parse('2026-12-05T15:00:00Z') / 1000,
      endTime: Date.parse('2026-12-06T15:00:00Z') / 1000 - 1,
    });
    const waf = cw
      .commandCalls(GetMetricDataCommand)
      .find((c) => c.args[0].input.MetricDataQueries![0]!.MetricStat!.Metric!.Namespace === 'AWS/WAFV2')!;
    expect(waf.args[0].input.MetricDataQueries![0]!.MetricStat!.Metric!.Dimensions).toEqual([
      { Name: 'WebACL', Value: CONFIG.webAclName },
      { Name: 'Rule', Value: 'ALL' },
    ]);
    expect(await (waf.thisValue as CloudWatchClient).config.region()).toBe('us-east-1');
  });

  it('lists executions per status filter of the state machine', async () => {
    // act
    await source().executions({ start: new Date('2026-12-05T15:00:00Z'), end: new Date('2026-12-06T15:00:00Z') });

    // assess
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input)).toEqual(
      ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'].map((statusFilter) => ({
        stateMachineArn: ARN,
        statusFilter,
        maxResults: 1000,
      })),
    );
  });
});

describe('AwsReportSource: the weekly report', () => {
  it('reads the error trend from Logs Insights over every function’s log group, polling until complete', async () => {
    // act
    const r = await buildReport('weekly', source(), { at: new Date('2026-12-07T09:00:00+09:00') });

    // assess
    expect(logs.commandCalls(StartQueryCommand, { queryString: ERRORS_BY_DAY_QUERY })[0]!.args[0].input.logGroupNames).toEqual(
      Object.values(FUNCTIONS).map((f) => `/aws/lambda/${f.name}`),
    );
    expect(logs.commandCalls(GetQueryResultsCommand, { queryId: 'q-errors' })).toHaveLength(2);
    const trend = section(r, 'error-trend').table!;
    expect(trend.rows[1]).toEqual(['2026-12-01', 3, 0, 0, 0]);
    expect(trend.rows[3]).toEqual(['2026-12-03', 0, 0, 1, 0]);
    expect(trend.rows.at(-1)).toEqual(['TOTAL', 3, 0, 1, 0]);
  });

  it('holds the routes’ p95 and the completion time against the SLO, and capacity against the plan', async () => {
    // act
    const r = await buildReport('weekly', source(), { at: new Date('2026-12-07T09:00:00+09:00') });

    // assess
    const slo = section(r, 'slo').checks!;
    expect(slo[0]).toEqual({ item: '開始API p95', value: 812, target: `< ${SLO.startApiP95Ms} ms`, status: 'ok' });
    expect(slo[1]).toEqual({ item: '状態確認API p95', value: 613, target: `< ${SLO.statusApiP95Ms} ms`, status: 'breach' });
    expect(slo[2]).toMatchObject({ item: '平均完了時間 SUBGOAL_GENERATION (min)', value: 4, status: 'ok' });
    const latency = cw
      .commandCalls(GetMetricDataCommand)
      .flatMap((c) => c.args[0].input.MetricDataQueries!)
      .find((q) => q.Id === 'start')!;
    expect(latency.MetricStat).toEqual({
      Metric: {
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Latency',
        Dimensions: [
          { Name: 'ApiId', Value: 'abc123' },
          { Name: 'Stage', Value: '$default' },
          { Name: 'Method', Value: 'POST' },
          { Name: 'Resource', Value: '/v1/processes' },
        ],
      },
      Period: 7 * 86_400,
      Stat: 'p95',
    });
    const capacity = section(r, 'capacity').checks!;
    const worker = capacity.find((c) => c.item.startsWith(FUNCTIONS.aiGenerationWorker.component))!;
    expect(worker.value).toBe(90);
    // 2.5 GB now, 0.5 GB more in 7 days: 2.143 GB a month.
    expect(capacity.find((c) => c.item.startsWith('データベース容量'))).toMatchObject({ value: 2.5, status: 'ok' });
    expect(capacity.find((c) => c.item.startsWith('月間増加'))).toMatchObject({ value: 2.143, status: 'breach' });
  });
});

describe('AwsReportSource: the monthly report', () => {
  beforeEach(() => {
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({
        ResultsByTime: [
          {
            Groups: [
              { Keys: ['AWS Lambda'], Metrics: { UnblendedCost: { Amount: '150.5', Unit: 'USD' } } },
              { Keys: ['Amazon Bedrock'], Metrics: { UnblendedCost: { Amount: '170', Unit: 'USD' } } },
            ],
          },
        ],
        NextPageToken: 'p2',
      })
      .resolves({
        ResultsByTime: [
          {
            Groups: [
              { Keys: ['Amazon Relational Database Service'], Metrics: { UnblendedCost: { Amount: '80', Unit: 'USD' } } },
              { Keys: ['Amazon CloudWatch'], Metrics: { UnblendedCost: { Amount: '20', Unit: 'USD' } } },
            ],
          },
        ],
      });
    iam
      .on(ListAttachedRolePoliciesCommand)
      .resolves({ AttachedPolicies: [] })
      .on(ListAttachedRolePoliciesCommand, { RoleName: 'AIGenerationWorkerRole-prod' })
      .resolves({ AttachedPolicies: [{ PolicyName: 'AdministratorAccess' }] });
    iam
      .on(ListRolePoliciesCommand)
      .resolves({ PolicyNames: ['inline'] })
      .on(ListRolePoliciesCommand, { RoleName: 'AsyncProcessingOpsReportRole' })
      .resolves({ PolicyNames: ['reads', 'publish', 'added-by-hand'] });
    iam.on(GetRolePolicyCommand).resolves({
      PolicyDocument: encodeURIComponent(
        JSON.stringify({
          Statement: { Resource: ARN, Action: 'states:StartExecution', Effect: 'Allow', Sid: 'A' },
          Version: '2012-10-17',
        }),
      ),
    });
    iam.on(GetRolePolicyCommand, { RoleName: 'AsyncProcessingOpsReportRole', PolicyName: 'publish' }).resolves({
      PolicyDocument: encodeURIComponent(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'A', Effect: 'Allow', Action: ['states:StartExecution', 's3:DeleteObject'], Resource: [ARN] }],
        }),
      ),
    });
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: 'sg-db',
          GroupName: 'db',
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: 'sg-lambda' }] },
            { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          ],
          IpPermissionsEgress: [],
        },
        {
          GroupId: 'sg-lambda',
          GroupName: 'lambda',
          IpPermissions: [],
          IpPermissionsEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        },
      ],
    });
    aa.on(ListAnalyzersCommand).resolves({
      analyzers: [{ arn: 'arn:aa', name: 'unused', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE', createdAt: new Date() }],
    });
    aa.on(ListFindingsV2Command).resolves({
      findings: [
        {
          id: 'f1',
          findingType: 'UnusedIAMRole',
          resourceType: 'AWS::IAM::Role',
          resourceOwnerAccount: '1',
          analyzedAt: new Date(),
          createdAt: new Date(),
          updatedAt: new Date(),
          status: 'ACTIVE',
        },
      ],
    });
    rds.on(DescribePendingMaintenanceActionsCommand).resolves({
      PendingMaintenanceActions: [
        {
          ResourceIdentifier: CONFIG.clusterArn,
          PendingMaintenanceActionDetails: [{ Action: 'system-update', Description: 'Aurora 16.6.1' }],
        },
      ],
    });
  });

  it('sums Cost Explorer’s month by service into the guide’s budget lines, page by page', async () => {
    // act
    const r = await buildReport('monthly', source(), {
      at: new Date('2027-01-01T09:00:00+09:00'),
      costLines: { lambda: ['AWS Lambda'], bedrock: ['Amazon Bedrock'], aurora: ['Amazon Relational Database Service'] },
    });

    // assess
    expect(ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input)).toEqual([
      {
        TimePeriod: { Start: '2026-12-01', End: '2027-01-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      },
      {
        TimePeriod: { Start: '2026-12-01', End: '2027-01-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        NextPageToken: 'p2',
      },
    ]);
    const cost = section(r, 'cost').checks!;
    expect(cost.map((c) => [c.item, c.value, c.status])).toEqual([
      ['合計 (USD)', 420.5, 'ok'],
      ['lambda (USD)', 150.5, 'ok'],
      ['bedrock (USD)', 170, 'breach'],
      ['aurora (USD)', 80, 'ok'],
      ['other (USD)', 20, 'ok'],
    ]);
    expect(cost[2]!.target).toBe(
      `<= ${(BUDGET.monthlyUsd * BUDGET.sharePercent.bedrock) / 100} (${BUDGET.sharePercent.bedrock} % of ${BUDGET.monthlyUsd})`,
    );
  });

  it('audits IAM and security groups against what the program declares, unused access and pending patches', async () => {
    // act
    const r = await buildReport('monthly', source(), { at: new Date('2027-01-01T09:00:00+09:00') });

    // assess
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input).toEqual({ GroupIds: ['sg-db', 'sg-lambda'] });
    expect(rds.commandCalls(DescribePendingMaintenanceActionsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'db-cluster-id', Values: [CONFIG.clusterArn] }],
    });
    expect(aa.commandCalls(ListFindingsV2Command)[0]!.args[0].input).toEqual({
      analyzerArn: 'arn:aa',
      filter: { status: { eq: ['ACTIVE'] } },
    });
    expect(section(r, 'security-audit').checks!.map((c) => [c.item, c.status, c.note])).toEqual([
      ['iam: AsyncProcessingLambdaRole-prod', 'ok', 'one inline policy, as declared; nothing attached'],
      ['iam: AIGenerationWorkerRole-prod', 'breach', 'managed policies attached outside the program: AdministratorAccess'],
      [
        'iam: AsyncProcessingOpsReportRole',
        'breach',
        "inline policies the program does not declare: added-by-hand; publish differs from the program's; actions added: s3:DeleteObject",
      ],
      [
        'security-group: db (sg-db)',
        'breach',
        'open to the internet: ingress tcp/5432 0.0.0.0/0; rules not in the program: ingress tcp/5432 0.0.0.0/0',
      ],
      ['security-group: lambda (sg-lambda)', 'ok', '1 rule(s), as declared'],
      ['access-analyzer: unused access', 'breach', '1 active finding(s): UnusedIAMRole 1'],
      ['patches: async-processing-prod', 'breach', 'pending: system-update (Aurora 16.6.1)'],
    ]);
  });
});
