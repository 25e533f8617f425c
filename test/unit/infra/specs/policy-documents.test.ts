/** The IAM documents as data: least privilege, `*` only where AWS offers no scope. */
import { bedrockModelArns, arns } from '../../../../infra/specs/arns';
import * as docs from '../../../../infra/specs/policy-documents';

const scope = { partition: 'aws', region: 'ap-northeast-1', accountId: '111122223333' };
const a = arns(scope);
const secretArn = 'arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:db';
const appUserArn = a.dbUser('cluster-ABCDEFGHIJKL01234', 'aip_app');
const basics = { logStreamArns: [a.logStreams('/aws/lambda/x')], database: { dbUserArn: appUserArn } };

const allDocs = {
  lambda: docs.lambdaRolePolicy({
    ...basics,
    stateMachineArn: a.stateMachine('AIGenerationStateMachine'),
    executionsArn: a.executions('AIGenerationStateMachine'),
  }),
  worker: docs.workerRolePolicy({ ...basics, modelArns: bedrockModelArns(scope, 'anthropic.claude-3-haiku-20240307-v1:0') }),
  dbAdmin: docs.dbAdminRolePolicy({ logStreamArns: [a.logStreams('/aws/lambda/db-migrate')], masterSecretArn: secretArn }),
  stepFunctions: docs.stepFunctionsRolePolicy({ workerArns: [a.lambda('ai-generation-worker')] }),
  monitoring: docs.monitoringRolePolicy({
    logGroupArns: [a.logGroup('/aws/lambda/x')],
    stateMachineArn: a.stateMachine('M'),
    executionsArn: a.executions('M'),
    alarmArns: [a.alarms('AsyncProcessing-*')],
    dashboardArn: a.dashboard('AsyncProcessing-Dashboard'),
  }),
  scheduler: docs.schedulerRolePolicy([a.lambda('processing-cleanup')]),
  proxy: docs.proxyRolePolicy('arn:secret'),
  firehose: docs.firehoseRolePolicy('arn:aws:s3:::archive'),
  logs: docs.logsToFirehosePolicy('arn:aws:firehose:stream'),
};

describe('IAM policy documents', () => {
  it.each(Object.entries(allDocs))('%s: uses `*` only in statements marked UnscopedByAws', (_, doc) => {
    for (const s of doc.Statement) {
      if (s.Resource.some((r) => r === '*')) expect(s.Sid).toMatch(/UnscopedByAws$/);
      expect(s.Action.some((x) => x.endsWith(':*') || x === '*')).toBe(false);
    }
  });

  it('lets AsyncProcessingLambdaRole start this state machine only and stop only its executions', () => {
    const byId = Object.fromEntries(allDocs.lambda.Statement.map((s) => [s.Sid, s]));
    expect(byId.StartThisStateMachine).toMatchObject({
      Action: ['states:StartExecution'],
      Resource: ['arn:aws:states:ap-northeast-1:111122223333:stateMachine:AIGenerationStateMachine'],
    });
    expect(byId.StopOwnExecutions).toMatchObject({
      Action: ['states:StopExecution', 'states:DescribeExecution'],
      Resource: ['arn:aws:states:ap-northeast-1:111122223333:execution:AIGenerationStateMachine:*'],
    });
    expect(allDocs.lambda.Statement.flatMap((s) => s.Action)).not.toContain('bedrock:InvokeModel');
  });

  it('lets the application roles sign in as aip_app on one cluster, and never read the master secret', () => {
    for (const doc of [allDocs.lambda, allDocs.worker]) {
      const connect = doc.Statement.filter((s) => s.Action.includes('rds-db:connect'));
      expect(connect).toEqual([
        expect.objectContaining({
          Sid: 'ConnectAsAppUserOnly',
          Resource: ['arn:aws:rds-db:ap-northeast-1:111122223333:dbuser:cluster-ABCDEFGHIJKL01234/aip_app'],
        }),
      ]);
      expect(doc.Statement.flatMap((s) => s.Action)).not.toContain('secretsmanager:GetSecretValue');
    }
  });

  it('lets the database admin role read the master secret and nothing of the application', () => {
    const actions = allDocs.dbAdmin.Statement.flatMap((s) => s.Action);
    expect(allDocs.dbAdmin.Statement.find((s) => s.Sid === 'ReadDatabaseSecret')!.Resource).toEqual([secretArn]);
    expect(actions).not.toContain('rds-db:connect');
    expect(actions.filter((x) => /^(states|bedrock):/.test(x))).toEqual([]);
  });

  it('lets MonitoringRole read only our alarms and dashboard', () => {
    const byId = Object.fromEntries(allDocs.monitoring.Statement.map((s) => [s.Sid, s]));
    expect(byId.ReadOwnAlarms).toMatchObject({
      Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      Resource: ['arn:aws:cloudwatch:ap-northeast-1:111122223333:alarm:AsyncProcessing-*'],
    });
    expect(byId.ReadOwnDashboard).toMatchObject({
      Action: ['cloudwatch:GetDashboard'],
      Resource: ['arn:aws:cloudwatch::111122223333:dashboard/AsyncProcessing-Dashboard'],
    });
    expect(byId.ReadMetricsUnscopedByAws!.Action).not.toContain('cloudwatch:DescribeAlarms');
  });

  it('lets StepFunctionsRole invoke the worker (and its versions) only', () => {
    const invoke = allDocs.stepFunctions.Statement.find((s) => s.Action.includes('lambda:InvokeFunction'))!;
    const worker = 'arn:aws:lambda:ap-northeast-1:111122223333:function:ai-generation-worker';
    expect(invoke.Resource).toEqual([worker, `${worker}:*`]);
  });

  it('gives MonitoringRole reads only', () => {
    const actions = allDocs.monitoring.Statement.flatMap((s) => s.Action);
    expect(actions.every((x) => /:(Get|List|Describe|FilterLogEvents|StartQuery|StopQuery)/.test(x))).toBe(true);
  });

  it('trusts a service only on behalf of this account', () => {
    expect(docs.serviceTrust('lambda.amazonaws.com', '111122223333').Statement[0]).toMatchObject({
      Principal: { Service: 'lambda.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    });
  });

  it('lets CloudFront read the frontend bucket for this distribution only', () => {
    const s = docs.frontendBucketPolicy('arn:aws:s3:::site', 'arn:aws:cloudfront::1:distribution/E1').Statement[0]!;
    expect(s).toMatchObject({
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::site/*',
      Condition: { StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::1:distribution/E1' } },
    });
  });
});

describe('bedrockModelArns', () => {
  it('names the one foundation model in the region', () => {
    expect(bedrockModelArns(scope, 'anthropic.claude-3-haiku-20240307-v1:0')).toEqual([
      'arn:aws:bedrock:ap-northeast-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
    ]);
  });

  it('names an inference profile and its model wherever the profile routes', () => {
    expect(bedrockModelArns(scope, 'apac.anthropic.claude-3-5-sonnet-20241022-v2:0')).toEqual([
      'arn:aws:bedrock:ap-northeast-1:111122223333:inference-profile/apac.anthropic.claude-3-5-sonnet-20241022-v2:0',
      'arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0',
    ]);
  });
});
