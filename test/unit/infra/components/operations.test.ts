/** Maintenance schedules, backups, the log archive, budgets and the stack outputs under mocks. */
import * as pulumi from '@pulumi/pulumi';
import { BACKUP, BUDGET, DASHBOARD_NAME, MAINTENANCE_EVENTS } from '../../../../guide';
import { Budget } from '../../../../infra/components/budget';
import { RecordingMocks } from '../../../../infra/offline/mocks';
import type { OfflineRun } from '../../../../infra/offline/run';
import { STACKS, TYPES, named, ofType, policyOf, runStacks, type StackName } from '../helpers/stacks';

let runs: Record<StackName, OfflineRun>;
beforeAll(async () => {
  runs = await runStacks();
});

const fnArn = (name: string) => `arn:aws:lambda:ap-northeast-1:123456789012:function:${name}`;

describe.each(STACKS)('Maintenance (%s)', (stack) => {
  const schedule = (name: string) => named(runs[stack], TYPES.schedule, `maintenance-${name}`).inputs;

  it('runs the weekly cleanup and index maintenance on Sunday 02:00 Asia/Tokyo', () => {
    expect(schedule('weekly-maintenance')).toMatchObject({
      scheduleExpression: 'cron(0 2 ? * SUN *)', scheduleExpressionTimezone: 'Asia/Tokyo', flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: fnArn('processing-cleanup'), input: JSON.stringify(MAINTENANCE_EVENTS.weekly), retryPolicy: { maximumEventAgeInSeconds: 7200 } },
    });
  });

  it('opens the monthly window on the first Sunday, 02:00 Asia/Tokyo', () => {
    expect(schedule('monthly-maintenance')).toMatchObject({
      scheduleExpression: 'cron(0 2 ? * SUN#1 *)', scheduleExpressionTimezone: 'Asia/Tokyo',
      target: { arn: fnArn('processing-cleanup'), input: JSON.stringify(MAINTENANCE_EVENTS.monthly) },
    });
  });

  it('runs the queue monitor every minute', () => {
    expect(schedule('queue-monitor')).toMatchObject({ scheduleExpression: 'rate(1 minute)', target: { arn: fnArn('queue-monitor') } });
  });

  it('lets the scheduler invoke the two scheduled functions only', () => {
    const policy = policyOf(named(runs[stack], TYPES.rolePolicy, 'maintenance-scheduler-role-policy'));
    expect(policy.Statement).toEqual([expect.objectContaining({ Action: ['lambda:InvokeFunction'], Resource: [fnArn('processing-cleanup'), fnArn('queue-monitor')] })]);
  });
});

describe.each(STACKS)('Backup (%s)', (stack) => {
  it('backs the cluster up daily at 03:00 Asia/Tokyo and keeps it 7 days', () => {
    const rule = named(runs[stack], TYPES.backupPlan, 'backup-plan').inputs.rules[0];
    expect(rule).toMatchObject({ schedule: 'cron(0 3 * * ? *)', scheduleExpressionTimezone: 'Asia/Tokyo', lifecycle: { deleteAfter: BACKUP.retentionDays } });
    expect(rule.lifecycle.deleteAfter).toBe(7);
    expect(named(runs[stack], 'aws:backup/selection:Selection', 'backup-selection').inputs.resources).toEqual([
      `arn:aws:rds:ap-northeast-1:123456789012:cluster:async-ai-pipeline-${stack}`,
    ]);
  });

  it('verifies the backup monthly with a restore test on the first Sunday, 02:00 Asia/Tokyo', () => {
    expect(named(runs[stack], TYPES.restoreTestingPlan, 'backup-restore-testing').inputs).toMatchObject({
      scheduleExpression: 'cron(0 2 ? * SUN#1 *)', scheduleExpressionTimezone: 'Asia/Tokyo', startWindowHours: 4,
    });
  });

  it('archives the log groups of the pipeline to S3, to Glacier after 30 days', () => {
    const filters = ofType(runs[stack], 'aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter').map((f) => f.inputs.logGroup);
    const pipeline = /:(Functions|Workflow|Api|Database)$/;
    const groups = ofType(runs[stack], TYPES.logGroup).filter((g) => pipeline.test(g.parentType ?? '')).map((g) => g.inputs.name);
    expect(groups.length).toBeGreaterThan(10);
    expect(filters.sort()).toEqual(groups.sort());
    const rule = named(runs[stack], 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'log-archive-lifecycle').inputs.rules[0];
    expect(rule.transitions[0]).toEqual({ days: 30, storageClass: 'GLACIER' });
  });

  it('outputs the API URL, CloudFront URL, state machine ARN, dashboard name and alert topics', () => {
    expect(runs[stack].outputs).toMatchObject({
      apiUrl: 'https://mockapi.execute-api.ap-northeast-1.amazonaws.com',
      cloudFrontUrl: 'https://d111111abcdef8.cloudfront.net',
      stateMachineArn: 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:AIGenerationStateMachine',
      dashboardName: DASHBOARD_NAME,
    });
    expect(Array.isArray(runs[stack].outputs.alertTopicArns)).toBe(true);
  });
});

describe('Budget', () => {
  it('budgets $500 a month in each stack, and each cost line at its guide share', () => {
    for (const stack of STACKS) {
      const limits = Object.fromEntries(ofType(runs[stack], TYPES.budget).map((b) => [b.inputs.name, b.inputs.limitAmount]));
      expect(limits).toEqual({
        [`async-ai-pipeline-${stack}-monthly-total`]: '500.00',
        [`async-ai-pipeline-${stack}-monthly-lambda`]: '200.00',
        [`async-ai-pipeline-${stack}-monthly-bedrock`]: '150.00',
        [`async-ai-pipeline-${stack}-monthly-aurora`]: '100.00',
      });
    }
    expect(BUDGET.monthlyUsd).toBe(500);
  });

  it('notifies the alert topics on actual (80 %, 100 %) and forecast (100 %) spend', async () => {
    const mocks = new RecordingMocks('ap-northeast-1');
    await pulumi.runtime.setMocks(mocks, 'async-ai-pipeline', 'dev', false);
    new Budget('budget', { stage: 'dev', alertTopicArns: ['arn:aws:sns:ap-northeast-1:123456789012:warning'] });
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    const total = mocks.resources.find((r) => r.name === 'budget-monthly-total')!.inputs;
    expect(total.notifications.map((n: { notificationType: string; threshold: number }) => [n.notificationType, n.threshold])).toEqual([
      ['ACTUAL', 80], ['ACTUAL', 100], ['FORECASTED', 100],
    ]);
    for (const n of total.notifications) expect(n.subscriberSnsTopicArns).toEqual(['arn:aws:sns:ap-northeast-1:123456789012:warning']);
  });
});
