/** Maintenance schedules, backups, the log archive, budgets and the stack outputs under mocks. */
import * as pulumi from '@pulumi/pulumi';
import { BACKUP, BUDGET, DASHBOARD_NAME, DESIGN, DR, INFRA, MAINTENANCE, MAINTENANCE_EVENTS, RETENTION, TIMEZONE } from '../../../../guide';
import { Budget, bedrockCostServices } from '../../../../infra/components/budget';
import { WEEKLY_SUNDAYS } from '../../../../infra/components/maintenance';
import { StackConfigError } from '../../../../infra/config';
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

  it.each(WEEKLY_SUNDAYS)(
    `runs the weekly cleanup and index maintenance on ${weekly.day}#%i, ${hhmm(weekly.startJst)} ${TIMEZONE}, retried only inside the window`,
    (n) => {
      expect(schedule(`weekly-maintenance-${n}`)).toMatchObject({
        scheduleExpression: weeklyCron(weekly.startJst, `${weekly.day}#${n}`),
        scheduleExpressionTimezone: TIMEZONE,
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: fnArn('processing-cleanup'),
          input: JSON.stringify(MAINTENANCE_EVENTS.weekly),
          retryPolicy: { maximumEventAgeInSeconds: windowMinutes(weekly) * 60 },
        },
      });
    },
  );

  it(`fires one maintenance run at ${hhmm(weekly.startJst)} on every ${weekly.day} of the month, the monthly one on the first`, () => {
    const at = `cron(${weekly.startJst.minute} ${weekly.startJst.hour} `;
    const expressions = ofType(runs[stack], TYPES.schedule)
      .map((s) => s.inputs.scheduleExpression as string)
      .filter((e) => e.startsWith(at));
    const sundays = expressions.map((e) => new RegExp(`${weekly.day}#(\\d)`).exec(e)?.[1]).sort();
    expect(sundays).toEqual(['1', '2', '3', '4', '5']);
    expect(expressions.some((e) => new RegExp(` ${weekly.day} \\*\\)$`).test(e))).toBe(false);
  });

  it(`opens the monthly window on ${monthly.day}, ${hhmm(monthly.startJst)} ${TIMEZONE}`, () => {
    expect(schedule('monthly-maintenance')).toMatchObject({
      scheduleExpression: weeklyCron(monthly.startJst, monthly.day),
      scheduleExpressionTimezone: TIMEZONE,
      target: { arn: fnArn('processing-cleanup'), input: JSON.stringify(MAINTENANCE_EVENTS.monthly) },
    });
  });

  it(`runs the queue monitor ${every(DESIGN.queueMonitorEveryMinutes * 60)}`, () => {
    expect(schedule('queue-monitor')).toMatchObject({
      scheduleExpression: everyMinutes(DESIGN.queueMonitorEveryMinutes),
      target: { arn: fnArn('queue-monitor') },
    });
  });

  it('lets the scheduler invoke the two scheduled functions only', () => {
    const policy = policyOf(named(runs[stack], TYPES.rolePolicy, 'maintenance-scheduler-role-policy'));
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Action: ['lambda:InvokeFunction'], Resource: [fnArn('processing-cleanup'), fnArn('queue-monitor')] }),
    ]);
  });
});

describe.each(STACKS)('Backup (%s)', (stack) => {
  it(`backs the cluster up daily at ${hhmm(BACKUP.startJst)} ${TIMEZONE} and keeps it ${BACKUP.retentionDays} days`, () => {
    const rule = named(runs[stack], TYPES.backupPlan, 'backup-plan').inputs.rules[0];
    expect(rule).toMatchObject({
      schedule: dailyCron(BACKUP.startJst),
      scheduleExpressionTimezone: TIMEZONE,
      lifecycle: { deleteAfter: BACKUP.retentionDays },
    });
    expect(named(runs[stack], 'aws:backup/selection:Selection', 'backup-selection').inputs.resources).toEqual([
      `arn:aws:rds:ap-northeast-1:123456789012:cluster:async-ai-pipeline-${stack}`,
    ]);
  });

  it(`verifies the backup on ${monthly.day} after that night's backup (${hhmm(DR.startJst)} ${TIMEZONE}), inside the monthly window`, () => {
    expect(named(runs[stack], TYPES.restoreTestingPlan, 'backup-restore-testing').inputs).toMatchObject({
      scheduleExpression: weeklyCron(DR.startJst, monthly.day),
      scheduleExpressionTimezone: TIMEZONE,
      startWindowHours: DR.startWindowHours,
    });
    expect(DR.startJst.hour * 60 + DR.startJst.minute).toBeGreaterThan(BACKUP.startJst.hour * 60 + 60);
    expect(
      named(runs[stack], 'aws:backup/restoreTestingSelection:RestoreTestingSelection', 'backup-restore-testing-aurora').inputs
        .validationWindowHours,
    ).toBe(BACKUP.rtoHours + 1);
  });

  it('archives the log groups of the pipeline to S3 and keeps them no longer than the records they describe', () => {
    const filters = ofType(runs[stack], 'aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter').map((f) => f.inputs.logGroup);
    const pipeline = /:(Functions|Workflow|Api|Database|DrTest|Maintenance)$/;
    const groups = ofType(runs[stack], TYPES.logGroup)
      .filter((g) => pipeline.test(g.parentType ?? ''))
      .map((g) => g.inputs.name);
    expect(groups.length).toBeGreaterThan(10);
    expect(filters.sort()).toEqual(groups.sort());
    const rule = named(runs[stack], 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'log-archive-lifecycle').inputs
      .rules[0];
    expect(rule.expiration).toEqual({ days: RETENTION.processingRecordsDays });
    expect(rule.transitions).toBeUndefined();
  });

  it('outputs what an operator looks up: topics, backup vault, archive bucket, WAF ACL, DR test', () => {
    expect(runs[stack].outputs).toMatchObject({
      criticalTopicArn: expect.stringMatching(/^arn:aws:sns:/),
      warningTopicArn: expect.stringMatching(/^arn:aws:sns:/),
      backupVaultName: `async-ai-pipeline-${stack}`,
      logArchiveBucketName: expect.any(String),
      webAclArn: expect.stringMatching(/^arn:aws:wafv2:/),
      drTestStateMachineArn: expect.stringMatching(/stateMachine:AsyncProcessingDrTest$/),
      restoreTestingPlanArn: expect.stringMatching(/^arn:aws:backup:/),
    });
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
  it('filters the Bedrock line on the model\'s Marketplace service as well as "Amazon Bedrock"', () => {
    for (const stack of STACKS) {
      const bedrock = ofType(runs[stack], TYPES.budget).find((b) => b.inputs.name.endsWith('-monthly-bedrock'))!;
      expect(bedrock.inputs.costFilters).toEqual([
        { name: 'Service', values: ['Amazon Bedrock', 'Claude 3 Haiku (Amazon Bedrock Edition)'] },
      ]);
    }
    expect(bedrockCostServices('apac.anthropic.claude-3-haiku-20240307-v1:0')).toEqual([
      'Amazon Bedrock',
      'Claude 3 Haiku (Amazon Bedrock Edition)',
    ]);
    expect(bedrockCostServices('amazon.nova-lite-v1:0')).toEqual(['Amazon Bedrock']);
    expect(bedrockCostServices('mistral.mistral-large-2407-v1:0', ['Mistral Large (Amazon Bedrock Edition)'])).toEqual([
      'Amazon Bedrock',
      'Mistral Large (Amazon Bedrock Edition)',
    ]);
  });

  it('refuses a third-party model whose billing service it does not know, naming the key and the fix', () => {
    expect(() => bedrockCostServices('mistral.mistral-large-2407-v1:0')).toThrow(StackConfigError);
    expect(() => bedrockCostServices('mistral.mistral-large-2407-v1:0')).toThrow(
      /budget\.bedrockServiceNames .*Fix: pulumi config set --path 'budget\.bedrockServiceNames\[0\]'/,
    );
  });

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
    new Budget('budget', {
      stage: 'dev',
      alertTopicArns: ['arn:aws:sns:ap-northeast-1:123456789012:warning'],
      bedrockServices: ['Amazon Bedrock'],
    });
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    const total = mocks.resources.find((r) => r.name === 'budget-monthly-total')!.inputs;
    expect(total.notifications.map((n: { notificationType: string; threshold: number }) => [n.notificationType, n.threshold])).toEqual([
      ...actualAlertPercents.map((p) => ['ACTUAL', p]),
      ['FORECASTED', forecastAlertPercent],
    ]);
    for (const n of total.notifications) expect(n.subscriberSnsTopicArns).toEqual(['arn:aws:sns:ap-northeast-1:123456789012:warning']);
  });
});
