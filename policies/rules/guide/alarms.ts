/**
 * Alerts (アラート設定) and cost (コスト管理): every alarm reaches someone and says what to do, the
 * guide's alerts and metric-table thresholds all exist with the guide's numbers, and the monthly
 * budget is in place.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource, ReportViolation, ResourceValidationArgs } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import {
  DASHBOARD_NAME,
  GUIDE_ALERTS,
  LOG_QUERIES,
  METRIC_DIMENSIONS,
  METRIC_NAMESPACE,
  METRICS,
  OUTCOME_RATES,
  RATE_VOLUME,
  logGroupName,
  FUNCTIONS,
  type MetricKey,
  type OutcomeRateKey,
} from '../../../guide';
import type { RateGuard } from '../../../observability/metrics';
import { SAVED_QUERIES } from '../../../observability/saved-queries';
import { isUnknown, read } from '../../lib/known';
import type { PackResourcePolicy, PackStackPolicy } from '../../lib/pack-policy';
import { checkAlarmDesign } from './alarm-design';
import { alarmWindowSeconds, expectedMath, mathOf, type AlarmProps } from './alarm-math';

export { alarmWindowSeconds } from './alarm-math';

type GuideAlertKey = keyof typeof GUIDE_ALERTS;

/** What an alarm description must contain: the runbook link to the alarm's section. */
export const RUNBOOK_LINK = /Runbook: (\S+)#([\w-]+)/;
/** An absolute https URL with a host: what opens from a page on a phone at 3 a.m. */
export const HTTPS_URL = /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}(:\d+)?\//i;

export interface AlarmActionsConfig {
  /** Also notify on recovery, so PagerDuty resolves the incident and Slack shows the recovery. */
  readonly requireOkActions: boolean;
  /** The runbook link must be an absolute https URL (prod). */
  readonly requireHttpsRunbook: boolean;
}

interface NotifyingAlarm {
  readonly actionsEnabled?: boolean;
  readonly alarmActions?: readonly unknown[];
  readonly okActions?: readonly unknown[];
  readonly alarmDescription?: string;
  readonly tags?: Record<string, string>;
}

function checkAlarm(alarmName: string, alarm: NotifyingAlarm, args: ResourceValidationArgs, report: ReportViolation): void {
  const name = `Alarm "${alarmName}"`;
  const config = args.getConfig<AlarmActionsConfig>();
  if (alarm.actionsEnabled === false) report(`${name} has its actions disabled.`);
  if (!alarm.alarmActions?.length) report(`${name} has no alarm actions: it would fire without telling anyone.`);
  const link = RUNBOOK_LINK.exec(alarm.alarmDescription ?? '');
  if (!link) report(`${name} links no runbook: its description needs "Runbook: <url>#<section>".`);
  else {
    const [, url, section] = link;
    if (config.requireHttpsRunbook && !HTTPS_URL.test(url!)) {
      report(
        `${name} links its runbook as "${url}", not an absolute https URL: nobody paged at 3 a.m. can open it. Set alerting.runbookUrl to the runbook's https address.`,
      );
    }
    const own = alarm.tags?.runbookSection;
    if (own && section !== own)
      report(
        `${name} links runbook section #${section}, but its own section is #${own}: the person paged would read another alarm's steps.`,
      );
  }
  if (config.requireOkActions && !alarm.okActions?.length) {
    report(`${name} has no OK actions: its recovery would reach nobody and a page would stay open.`);
  }
}

export const alarmActionsRunbook: PackResourcePolicy = {
  name: 'alarm-actions-runbook',
  description:
    'Every alarm notifies someone when it fires and links its own runbook section ("Runbook: <url>#<section>", an absolute https URL where the stack requires it: prod) in its description, so the person paged knows what to do; prod also notifies on recovery.',
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  configSchema: {
    properties: {
      requireOkActions: { type: 'boolean', default: true, description: 'Require okActions (recovery notifications).' },
      requireHttpsRunbook: { type: 'boolean', default: true, description: 'Require the runbook link to be an absolute https URL.' },
    },
  },
  validateResource: [
    validateResourceOfType(aws.cloudwatch.MetricAlarm, (alarm, args, report) => checkAlarm(alarm.name ?? args.name, alarm, args, report)),
    validateResourceOfType(aws.cloudwatch.CompositeAlarm, (alarm, args, report) =>
      checkAlarm(alarm.alarmName ?? args.name, alarm, args, report),
    ),
  ],
};

/** A metric as an alarm reads it: namespace/name, statistic and dimensions. */
interface Series {
  readonly namespace?: string;
  readonly metricName?: string;
  readonly stat?: string;
  readonly dimensions: Record<string, string>;
}

/** The one series a single-metric alarm evaluates (its own fields, or its one returned metric query). */
function singleSeries(a: AlarmProps): Series | undefined {
  if (a.metricName)
    return { namespace: a.namespace, metricName: a.metricName, stat: a.statistic ?? a.extendedStatistic, dimensions: { ...a.dimensions } };
  const queries = a.metricQueries ?? [];
  const returned = queries.filter((q) => q.returnData !== false);
  // A count is its one metric with the quiet periods filled: `FILL(m1,0)` (observability countOf).
  const filled = returned.length === 1 ? /^FILL\((\w+),\s*0\)$/.exec(returned[0]!.expression ?? '')?.[1] : undefined;
  const m = returned.length !== 1 ? undefined : filled ? queries.find((q) => q.id === filled)?.metric : returned[0]!.metric;
  return m && { namespace: m.namespace, metricName: m.metricName, stat: m.stat, dimensions: { ...m.dimensions } };
}

const sameDimensions = (d: Record<string, string>): boolean =>
  JSON.stringify(Object.entries(d).sort()) === JSON.stringify(Object.entries(METRIC_DIMENSIONS).sort());

/** What is wrong with a series for one of the guide's metrics, if anything (every custom metric carries the service dimension only). */
function seriesProblem(s: Series | undefined, key: MetricKey, stats: readonly string[]): string | undefined {
  const want = `${METRIC_NAMESPACE}/${METRICS[key].name} (${stats.join(' or ')}, dimensions ${JSON.stringify(METRIC_DIMENSIONS)})`;
  if (!s) return `evaluates no single metric; it must watch ${want}`;
  if (s.namespace !== METRIC_NAMESPACE || s.metricName !== METRICS[key].name)
    return `watches ${s.namespace}/${s.metricName}; it must watch ${want}`;
  if (!stats.includes(s.stat ?? '')) return `reads the ${s.stat ?? 'no'} statistic; it must read ${want}`;
  if (!sameDimensions(s.dimensions))
    return `selects dimensions ${JSON.stringify(s.dimensions)}, a series the functions never publish; it must watch ${want}`;
  return undefined;
}

/** Every 5-minute rate alarm of the guide counts only from RATE_VOLUME finished processes on. */
const GUARD: RateGuard = { minFinished: RATE_VOLUME.minEvents };

/** What each of the guide's alerts watches: an outcome rate (or the published metric of the same name), or a metric and its statistics. */
const ALERT_SERIES: Record<
  GuideAlertKey,
  { readonly rate?: OutcomeRateKey; readonly metric?: MetricKey; readonly stats: readonly string[] }
> = {
  errorRate: { rate: 'errorRate', metric: 'errorRate', stats: ['Average', 'Maximum'] },
  timeoutRate: { rate: 'timeoutRate', stats: [] },
  processingTime: { metric: 'duration', stats: ['Average'] },
  queueDepth: { metric: 'queueDepth', stats: ['Maximum', 'Average'] },
};

function alertSeriesProblem(a: AlarmProps, key: GuideAlertKey): string | undefined {
  const want = ALERT_SERIES[key];
  const alert = GUIDE_ALERTS[key];
  if (want.rate) {
    const math = mathOf(a);
    if (math !== undefined) {
      if (math === expectedMath(want.rate, alert.periodSeconds, GUARD)) return undefined;
      if (math === expectedMath(want.rate, alert.periodSeconds)) {
        return `computes ${OUTCOME_RATES[want.rate].name} without its volume guard: below ${RATE_VOLUME.minEvents} finished processes (RATE_VOLUME) one failure is already above the threshold and pages; it must be 0 there`;
      }
      return `computes ${a.metricQueries?.find((q) => q.returnData !== false)?.expression}, not the guide's ${OUTCOME_RATES[want.rate].name} over ${alert.periodSeconds} s (observability/metrics.ts outcomeRate)`;
    }
    if (!want.metric) return `evaluates no metric math; it must compute ${OUTCOME_RATES[want.rate].name} (outcomeRate)`;
  }
  return seriesProblem(singleSeries(a), want.metric!, want.stats);
}

/** The guide's alert an alarm implements: its runbook section tag is the alert id; untagged, its name ends with it. */
const isAlarmFor = (a: AlarmProps, id: string): boolean =>
  a.tags?.runbookSection !== undefined ? a.tags.runbookSection === id : (a.name ?? '').endsWith(`-${id}`);

/**
 * The metric table's Count thresholds ("> 5 per 5 min"): each needs an alarm on that metric, summed
 * for an event count, or with its alert's statistic for a level a guide alert watches (QueueDepth).
 */
const COUNT_THRESHOLDS = (Object.keys(METRICS) as MetricKey[]).flatMap((key) => {
  const m: { name: string; unit: string; description: string; threshold?: { value: number; periodSeconds: number } } = METRICS[key];
  const stats = Object.values(ALERT_SERIES).find((a) => a.metric === key && !a.rate)?.stats ?? ['Sum'];
  return m.threshold && m.unit === 'Count' ? [{ key, metricName: m.name, description: m.description, stats, ...m.threshold }] : [];
});

function checkGuideAlerts(alarms: readonly PolicyResource[], report: (message: string, urn?: string) => void): void {
  for (const key of Object.keys(GUIDE_ALERTS) as GuideAlertKey[]) {
    const alert = GUIDE_ALERTS[key];
    const guide = `the guide's ${alert.titleJa} (${alert.conditionJa})`;
    const found = alarms.filter((r) => isAlarmFor(r.props as AlarmProps, alert.id));
    if (found.length === 0) report(`No alarm implements ${guide}: expected a CloudWatch alarm tagged runbookSection=${alert.id}.`);
    for (const r of found) {
      const a = r.props as AlarmProps;
      const name = `Alarm "${a.name ?? r.name}"`;
      if (a.threshold !== alert.threshold) report(`${name} fires above ${a.threshold}; ${guide} fires above ${alert.threshold}.`, r.urn);
      if (a.comparisonOperator !== 'GreaterThanThreshold')
        report(`${name} compares ${a.comparisonOperator}; ${guide} fires when the value is greater than the threshold.`, r.urn);
      const window = alarmWindowSeconds(a);
      if (window !== alert.periodSeconds)
        report(`${name} judges ${window ?? 'no'} s windows; ${guide} judges ${alert.periodSeconds} s.`, r.urn);
      // The guide's metrics carry literal dimensions: one unknown at preview is not one of them.
      const problem = read(() => alertSeriesProblem(a, key));
      if (problem)
        report(
          `${name} ${isUnknown(problem) ? "watches a series whose dimensions are unknown until other resources exist; the guide's metrics carry literal ones" : problem}, as ${guide} does.`,
          r.urn,
        );
    }
  }
}

export const guideAlarmsExist: PackStackPolicy = {
  name: 'guide-alarms-exist',
  description:
    "The guide's alerts (error rate, timeout rate, processing time, waiting processes) and the Count thresholds of its metric table each have an alarm with the guide's threshold and window that watches the guide's metric: the right name, statistic and the dimensions the functions publish (an alarm on a series nobody publishes never fires). " +
    "Every alarm kind the runbook documents is deployed (AWS's recommended alarms included: CloudFront 5xx, WAF blocks, failed alert deliveries per topic, Aurora transaction ids and load, account concurrency, memory above the guide's 80 % per function); every rate alarm has its volume guard; the SLO budgets burn in the fast and slow window pairs (long AND short); and every critical alarm belongs to exactly one incident composite.",
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const alarms = args.resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm));
    checkGuideAlerts(alarms, report);
    checkAlarmDesign(args.resources, report);
    for (const t of COUNT_THRESHOLDS) {
      const ok = alarms.some((r) => {
        const a = r.props as AlarmProps;
        // Alarms on AWS metrics may select unknown dimension values (an API id): not this series.
        return (
          read(() => seriesProblem(singleSeries(a), t.key, t.stats) === undefined) === true &&
          a.threshold === t.value &&
          a.comparisonOperator === 'GreaterThanThreshold' &&
          alarmWindowSeconds(a) === t.periodSeconds
        );
      });
      if (!ok)
        report(
          `No alarm fires on the ${t.stats.join(' or ')} of ${METRIC_NAMESPACE}/${t.metricName} ${JSON.stringify(METRIC_DIMENSIONS)} > ${t.value} per ${t.periodSeconds} s (the guide's metric table: ${t.description}).`,
        );
    }
  },
};

/** The log groups each saved query searches: every function's, or the one that writes what it reads (observability/saved-queries.ts). */
const QUERY_LOG_GROUPS = new Map(SAVED_QUERIES.map((q) => [q.name, q.functions.map((f) => logGroupName(FUNCTIONS[f].name))]));

export const savedQueriesDashboard: PackStackPolicy = {
  name: 'saved-queries-dashboard',
  description: `The guide's Logs Insights queries (${Object.values(LOG_QUERIES)
    .map((q) => q.name)
    .join(
      ', ',
    )}) are saved with their exact text over the functions' log groups, and the dashboard ${DASHBOARD_NAME} exists: the daily and weekly checks start from them.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const saved = args.resources.filter((r) => r.isType(aws.cloudwatch.QueryDefinition));
    for (const q of Object.values(LOG_QUERIES)) {
      const found = saved.find((r) => read(() => r.props.name) === q.name);
      if (!found) {
        report(
          `The guide's query ${q.name} (${q.title}) is not saved: add an aws.cloudwatch.QueryDefinition with its text from guide/index.ts LOG_QUERIES.`,
        );
        continue;
      }
      if (read(() => found.props.queryString) !== q.query)
        report(
          `Saved query ${q.name} differs from the guide's text (guide/index.ts LOG_QUERIES): operators would get other results than the guide describes.`,
          found.urn,
        );
      const groups = read(() => found.props.logGroupNames);
      if (Array.isArray(groups)) {
        const known = groups.filter((g) => typeof g === 'string');
        const missing = known.length === groups.length ? (QUERY_LOG_GROUPS.get(q.name) ?? []).filter((g) => !known.includes(g)) : [];
        if (missing.length)
          report(
            `Saved query ${q.name} does not search ${missing.join(', ')}: it must cover the log groups of every function that writes what it reads.`,
            found.urn,
          );
      }
    }
    if (!args.resources.some((r) => r.isType(aws.cloudwatch.Dashboard) && read(() => r.props.dashboardName) === DASHBOARD_NAME)) {
      report(`No CloudWatch dashboard is named ${DASHBOARD_NAME} (ダッシュボード): the daily 09:00 and 17:00 checks start there.`);
    }
  },
};
