/**
 * The alarm design beyond the guide's own four alerts (issue 12), checked over the deployed alarms:
 * every kind the runbook documents is deployed; every rate alarm has its volume guard; the SLO
 * budgets burn in the guide's window pairs, each pair a composite `long AND short`; every critical
 * alarm pages through exactly one incident composite; and AWS's recommended alarms watch their
 * metric with ALARM_POLICY's numbers, per function (memory above the guide's 80 %) and per alert
 * topic (failed deliveries) where there is one per thing.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import { ALARM_POLICY, ERROR_BUDGET, GUIDE_ALERTS, RATE_VOLUME, TUNING, burnRate, type BurnWindowKey } from '../../../guide';
import { ALARM_KINDS } from '../../../observability/alarms/catalog';
import { BUDGETS } from '../../../observability/alarms/process-alarms';
import { SERVICE_KINDS as K } from '../../../observability/alarms/service-kinds';
import { LAMBDA_MEMORY_NAMESPACE } from '../../../observability/metric-filters';
import { isUnknown, knownString, read } from '../../lib/known';
import { alarmWindowSeconds, expectedMath, mathOf, type AlarmProps } from './alarm-math';
import { isIncidentComposite } from './paging';

type Report = (message: string, urn?: string) => void;

const props = (r: PolicyResource): AlarmProps & { region?: string; alarmName?: string; alarmRule?: string } => r.props as never;
const sectionOf = (r: PolicyResource): string | undefined => read(() => props(r).tags?.runbookSection) as string | undefined;
const nameOf = (r: PolicyResource): string =>
  knownString(
    read(() => props(r).alarmName ?? props(r).name),
    r.name,
  );
const regionOf = (r: PolicyResource): string =>
  knownString(
    read(() => props(r).region),
    "the stack's region",
  );
const minutes = (s: number): string => (s % 3600 === 0 ? `${s / 3600} h` : `${s / 60} min`);
const windowOf = (e: { periodSeconds: number; periods: number }): number => e.periodSeconds * e.periods;

/** The alarms a composite's rule names: `ALARM("<name>")`. */
export const ruleChildren = (rule: string): string[] => [...rule.matchAll(/ALARM\("([^"]+)"\)/g)].map((m) => m[1]!);

/** The arguments of a top-level `IF(a, b, c)`, or undefined. */
function ifArguments(expression: string): string[] | undefined {
  const text = expression.trim();
  if (!text.startsWith('IF(') || !text.endsWith(')')) return undefined;
  const args: string[] = [];
  let depth = 0;
  let start = 3;
  for (let i = 3; i < text.length - 1; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(text.slice(start, text.length - 1).trim());
  return args.length === 3 ? args : undefined;
}

/** The smallest count a rate's guard asks for (`IF(<count> >= N …, <rate>, 0)`), or undefined without one. */
function guardOf(expression: string): number | undefined {
  const args = ifArguments(expression);
  if (args?.[2] !== '0') return undefined;
  const mins = [...args[0]!.matchAll(/>=\s*(\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]));
  return mins.length ? Math.max(...mins) : undefined;
}

const returnedExpression = (a: AlarmProps): string | undefined => {
  const returned = (a.metricQueries ?? []).filter((q) => q.returnData !== false);
  return returned.length === 1 ? returned[0]!.expression : undefined;
};

/** A rate: metric math that divides, or a service's own rate metric (CloudFront's 5xxErrorRate). */
const isRate = (a: AlarmProps): boolean =>
  / \/ /.test(returnedExpression(a) ?? '') || (a.metricQueries ?? []).some((q) => /Rate$/.test(q.metric?.metricName ?? ''));

const BUDGET_SECTIONS: readonly string[] = BUDGETS.map((b) => b.kind.section);
const SHORT_WINDOWS = new Set(Object.values(ERROR_BUDGET.windows).map((w) => w.shortSeconds));

/** The guard a rate alarm needs: the short burn windows ask for errors that go on, every other rate for RATE_VOLUME events. */
function requiredGuard(alarm: PolicyResource): { min: number; what: string } {
  const a = props(alarm);
  return BUDGET_SECTIONS.includes(sectionOf(alarm) ?? '') && SHORT_WINDOWS.has(alarmWindowSeconds(a) ?? 0)
    ? {
        min: ERROR_BUDGET.shortWindowMinErrors,
        what: `${ERROR_BUDGET.shortWindowMinErrors} errors in its short burn window (ERROR_BUDGET.shortWindowMinErrors)`,
      }
    : {
        min: RATE_VOLUME.minEvents,
        what: `${RATE_VOLUME.minEvents} events in its window (RATE_VOLUME): below that one failure is already above a 5 % threshold and pages`,
      };
}

function checkVolumeGuards(alarms: readonly PolicyResource[], report: Report): void {
  for (const alarm of alarms) {
    const a = props(alarm);
    const expression = read(() => returnedExpression(a));
    if (isUnknown(expression) || !read(() => isRate(a))) continue;
    const need = requiredGuard(alarm);
    const guard = expression ? guardOf(expression) : undefined;
    if (guard === undefined)
      report(
        `Alarm "${nameOf(alarm)}" is a rate without a volume guard: it must count only from ${need.what} (IF(<count> >= ${need.min}, <rate>, 0)).`,
        alarm.urn,
      );
    else if (guard < need.min) report(`Alarm "${nameOf(alarm)}" guards its rate from ${guard} on; it needs ${need.what}.`, alarm.urn);
  }
}

function checkBurnWindows(alarms: readonly PolicyResource[], composites: readonly PolicyResource[], report: Report): void {
  for (const budget of BUDGETS) {
    const section = budget.kind.section;
    for (const key of Object.keys(ERROR_BUDGET.windows) as BurnWindowKey[]) {
      const w = ERROR_BUDGET.windows[key];
      const threshold = Math.round(burnRate(w) * budget.sloPercent * 100) / 100;
      const what = `the ${budget.rate} budget's ${key} burn (${w.budgetSpentPercent} % of ${ERROR_BUDGET.periodDays} days in ${minutes(w.longSeconds)}, burn rate ${burnRate(w)}: > ${threshold} %)`;
      const parts = (
        [
          ['long', w.longSeconds, { minFinished: RATE_VOLUME.minEvents }],
          ['short', w.shortSeconds, { minErrors: ERROR_BUDGET.shortWindowMinErrors }],
        ] as const
      ).map(([part, seconds, guard]) => {
        const found = alarms.filter((r) => sectionOf(r) === section && alarmWindowSeconds(props(r)) === seconds);
        if (found.length === 0)
          report(
            `No alarm judges the ${part} window (${minutes(seconds)}) of ${what}: expected an alarm tagged runbookSection=${section} over ${seconds} s.`,
          );
        for (const r of found) {
          const a = props(r);
          if (a.threshold !== threshold || a.comparisonOperator !== 'GreaterThanThreshold')
            report(
              `Alarm "${nameOf(r)}" fires ${a.comparisonOperator} ${a.threshold}; the ${part} window of ${what} fires above ${threshold}.`,
              r.urn,
            );
          const math = read(() => mathOf(a));
          // A missing guard is checkVolumeGuards' to report; anything else computing another rate is this one's.
          const unguarded = expectedMath(budget.rate, seconds);
          if (!isUnknown(math) && math !== expectedMath(budget.rate, seconds, guard) && math !== unguarded) {
            report(
              `Alarm "${nameOf(r)}" computes ${returnedExpression(a)}, not the ${budget.rate} over ${seconds} s that ${what} burns (observability/metrics.ts outcomeRate).`,
              r.urn,
            );
          }
        }
        return found.map(nameOf);
      });
      const [longs, shorts] = parts as [string[], string[]];
      if (longs.length === 0 || shorts.length === 0) continue;
      const paired = composites.some((c) => {
        const rule = read(() => props(c).alarmRule);
        if (typeof rule !== 'string' || / OR /.test(rule)) return false;
        const children = ruleChildren(rule);
        return (
          children.length === 2 && children.some((n) => longs.includes(n)) && children.some((n) => shorts.includes(n)) && / AND /.test(rule)
        );
      });
      if (!paired)
        report(
          `No composite alarm combines the windows of ${what} as long AND short (${longs[0]}, ${shorts[0]}): alone, the long window keeps alarming an hour after the burn stops, the short one alarms on a burst.`,
        );
    }
  }
}

function checkIncidents(alarms: readonly PolicyResource[], composites: readonly PolicyResource[], report: Report): void {
  const childrenOf = new Map(
    composites.map((c) => {
      const rule = read(() => props(c).alarmRule);
      return [nameOf(c), typeof rule === 'string' ? ruleChildren(rule) : []] as const;
    }),
  );
  const incidents = composites.filter(isIncidentComposite);
  for (const c of incidents) {
    const rule = read(() => props(c).alarmRule);
    if (typeof rule === 'string' && / AND /.test(rule))
      report(
        `Incident composite "${nameOf(c)}" combines its alarms with AND: it pages only when all of them fire at once. An incident class pages when any of its alarms fires (OR).`,
        c.urn,
      );
  }
  const reaches = (composite: string, name: string, seen = new Set<string>()): boolean => {
    if (seen.has(composite)) return false;
    seen.add(composite);
    return (childrenOf.get(composite) ?? []).some(
      (n) => n === name || (childrenOf.has(n) && !incidents.some((i) => nameOf(i) === n) && reaches(n, name, seen)),
    );
  };
  for (const alarm of alarms.filter((r) => read(() => props(r).tags?.severity) === 'critical')) {
    const paths = incidents.filter((i) => reaches(nameOf(i), nameOf(alarm)));
    if (paths.length !== 1) {
      report(
        paths.length === 0
          ? `Critical alarm "${nameOf(alarm)}" is in no incident composite's rule: nothing pages when it fires. Add it to its incident class's composite.`
          : `Critical alarm "${nameOf(alarm)}" is in ${paths.length} incident composites (${paths.map(nameOf).join(', ')}): one incident would page ${paths.length} times.`,
        alarm.urn,
      );
    }
  }
}

/** AWS's recommended alarms (and the account and edge ones) with ALARM_POLICY's numbers. */
const SERVICE_ALARMS: readonly {
  section: string;
  namespace: string;
  metricName: string;
  threshold?: number;
  window: number;
  region?: string;
}[] = [
  {
    section: K.cloudFrontServerErrors.section,
    namespace: 'AWS/CloudFront',
    metricName: '5xxErrorRate',
    threshold: GUIDE_ALERTS.errorRate.threshold,
    window: windowOf(ALARM_POLICY.edge.serverErrors),
    region: 'us-east-1',
  },
  {
    section: K.wafBlockedSpike.section,
    namespace: 'AWS/WAFV2',
    metricName: 'BlockedRequests',
    threshold: ALARM_POLICY.edge.wafBlocked.blockedPerWindow,
    window: windowOf(ALARM_POLICY.edge.wafBlocked),
    region: 'us-east-1',
  },
  {
    section: K.auroraTransactionIds.section,
    namespace: 'AWS/RDS',
    metricName: 'MaximumUsedTransactionIDs',
    threshold: ALARM_POLICY.aurora.transactionIds.maxUsed,
    window: windowOf(ALARM_POLICY.aurora.transactionIds),
  },
  {
    section: K.auroraDbLoad.section,
    namespace: 'AWS/RDS',
    metricName: 'DBLoadRelativeToNumVCPUs',
    threshold: ALARM_POLICY.aurora.dbLoad.relativeToVcpus,
    window: windowOf(ALARM_POLICY.aurora.dbLoad),
  },
  {
    section: K.lambdaAccountConcurrency.section,
    namespace: 'AWS/Lambda',
    metricName: 'UnreservedConcurrentExecutions',
    window: windowOf(ALARM_POLICY.lambda.accountConcurrency),
  },
  {
    section: K.alertDeliveryFailed.section,
    namespace: 'AWS/SNS',
    metricName: 'NumberOfNotificationsFailed',
    threshold: 0,
    window: windowOf(ALARM_POLICY.alerting.deliveryFailed),
  },
];

const metricsOf = (a: AlarmProps) => (a.metricQueries ?? []).flatMap((q) => (q.metric ? [q.metric] : []));

function checkServiceAlarms(alarms: readonly PolicyResource[], report: Report): void {
  for (const want of SERVICE_ALARMS) {
    for (const r of alarms.filter((x) => sectionOf(x) === want.section)) {
      const a = props(r);
      const name = `Alarm "${nameOf(r)}" (${want.section})`;
      if (!read(() => metricsOf(a).some((m) => m.namespace === want.namespace && m.metricName === want.metricName)))
        report(`${name} does not read ${want.namespace}/${want.metricName}.`, r.urn);
      if (want.threshold !== undefined && (a.threshold !== want.threshold || a.comparisonOperator !== 'GreaterThanThreshold'))
        report(`${name} fires ${a.comparisonOperator} ${a.threshold}; it must fire above ${want.threshold} (ALARM_POLICY).`, r.urn);
      if (alarmWindowSeconds(a) !== want.window)
        report(`${name} judges ${alarmWindowSeconds(a) ?? 'no'} s windows; ALARM_POLICY judges ${want.window} s.`, r.urn);
      if (want.region && regionOf(r) !== want.region)
        report(
          `${name} lives in ${regionOf(r)}; ${want.namespace} publishes in ${want.region} only, so it would never see a datapoint.`,
          r.urn,
        );
    }
  }
}

/** The guide's memory rule (メモリサイズの調整): every function alarms above 80 % of its memory. */
function checkMemory(resources: readonly PolicyResource[], alarms: readonly PolicyResource[], report: Report): void {
  const memory = alarms.filter((r) => sectionOf(r) === K.lambdaMemory.section);
  for (const fn of resources.filter((r) => r.isType(aws.lambda.Function))) {
    const fnName = read(() => fn.props.name);
    const size = read(() => fn.props.memorySize);
    if (typeof fnName !== 'string' || typeof size !== 'number') continue;
    const threshold = Math.floor((size * TUNING.raiseMemoryAbovePercent) / 100);
    const found = memory.filter(
      (r) => read(() => metricsOf(props(r)).some((m) => m.namespace === LAMBDA_MEMORY_NAMESPACE && m.metricName === fnName)) === true,
    );
    if (found.length === 0)
      report(
        `No alarm watches the memory of function ${fnName}: the guide raises memory above ${TUNING.raiseMemoryAbovePercent} % (an alarm tagged lambda-memory on ${LAMBDA_MEMORY_NAMESPACE}/${fnName} > ${threshold} MB).`,
        fn.urn,
      );
    for (const r of found) {
      const a = props(r);
      if (a.threshold !== threshold || a.comparisonOperator !== 'GreaterThanThreshold')
        report(
          `Alarm "${nameOf(r)}" fires ${a.comparisonOperator} ${a.threshold} MB; ${fnName} has ${size} MB, and the guide acts above ${TUNING.raiseMemoryAbovePercent} % (${threshold} MB).`,
          r.urn,
        );
    }
  }
}

/** Every alert topic an alarm notifies has an alarm on its own failed deliveries, in its region. */
function checkDeliveries(resources: readonly PolicyResource[], alarms: readonly PolicyResource[], report: Report): void {
  const delivery = alarms.filter((r) => sectionOf(r) === K.alertDeliveryFailed.section);
  for (const topic of resources.filter((r) => r.isType(aws.sns.Topic))) {
    const topicName = read(() => topic.props.name);
    if (typeof topicName !== 'string') continue;
    const found = delivery.filter(
      (r) =>
        read(() =>
          metricsOf(props(r)).some(
            (m) => m.metricName === 'NumberOfNotificationsFailed' && read(() => m.dimensions?.TopicName) === topicName,
          ),
        ) === true,
    );
    if (found.length === 0)
      report(
        `No alarm watches the failed deliveries of alert topic ${topicName} (AWS/SNS NumberOfNotificationsFailed): a broken subscription would drop alerts unseen.`,
        topic.urn,
      );
    for (const r of found) {
      if (regionOf(r) !== regionOf(topic))
        report(
          `Alarm "${nameOf(r)}" watches topic ${topicName} of ${regionOf(topic)} from ${regionOf(r)}, where SNS publishes none of its metrics.`,
          r.urn,
        );
    }
  }
}

export function checkAlarmDesign(resources: readonly PolicyResource[], report: Report): void {
  const alarms = resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm));
  const composites = resources.filter((r) => r.isType(aws.cloudwatch.CompositeAlarm));
  const deployed = new Set([...alarms, ...composites].map(sectionOf));
  for (const kind of ALARM_KINDS) {
    if (!deployed.has(kind.section))
      report(
        `No alarm implements runbook section #${kind.section} (${kind.title}; ${kind.source}): expected an alarm tagged runbookSection=${kind.section}.`,
      );
  }
  checkVolumeGuards(alarms, report);
  checkBurnWindows(alarms, composites, report);
  checkIncidents(alarms, composites, report);
  checkServiceAlarms(alarms, report);
  checkMemory(resources, alarms, report);
  checkDeliveries(resources, alarms, report);
}
