/** Alarms and budget against the guide: actions and runbook, the guide's required alarms, the budget. */
import { T, budget, guideAlarmSet, metricAlarm } from './helpers/happy-path';
import { mutate, resource, violations } from './helpers/policy-harness';

describe('alarm-actions-runbook', () => {
  it('passes an alarm that notifies on ALARM and OK and links its runbook section', async () => {
    expect(await violations('alarm-actions-runbook', resource(T.metricAlarm, metricAlarm()))).toEqual([]);
  });

  it('fails an alarm that tells nobody', async () => {
    expect(await violations('alarm-actions-runbook', resource(T.metricAlarm, mutate(metricAlarm(), 'alarmActions', [])))).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" has no alarm actions: it would fire without telling anyone.',
    ]);
  });

  it('fails an alarm whose actions are disabled', async () => {
    expect(await violations('alarm-actions-runbook', resource(T.metricAlarm, mutate(metricAlarm(), 'actionsEnabled', false)))).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" has its actions disabled.',
    ]);
  });

  it('fails a description without a runbook link', async () => {
    expect(await violations('alarm-actions-runbook', resource(T.metricAlarm, mutate(metricAlarm(), 'alarmDescription', 'Error rate too high')))).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" links no runbook: its description needs "Runbook: <url>#<section>".',
    ]);
  });

  it('requires OK actions only where configured (prod), and checks composite alarms too', async () => {
    const silentRecovery = resource(T.metricAlarm, mutate(metricAlarm(), 'okActions', undefined));
    expect(await violations('alarm-actions-runbook', silentRecovery, { requireOkActions: true })).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" has no OK actions: its recovery would reach nobody and a page would stay open.',
    ]);
    expect(await violations('alarm-actions-runbook', silentRecovery, { requireOkActions: false })).toEqual([]);
    const composite = resource(T.compositeAlarm, { alarmName: 'AsyncProcessing-prod-any', alarmActions: [], okActions: ['t'], alarmDescription: 'Runbook: x#y' });
    expect(await violations('alarm-actions-runbook', composite)).toEqual(['Alarm "AsyncProcessing-prod-any" has no alarm actions: it would fire without telling anyone.']);
  });
});

describe('guide-alarms-exist (stack)', () => {
  it('passes a stack with every guide alert and metric-table threshold', async () => {
    expect(await violations('guide-alarms-exist', guideAlarmSet())).toEqual([]);
  });

  it('fails a stack missing the error-rate alarm', async () => {
    const stack = guideAlarmSet().filter((r) => r.name !== 'alarm-error-rate');
    expect(await violations('guide-alarms-exist', stack)).toEqual([
      'No alarm implements the guide\'s エラー率アラート (エラー率 > 5% (5分間)): expected a CloudWatch alarm tagged runbookSection=error-rate.',
    ]);
  });

  it('fails a stack missing the metric table\'s failed-count alarm', async () => {
    const stack = guideAlarmSet().filter((r) => r.name !== 'alarm-AsyncProcessingFailed');
    expect(await violations('guide-alarms-exist', stack)).toEqual([
      'No alarm fires on AsyncProcessing/AsyncProcessingFailed > 5 per 300 s (the guide\'s metric table: 失敗数).',
    ]);
  });

  it('fails a guide alarm with another threshold or window', async () => {
    const stack = guideAlarmSet().map((r) => (r.name !== 'alarm-timeout-rate' ? r : resource(T.metricAlarm, {
      ...r.outputs, threshold: 20, evaluationPeriods: 3,
    }, r.name)));
    expect(await violations('guide-alarms-exist', stack)).toEqual([
      'Alarm "AsyncProcessing-prod-timeout-rate" fires above 20; the guide\'s タイムアウト率アラート (タイムアウト率 > 10% (5分間)) fires above 10.',
      'Alarm "AsyncProcessing-prod-timeout-rate" judges 900 s windows; the guide\'s タイムアウト率アラート (タイムアウト率 > 10% (5分間)) judges 300 s.',
    ]);
  });
});

describe('budget-limit (stack)', () => {
  it('passes a $500 monthly account budget that notifies', async () => {
    expect(await violations('budget-limit', resource(T.budget, budget()))).toEqual([]);
  });

  it('fails a stack without a budget', async () => {
    expect(await violations('budget-limit', [])).toEqual([
      'No monthly COST budget covers the whole account; the guide\'s budget is $500 per month.',
    ]);
  });

  it('fails a budget above the guide\'s', async () => {
    expect(await violations('budget-limit', resource(T.budget, mutate(budget(), 'limitAmount', '800.00')))).toEqual([
      'Budget "monthly-total" allows 800.00 USD (MONTHLY); the guide\'s budget is $500 per month.',
    ]);
  });

  it('fails a budget that notifies nobody', async () => {
    expect(await violations('budget-limit', resource(T.budget, mutate(budget(), 'notifications', [])))).toEqual([
      'Budget "monthly-total" notifies nobody: it could not warn before the money is spent.',
    ]);
  });
});
