/**
 * Alerts (アラート設定) and cost (コスト管理): every alarm reaches someone and says what to do, the
 * guide's alerts and metric-table thresholds all exist with the guide's numbers, and the monthly
 * budget is in place.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource, ReportViolation, ResourceValidationArgs } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { BUDGET, GUIDE_ALERTS, METRIC_NAMESPACE, METRICS } from '../../../guide';
import { displayName, type PackResourcePolicy, type PackStackPolicy } from '../../lib/pack-policy';

/** What an alarm description must contain: the runbook link to the alarm's section. */
export const RUNBOOK_LINK = /Runbook: \S+#[\w-]+/;

export interface AlarmActionsConfig {
  /** Also notify on recovery, so PagerDuty resolves the incident and Slack shows the recovery. */
  readonly requireOkActions: boolean;
}

interface NotifyingAlarm {
  readonly actionsEnabled?: boolean;
  readonly alarmActions?: readonly unknown[];
  readonly okActions?: readonly unknown[];
  readonly alarmDescription?: string;
}

function checkAlarm(alarmName: string, alarm: NotifyingAlarm, args: ResourceValidationArgs, report: ReportViolation): void {
  const name = `Alarm "${alarmName}"`;
  if (alarm.actionsEnabled === false) report(`${name} has its actions disabled.`);
  if (!alarm.alarmActions?.length) report(`${name} has no alarm actions: it would fire without telling anyone.`);
  if (!RUNBOOK_LINK.test(alarm.alarmDescription ?? '')) report(`${name} links no runbook: its description needs "Runbook: <url>#<section>".`);
  if (args.getConfig<AlarmActionsConfig>().requireOkActions && !alarm.okActions?.length) {
    report(`${name} has no OK actions: its recovery would reach nobody and a page would stay open.`);
  }
}

export const alarmActionsRunbook: PackResourcePolicy = {
  name: 'alarm-actions-runbook',
  description:
    'Every alarm notifies someone when it fires and links its runbook section ("Runbook: <url>#<section>") in its description, so the person paged knows what to do; prod also notifies on recovery.',
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  configSchema: {
    properties: { requireOkActions: { type: 'boolean', default: true, description: 'Require okActions (recovery notifications).' } },
  },
  validateResource: [
    validateResourceOfType(aws.cloudwatch.MetricAlarm, (alarm, args, report) => checkAlarm(alarm.name ?? args.name, alarm, args, report)),
    validateResourceOfType(aws.cloudwatch.CompositeAlarm, (alarm, args, report) => checkAlarm(alarm.alarmName ?? args.name, alarm, args, report)),
  ],
};

interface AlarmProps {
  name?: string;
  threshold?: number;
  comparisonOperator?: string;
  evaluationPeriods?: number;
  period?: number;
  namespace?: string;
  metricName?: string;
  tags?: Record<string, string>;
  metricQueries?: { metric?: { namespace?: string; metricName?: string; period?: number } }[];
}

/** How long an alarm judges before firing: period × evaluation periods (the queries' longest period). */
export function alarmWindowSeconds(a: AlarmProps): number | undefined {
  const period = a.period ?? Math.max(0, ...(a.metricQueries ?? []).map((q) => q.metric?.period ?? 0));
  return period > 0 ? period * (a.evaluationPeriods ?? 1) : undefined;
}

const watches = (a: AlarmProps, metricName: string): boolean =>
  (a.namespace === METRIC_NAMESPACE && a.metricName === metricName) ||
  (a.metricQueries ?? []).some((q) => q.metric?.namespace === METRIC_NAMESPACE && q.metric.metricName === metricName);

/** The guide's alert an alarm implements: its runbook section tag is the alert id; untagged, its name ends with it. */
const isAlarmFor = (a: AlarmProps, id: string): boolean =>
  a.tags?.runbookSection !== undefined ? a.tags.runbookSection === id : (a.name ?? '').endsWith(`-${id}`);

/** The metric table's Count thresholds ("> 5 per 5 min"): each needs an alarm on that metric. */
const COUNT_THRESHOLDS = Object.values(METRICS).flatMap((m) =>
  'threshold' in m && m.unit === 'Count' ? [{ metricName: m.name, description: m.description, ...m.threshold }] : []);

function checkGuideAlerts(alarms: readonly PolicyResource[], report: (message: string, urn?: string) => void): void {
  for (const alert of Object.values(GUIDE_ALERTS)) {
    const guide = `the guide's ${alert.titleJa} (${alert.conditionJa})`;
    const found = alarms.filter((r) => isAlarmFor(r.props as AlarmProps, alert.id));
    if (found.length === 0) report(`No alarm implements ${guide}: expected a CloudWatch alarm tagged runbookSection=${alert.id}.`);
    for (const r of found) {
      const a = r.props as AlarmProps;
      const name = `Alarm "${a.name ?? r.name}"`;
      if (a.threshold !== alert.threshold) report(`${name} fires above ${a.threshold}; ${guide} fires above ${alert.threshold}.`, r.urn);
      if (a.comparisonOperator !== 'GreaterThanThreshold') report(`${name} compares ${a.comparisonOperator}; ${guide} fires when the value is greater than the threshold.`, r.urn);
      const window = alarmWindowSeconds(a);
      if (window !== alert.periodSeconds) report(`${name} judges ${window ?? 'no'} s windows; ${guide} judges ${alert.periodSeconds} s.`, r.urn);
    }
  }
}

export const guideAlarmsExist: PackStackPolicy = {
  name: 'guide-alarms-exist',
  description:
    'The guide\'s alerts (error rate, timeout rate, processing time, waiting processes) and the Count thresholds of its metric table each have an alarm with the guide\'s threshold and window.',
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const alarms = args.resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm));
    checkGuideAlerts(alarms, report);
    for (const t of COUNT_THRESHOLDS) {
      const ok = alarms.some((r) => {
        const a = r.props as AlarmProps;
        return watches(a, t.metricName) && a.threshold === t.value && a.comparisonOperator === 'GreaterThanThreshold' && alarmWindowSeconds(a) === t.periodSeconds;
      });
      if (!ok) report(`No alarm fires on ${METRIC_NAMESPACE}/${t.metricName} > ${t.value} per ${t.periodSeconds} s (the guide's metric table: ${t.description}).`);
    }
  },
};

export const budgetLimit: PackStackPolicy = {
  name: 'budget-limit',
  description: `A monthly cost budget for the whole account of at most $${BUDGET.monthlyUsd} (月次予算) notifies the team; no budget of the stack allows more.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const budgets = args.resources.filter((r) => r.isType(aws.budgets.Budget) && r.props.budgetType === 'COST');
    const total = budgets.filter((r) => r.props.timeUnit === 'MONTHLY' && !(r.props.costFilters ?? []).length);
    if (total.length === 0) report(`No monthly COST budget covers the whole account; the guide's budget is $${BUDGET.monthlyUsd} per month.`);
    for (const r of budgets) {
      const name = `Budget "${displayName(r.props, r.name)}"`;
      const amount = Number(r.props.limitAmount);
      if (r.props.limitUnit !== 'USD' || !(amount <= BUDGET.monthlyUsd)) {
        report(`${name} allows ${r.props.limitAmount} ${r.props.limitUnit} (${r.props.timeUnit}); the guide's budget is $${BUDGET.monthlyUsd} per month.`, r.urn);
      }
      const notifies = (r.props.notifications ?? []).some((n: { subscriberSnsTopicArns?: string[]; subscriberEmailAddresses?: string[] }) =>
        (n.subscriberSnsTopicArns?.length ?? 0) + (n.subscriberEmailAddresses?.length ?? 0) > 0);
      if (!notifies) report(`${name} notifies nobody: it could not warn before the money is spent.`, r.urn);
    }
  },
};
