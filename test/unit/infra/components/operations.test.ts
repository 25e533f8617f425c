/** Maintenance schedules, backups, the log archive, budgets and the stack outputs under mocks. */
import * as pulumi from '@pulumi/pulumi';
import { BACKUP, BUDGET, DASHBOARD_NAME, DESIGN, INFRA, MAINTENANCE, MAINTENANCE_EVENTS, TIMEZONE } from '../../../../guide';
import { Budget } from '../../../../infra/components/budget';
import { every } from '../../../../observability/alarms/wording';
import { RecordingMocks } from '../../../../infra/offline/mocks';
import type { OfflineRun } from '../../../../infra/offline/run';
import { dailyCron, everyMinutes, weeklyCron, windowMinutes } from '../../../../infra/specs/schedules';
import { STACKS, TYPES, named, ofType, policyOf, runStacks, type StackName } from '../helpers/stacks';

let runs: Record<StackName, OfflineRun>;
beforeAll(async () => {
  runs = await runStacks();
});

const fnArn = (name: string) => `arn:aws:lambda:ap-northeast-1:123456789012:function:${name}`;
const hhmm = (t: { hour: number; minute: number }) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
const { weekly, monthly } = MAINTENANCE;

describe.each(STACKS)('Maintenance (%s)', (stack) => {
  const schedule = (name: string) => named(runs[stack], TYPES.schedule, `maintenance-${name}`).inputs;

  it(`runs the weekly cleanup and index maintenance on ${weekly.day} ${hhmm(weekly.startJst)} ${TIMEZONE}, retried only inside the window`, () => {
    expect(schedule('weekly-maintenance')).toMatchObject({
      scheduleExpression: weeklyCron(weekly.startJst, weekly.day), scheduleExpressionTimezone: TIMEZONE, flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: fnArn('processing-cleanup'), input: JSON.stringify(MAINTENANCE_EVENTS.weekly),
        retryPolicy: { maximumEventAgeInSeconds: windowMinutes(weekly) * 60 },
      },
    });
  });

  it(`opens the monthly window on ${monthly.day}, ${hhmm(monthly.startJst)} ${TIMEZONE}`, () => {
    expect(schedule('monthly-maintenance')).toMatchObject({
      scheduleExpression: weeklyCron(monthly.startJst, monthly.day), scheduleExpressionTimezone: TIMEZONE,
      target: { arn: fnArn('processing-cleanup'), input: JSON.stringify(MAINTENANCE_EVENTS.monthly) },
    });
  });

  it(`runs the queue monitor ${every(DESIGN.queueMonitorEveryMinutes * 60)}`, () => {
    expect(schedule('queue-monitor')).toMatchObject({ scheduleExpression: everyMinutes(DESIGN.queueMonitorEveryMinutes), target: { arn: fnArn('queue-monitor') } });
  });

  it('lets the scheduler invoke the two scheduled functions only', () => {
    const policy = policyOf(named(runs[stack], TYPES.rolePolicy, 'maintenance-scheduler-role-policy'));
    expect(policy.Statement).toEqual([expect.objectContaining({ Action: ['lambda:InvokeFunction'], Resource: [fnArn('processing-cleanup'), fnArn('queue-monitor')] })]);
  });
});

describe.each(STACKS)('Backup (%s)', (stack) => {
  it(`backs the cluster up daily at ${hhmm(BACKUP.startJst)} ${TIMEZONE} and keeps it ${BACKUP.retentionDays} days`, () => {
    const rule = named(runs[stack], TYPES.backupPlan, 'backup-plan').inputs.rules[0];
    expect(rule).toMatchObject({ schedule: dailyCron(BACKUP.startJst), scheduleExpressionTimezone: TIMEZONE, lifecycle: { deleteAfter: BACKUP.retentionDays } });
    expect(named(runs[stack], 'aws:backup/selection:Selection', 'backup-selection').inputs.resources).toEqual([
      `arn:aws:rds:ap-northeast-1:123456789012:cluster:async-ai-pipeline-${stack}`,
    ]);
  });

  it(`verifies the backup monthly with a restore test in the monthly window (${monthly.day}, ${hhmm(monthly.startJst)} ${TIMEZONE})`, () => {
    expect(named(runs[stack], TYPES.restoreTestingPlan, 'backup-restore-testing').inputs).toMatchObject({
      scheduleExpression: weeklyCron(monthly.startJst, monthly.day), scheduleExpressionTimezone: TIMEZONE, startWindowHours: windowMinutes(monthly) / 60,
    });
  });

  it(`archives the log groups of the pipeline to S3, to Glacier after ${INFRA.logArchive.glacierAfterDays} days`, () => {
    const filters = ofType(runs[stack], 'aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter').map((f) => f.inputs.logGroup);
    const pipeline = /:(Functions|Workflow|Api|Database)$/;
    const groups = ofType(runs[stack], TYPES.logGroup).filter((g) => pipeline.test(g.parentType ?? '')).map((g) => g.inputs.name);
    expect(groups.length).toBeGreaterThan(10);
    expect(filters.sort()).toEqual(groups.sort());
    const rule = named(runs[stack], 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'log-archive-lifecycle').inputs.rules[0];
    expect(rule.transitions[0]).toEqual({ days: INFRA.logArchive.glacierAfterDays, storageClass: 'GLACIER' });
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
  const usd = (share = 100) => ((BUDGET.monthlyUsd * share) / 100).toFixed(2);
  it(`budgets $${BUDGET.monthlyUsd} a month in each stack, and each cost line at its guide share`, () => {
    for (const stack of STACKS) {
      const limits = Object.fromEntries(ofType(runs[stack], TYPES.budget).map((b) => [b.inputs.name, b.inputs.limitAmount]));
      expect(limits).toEqual({
        [`async-ai-pipeline-${stack}-monthly-total`]: usd(),
        [`async-ai-pipeline-${stack}-monthly-lambda`]: usd(BUDGET.sharePercent.lambda),
        [`async-ai-pipeline-${stack}-monthly-bedrock`]: usd(BUDGET.sharePercent.bedrock),
        [`async-ai-pipeline-${stack}-monthly-aurora`]: usd(BUDGET.sharePercent.aurora),
      });
    }
  });

  const { actualAlertPercents, forecastAlertPercent } = INFRA.budget;
  it(`notifies the alert topics on actual (${actualAlertPercents.join(' %, ')} %) and forecast (${forecastAlertPercent} %) spend`, async () => {
    const mocks = new RecordingMocks('ap-northeast-1');
    await pulumi.runtime.setMocks(mocks, 'async-ai-pipeline', 'dev', false);
    new Budget('budget', { stage: 'dev', alertTopicArns: ['arn:aws:sns:ap-northeast-1:123456789012:warning'] });
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    const total = mocks.resources.find((r) => r.name === 'budget-monthly-total')!.inputs;
    expect(total.notifications.map((n: { notificationType: string; threshold: number }) => [n.notificationType, n.threshold])).toEqual([
      ...actualAlertPercents.map((p) => ['ACTUAL', p]), ['FORECASTED', forecastAlertPercent],
    ]);
    for (const n of total.notifications) expect(n.subscriberSnsTopicArns).toEqual(['arn:aws:sns:ap-northeast-1:123456789012:warning']);
  });
});
