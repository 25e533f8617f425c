/**
 * The scheduled reports under mocks (issue 13 item 3): the bucket that keeps them the guide's 90
 * days, the four schedules at the guide's check times in Asia/Tokyo, OpsReport's grants for what
 * it writes, and program/stack.json, what OpsReport reads of the deployed stack.
 */
import { CHECKS, INFRA, OPS_REPORT_IAM_ROLE, REPORTS, RETENTION, TIMEZONE } from '../../../../guide';
import type { StackForReports } from '../../../../functions/src/reports/config';
import { AUDITED_ROLE_NAMES } from '../../../../infra/components/iam';
import { reportBucketName, reportScheduleSpecs } from '../../../../infra/components/ops-reports';
import type { OfflineRun } from '../../../../infra/offline/run';
import { topicName } from '../../../../observability/alert-routing';
import { dailyCron, monthlyCron, weeklyCron } from '../../../../infra/specs/schedules';
import { STACKS, TYPES, named, ofType, policyOf, runStacks, type StackName } from '../helpers/stacks';

let runs: Record<StackName, OfflineRun>;
beforeAll(async () => {
  runs = await runStacks();
});

const ACCOUNT = '123456789012';
const FN_ARN = `arn:aws:lambda:ap-northeast-1:${ACCOUNT}:function:ops-report`;

describe('reportScheduleSpecs', () => {
  it('runs the daily check at 09:00 and 17:00, the weekly on Mondays and the monthly on the 1st, at 09:00', () => {
    expect(reportScheduleSpecs().map((s) => [s.name, s.expression, s.input])).toEqual([
      ['report-daily-morning', 'cron(0 9 * * ? *)', { report: 'daily', edition: 'morning' }],
      ['report-daily-evening', 'cron(0 17 * * ? *)', { report: 'daily', edition: 'evening' }],
      ['report-weekly', 'cron(0 9 ? * MON *)', { report: 'weekly' }],
      ['report-monthly', 'cron(0 9 1 * ? *)', { report: 'monthly' }],
    ]);
    expect(reportScheduleSpecs().map((s) => s.expression)).toEqual([
      dailyCron(CHECKS.dailyMorning),
      dailyCron(CHECKS.dailyEvening),
      weeklyCron(CHECKS.dailyMorning, REPORTS.weeklyDay),
      monthlyCron(CHECKS.dailyMorning, REPORTS.monthlyDayOfMonth),
    ]);
  });
});

describe.each(STACKS)('OpsReports (%s)', (stack) => {
  const run = () => runs[stack];

  it(`keeps the reports in a private bucket for ${RETENTION.processingRecordsDays} days, and the stack file for good`, () => {
    const bucket = named(run(), 'aws:s3/bucket:Bucket', 'ops-reports-bucket').inputs;
    expect(bucket).toMatchObject({ bucket: reportBucketName(stack, ACCOUNT), forceDestroy: stack !== 'prod' });
    expect(named(run(), 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'ops-reports-private').inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(named(run(), 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'ops-reports-lifecycle').inputs.rules).toEqual([
      expect.objectContaining({
        status: 'Enabled',
        filter: { prefix: `${REPORTS.keyPrefix}/` },
        expiration: { days: RETENTION.processingRecordsDays },
      }),
    ]);
  });

  it.each(reportScheduleSpecs())(`schedules $name in ${TIMEZONE}, invoking OpsReport with its event, retried within the hour`, (spec) => {
    expect(named(run(), TYPES.schedule, `ops-reports-${spec.name}`).inputs).toMatchObject({
      scheduleExpression: spec.expression,
      scheduleExpressionTimezone: TIMEZONE,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: FN_ARN,
        input: JSON.stringify(spec.input),
        retryPolicy: { maximumRetryAttempts: INFRA.scheduleRetryAttempts, maximumEventAgeInSeconds: REPORTS.scheduleMaxEventAgeSeconds },
      },
    });
  });

  it('lets its scheduler invoke OpsReport only', () => {
    expect(policyOf(named(run(), TYPES.rolePolicy, 'ops-reports-scheduler-role-policy')).Statement).toEqual([
      expect.objectContaining({ Action: ['lambda:InvokeFunction'], Resource: [FN_ARN] }),
    ]);
  });

  it('lets OpsReport write reports, read the stack file, list its analyzer and post to the warning topic, nothing else', () => {
    const policy = named(run(), TYPES.rolePolicy, 'ops-reports-publish-policy');
    const bucketArn = `arn:aws:s3:::${reportBucketName(stack, ACCOUNT)}`;
    expect(policy.inputs.name).toBe(`${OPS_REPORT_IAM_ROLE.name}-publish`);
    expect(policyOf(policy).Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ['WriteReports', ['s3:PutObject'], [`${bucketArn}/reports/*`]],
      ['ReadStackFile', ['s3:GetObject'], [`${bucketArn}/program/*`]],
      // The mocks' ARN of the analyzer resource: the one this component creates.
      [
        'ReadOwnAnalyzerFindings',
        ['access-analyzer:ListFindingsV2'],
        [`arn:aws:accessanalyzer:ap-northeast-1:${ACCOUNT}:ops-reports-unused-access`],
      ],
      ['PostToWarningTopic', ['sns:Publish'], [`arn:aws:sns:ap-northeast-1:${ACCOUNT}:${topicName(stack, 'warning')}`]],
      ['EncryptForTheWarningTopic', ['kms:GenerateDataKey', 'kms:Decrypt'], [expect.stringContaining(':kms:')]],
    ]);
  });

  it('creates the unused-access analyzer the monthly audit reads', () => {
    expect(named(run(), 'aws:accessanalyzer/analyzer:Analyzer', 'ops-reports-unused-access').inputs).toMatchObject({
      analyzerName: `async-ai-pipeline-${stack}-unused-access`,
      type: 'ACCOUNT_UNUSED_ACCESS',
      configuration: { unusedAccess: { unusedAccessAge: REPORTS.unusedAccessAgeDays } },
    });
  });

  it('writes program/stack.json with the deployed ids, the budget’s cost lines, and every role and rule the program declares', () => {
    const file = named(run(), 'aws:s3/bucketObjectv2:BucketObjectv2', 'ops-reports-stack-file').inputs;
    const doc = JSON.parse(file.content as string) as StackForReports;
    expect(file.key).toBe('program/stack.json');
    expect(doc).toMatchObject({
      stage: stack,
      stateMachineArn: `arn:aws:states:ap-northeast-1:${ACCOUNT}:stateMachine:AIGenerationStateMachine`,
      api: { stage: '$default', accessLogGroupName: expect.stringContaining(stack) },
      clusterIdentifier: `async-ai-pipeline-${stack}`,
      costLines: { lambda: ['AWS Lambda'], aurora: ['Amazon Relational Database Service'] },
      functionNames: { opsReport: 'ops-report', aiGenerationWorker: 'ai-generation-worker' },
    });
    expect(doc.topicArn).toBe(`arn:aws:sns:ap-northeast-1:${ACCOUNT}:${topicName(stack, 'warning')}`);
    expect([...new Set(doc.declared.roles.map((r) => r.roleName))]).toEqual(AUDITED_ROLE_NAMES);
    expect(doc.declared.roles.filter((r) => r.roleName === OPS_REPORT_IAM_ROLE.name).map((r) => r.policyName)).toEqual([
      OPS_REPORT_IAM_ROLE.name,
      `${OPS_REPORT_IAM_ROLE.name}-publish`,
    ]);
    const rules = ofType(run(), TYPES.securityGroupIngress).length + ofType(run(), TYPES.securityGroupEgress).length;
    expect(doc.declared.securityGroupRules).toHaveLength(rules);
    expect(doc.declared.securityGroupRules).toContainEqual(
      expect.objectContaining({ direction: 'egress', protocol: 'tcp', port: 443, cidrIpv4: '0.0.0.0/0' }),
    );
  });

  it('tells OpsReport its bucket', () => {
    expect(named(run(), TYPES.function, 'functions-ops-report').inputs.environment.variables.REPORT_BUCKET).toBe(
      reportBucketName(stack, ACCOUNT),
    );
  });
});
