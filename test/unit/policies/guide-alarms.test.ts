/** Alarms and budget against the guide: actions and runbook, the guide's required alarms and their metrics, paging, the budget and its lines. */
import { BUDGET, DASHBOARD_NAME, FUNCTIONS, LOG_QUERIES, METRICS, logGroupName } from '../../../guide';
import { COST_LINES } from '../../../infra/components/budget';
import { T, budget, customQuery, guideAlarmSet, metricAlarm, pagingSet } from './helpers/happy-path';
import { computed, mutate, resource, violations } from './helpers/policy-harness';

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
      'No alarm fires on the Sum of AsyncProcessing/AsyncProcessingFailed {"service":"async-ai-pipeline"} > 5 per 300 s (the guide\'s metric table: 失敗数).',
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

  it('fails a budget that warns only once it is overspent', async () => {
    expect(await violations('budget-limit', resource(T.budget, mutate(budget(), 'notifications.0.threshold', 150)))).toEqual([
      'Budget "monthly-total" notifies only past its limit: add a notification at or below 100 % (ACTUAL or FORECASTED), so the team can act before the money is spent.',
    ]);
  });

  it('fails a budget that notifies nobody', async () => {
    expect(await violations('budget-limit', resource(T.budget, mutate(budget(), 'notifications', [])))).toEqual([
      'Budget "monthly-total" notifies nobody: it could not warn before the money is spent; add a notification with subscriberSnsTopicArns.',
    ]);
  });
});

describe('budget-service-lines (stack)', () => {
  const line = (key: keyof typeof COST_LINES, amount = (BUDGET.monthlyUsd * BUDGET.sharePercent[key]) / 100) => resource(T.budget, {
    ...budget(), name: `monthly-${key}`, limitAmount: amount.toFixed(2), costFilters: [{ name: 'Service', values: [...COST_LINES[key]] }],
  }, `budget-${key}`);
  const lines = () => (Object.keys(COST_LINES) as (keyof typeof COST_LINES)[]).map((k) => line(k));

  it('passes a budget per cost line at the guide\'s share', async () => {
    expect(await violations('budget-service-lines', [resource(T.budget, budget()), ...lines()])).toEqual([]);
  });

  it('fails when a line is missing', async () => {
    expect(await violations('budget-service-lines', lines().filter((r) => r.name !== 'budget-bedrock'))).toEqual([
      'No monthly COST budget is filtered to Amazon Bedrock: the guide gives bedrock 30 % of $500 ($150); add one with costFilters [{ name: "Service", values: ["Amazon Bedrock"] }].',
    ]);
  });

  it('lets the Bedrock line also count the model\'s Marketplace service, and nothing else', async () => {
    const bedrock = (values: string[]) => resource(T.budget, {
      ...budget(), name: 'monthly-bedrock', limitAmount: ((BUDGET.monthlyUsd * BUDGET.sharePercent.bedrock) / 100).toFixed(2), costFilters: [{ name: 'Service', values }],
    }, 'budget-bedrock');
    const others = lines().filter((r) => r.name !== 'budget-bedrock');
    expect(await violations('budget-service-lines', [...others, bedrock(['Amazon Bedrock', 'Claude 3 Haiku (Amazon Bedrock Edition)'])])).toEqual([]);
    expect(await violations('budget-service-lines', [...others, bedrock(['Amazon Bedrock', 'AWS Lambda'])])).toEqual([
      'Budget "monthly-bedrock" mixes Amazon Bedrock, AWS Lambda: the guide\'s lambda line is AWS Lambda alone.',
      'Budget "monthly-bedrock" mixes Amazon Bedrock, AWS Lambda: the guide\'s bedrock line is Amazon Bedrock and the model\'s "(Amazon Bedrock Edition)" service alone.',
    ]);
  });

  it('fails a line above its share', async () => {
    expect(await violations('budget-service-lines', [...lines().filter((r) => r.name !== 'budget-lambda'), line('lambda', 400)])).toEqual([
      'Budget "monthly-lambda" allows 400.00 USD for AWS Lambda; the guide\'s lambda share is 40 % of $500 = $200.',
    ]);
  });
});

describe('guide-alarms-exist: the metric each alarm watches', () => {
  const replace = (id: string, change: (props: Record<string, any>) => Record<string, any>) =>
    guideAlarmSet().map((r) => (r.name === id ? resource(T.metricAlarm, change(structuredClone(r.outputs)), r.name) : r));

  it('fails a guide alarm that keeps its tag, threshold and window but watches another metric', async () => {
    const stack = replace('alarm-processing-time', (p) => ({ ...p, metricQueries: [customQuery(METRICS.started.name, 'Average', 300)] }));
    expect(await violations('guide-alarms-exist', stack)).toEqual([
      'Alarm "AsyncProcessing-prod-processing-time" watches AsyncProcessing/AsyncProcessingStarted; it must watch AsyncProcessing/ProcessingDuration (Average, dimensions {"service":"async-ai-pipeline"}), as the guide\'s 処理時間アラート (平均処理時間 > 5分 (5分間)) does.',
    ]);
  });

  it('fails a rate computed from the wrong metrics', async () => {
    const stack = replace('alarm-error-rate', (p) => ({ ...p, metricQueries: p.metricQueries.map((q: { id: string }) => (q.id === 'rate' ? { ...q, expression: '100 * (FILL(failed,0)) / (FILL(completed,0) + FILL(failed,0) + FILL(timeout,0))' } : q)) }));
    expect(await violations('guide-alarms-exist', stack)).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" computes 100 * (FILL(failed,0)) / (FILL(completed,0) + FILL(failed,0) + FILL(timeout,0)), not the guide\'s ErrorRate over 300 s (observability/metrics.ts outcomeRate), as the guide\'s エラー率アラート (エラー率 > 5% (5分間)) does.',
    ]);
  });

  it('fails an alarm on a series nobody publishes (dimensions changed) and on the wrong statistic', async () => {
    const stack = replace('alarm-queue-depth', (p) => ({ ...p, metricQueries: [{ ...customQuery(METRICS.queueDepth.name, 'Minimum', 60) }] }));
    const undimensioned = replace('alarm-AsyncProcessingFailed', (p) => ({ ...p, metricQueries: [{ ...customQuery(METRICS.failed.name, 'Sum', 300), metric: { ...customQuery(METRICS.failed.name, 'Sum', 300).metric, dimensions: {} } }] }));
    expect(await violations('guide-alarms-exist', stack)).toEqual([
      'Alarm "AsyncProcessing-prod-queue-depth" reads the Minimum statistic; it must read AsyncProcessing/QueueDepth (Maximum or Average, dimensions {"service":"async-ai-pipeline"}), as the guide\'s 待機中処理数アラート (待機中の処理数 > 100) does.',
      'No alarm fires on the Maximum or Average of AsyncProcessing/QueueDepth {"service":"async-ai-pipeline"} > 100 per 60 s (the guide\'s metric table: 待機中の処理数).',
    ]);
    expect(await violations('guide-alarms-exist', undimensioned)).toEqual([
      'No alarm fires on the Sum of AsyncProcessing/AsyncProcessingFailed {"service":"async-ai-pipeline"} > 5 per 300 s (the guide\'s metric table: 失敗数).',
    ]);
  });
});

describe('alert-paging (stack)', () => {
  const without = (set: ReturnType<typeof pagingSet>, ...names: string[]) => set.all.filter((r) => !names.includes(r.name));

  it('passes a high alert that pages PagerDuty and starts the guide\'s escalation', async () => {
    expect(await violations('alert-paging', pagingSet().all)).toEqual([]);
  });

  it('ignores a warning alarm that pages nobody', async () => {
    const warning = resource(T.metricAlarm, { ...metricAlarm('processing-time'), tags: { severity: 'warning', runbookSection: 'processing-time' } });
    expect(await violations('alert-paging', warning)).toEqual([]);
  });

  it('fails a high alert whose topic PagerDuty does not subscribe to', async () => {
    const set = pagingSet();
    expect(await violations('alert-paging', without(set, 'pd'))).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" is a high alert but notifies no topic PagerDuty subscribes to: add the critical topic (with its https subscription to events.pagerduty.com) to alarmActions.',
    ]);
  });

  it('fails a high alert that starts no response plan', async () => {
    const set = pagingSet();
    const alarm = resource(T.metricAlarm, { ...set.alarm.inputs, alarmActions: [set.alarm.inputs.alarmActions[0]] }, 'alarm-error-rate', { deps: { alarmActions: [set.topic] } });
    expect(await violations('alert-paging', [...without(set, 'alarm-error-rate'), alarm])).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" is a high alert but starts no Incident Manager response plan: add the response plan\'s ARN to alarmActions, so the team lead and the manager are called when on-call does not answer.',
    ]);
  });

  it('fails an escalation that skips the team lead', async () => {
    const set = pagingSet();
    const stages = [set.plan.inputs.stages[0], set.plan.inputs.stages[2]];
    const plan = resource(T.contactPlan, { ...set.plan.inputs, stages }, 'escalation-plan', { deps: { contactId: [set.escalation], stages: [set.tiers[0]!.contact, set.tiers[2]!.contact] } });
    expect(await violations('alert-paging', [...without(set, 'escalation-plan'), plan])).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" starts response plan "critical", which escalates in stages of 30, 0 minutes; the guide escalates 30, 30, 0 (on-call 0–30 min (slack, pagerduty), team-lead 30–60 min (phone), manager 60–… min (phone)).',
    ]);
  });
});

describe('alert-routing (stack)', () => {
  const routed = () => {
    const set = pagingSet();
    const email = resource(T.subscription, { topic: computed(set.topic.inputs.arn), protocol: 'email', endpoint: 'ops-team@example.com' }, 'email', { deps: { topic: [set.topic] } });
    const slack = resource(T.slack, { configurationName: 'alerts', snsTopicArns: [computed(set.topic.inputs.arn)] }, 'slack', { deps: { snsTopicArns: [set.topic] } });
    return { set, email, slack, all: [...set.all, email, slack] };
  };

  it('passes an alarm whose topic reaches Slack and e-mail', async () => {
    expect(await violations('alert-routing', routed().all)).toEqual([]);
  });

  it('fails an alarm whose topic nobody hears on Slack or by e-mail', async () => {
    const { all, email, slack } = routed();
    expect(await violations('alert-routing', all.filter((r) => r !== email && r !== slack))).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" notifies no topic that Slack #async-processing-alerts hears: list its topic in the AWS Chatbot channel configuration\'s snsTopicArns.',
      'Alarm "AsyncProcessing-prod-error-rate" notifies no topic with an e-mail subscription: subscribe the ops team\'s address to its topic.',
    ]);
  });
});

describe('saved-queries-dashboard (stack)', () => {
  const queries = () => Object.values(LOG_QUERIES).map((q) => resource(T.query, { name: q.name, queryString: q.query, logGroupNames: Object.values(FUNCTIONS).map((f) => logGroupName(f.name)) }, q.name));
  const dashboard = () => resource(T.dashboard, { dashboardName: DASHBOARD_NAME, dashboardBody: '{}' }, 'dashboard');

  it('passes the guide\'s queries, saved verbatim over every function\'s logs, and the dashboard', async () => {
    expect(await violations('saved-queries-dashboard', [...queries(), dashboard()])).toEqual([]);
  });

  it('fails an edited query, a missing one and a missing dashboard', async () => {
    const [errors, , durations] = queries();
    const edited = resource(T.query, { ...errors!.inputs, queryString: LOG_QUERIES.errors.query.replace('limit 100', 'limit 10') }, errors!.name);
    expect(await violations('saved-queries-dashboard', [edited, durations!])).toEqual([
      'Saved query AsyncProcessing/Errors differs from the guide\'s text (guide/index.ts LOG_QUERIES): operators would get other results than the guide describes.',
      `The guide's query AsyncProcessing/ProcessTrace (${LOG_QUERIES.processTrace.title}) is not saved: add an aws.cloudwatch.QueryDefinition with its text from guide/index.ts LOG_QUERIES.`,
      `No CloudWatch dashboard is named ${DASHBOARD_NAME} (ダッシュボード): the daily 09:00 and 17:00 checks start there.`,
    ]);
  });
});
