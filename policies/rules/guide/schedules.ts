/**
 * Maintenance (定期メンテナンス) and backup verification (バックアップ 検証: 月次): the weekly and
 * monthly maintenance runs start inside the guide's windows, in Asia/Tokyo wall-clock time, and
 * cannot drift out of them by retries; RDS patches its cluster and instances inside the weekly
 * window; and a monthly restore test restores the latest Aurora backup in the monthly window.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import { BACKUP, MAINTENANCE, MAINTENANCE_EVENTS, TIMEZONE } from '../../../guide';
import { guideDay, jstToUtc, parseWeeklyWindow } from '../../../infra/specs/schedules';
import { referenced, refersTo } from '../../lib/graph';
import { hhmm, minutesOf } from '../../lib/clock';
import { isUnknown, knownItems, read } from '../../lib/known';
import { displayName, type PackStackPolicy } from '../../lib/pack-policy';

type WindowKey = keyof typeof MAINTENANCE;
const WEEK = 7 * 24 * 60;

/** A guide window as the JST weekday pattern and minutes of the day. */
const windowOf = (key: WindowKey) => {
  const w = MAINTENANCE[key];
  return {
    day: w.day,
    start: minutesOf(w.startJst),
    end: minutesOf(w.endJst),
    label: `${w.day} ${hhmm(minutesOf(w.startJst))}–${hhmm(minutesOf(w.endJst))} JST`,
  };
};

/** `cron(min hour ? * DAY *)` → the day pattern and the minute of the day, or undefined for anything else. */
export function weeklyCronAt(expression: string): { day: string; minute: number } | undefined {
  const m = /^cron\((\d{1,2}) (\d{1,2}) \? \* ([A-Z]{3}(?:#[1-5])?) \*\)$/.exec(expression.trim());
  return m ? { day: m[3]!, minute: Number(m[2]) * 60 + Number(m[1]) } : undefined;
}

/** What is wrong with a run scheduled by `expression` in `timezone`, for a guide window; `lateBy` = how long after its start it may still begin. */
function runProblem(expression: unknown, timezone: unknown, key: WindowKey, lateByMinutes: number): string | undefined {
  const w = windowOf(key);
  if (timezone !== TIMEZONE)
    return `runs in ${isUnknown(timezone) ? 'an unknown timezone' : (timezone ?? 'UTC')}; the guide's window (${w.label}) is Asia/Tokyo wall-clock time: set the timezone ${TIMEZONE}`;
  const at = typeof expression === 'string' ? weeklyCronAt(expression) : undefined;
  if (!at)
    return `runs on "${String(expression)}", not once on the guide's day (${w.day}) at a fixed time: use cron(<minute> <hour> ? * ${w.day} *)`;
  // SUN#2 is a Sunday too: the weekly window may be served on some Sundays (the monthly run does the first).
  const sameDay = at.day === w.day || (!w.day.includes('#') && at.day.split('#')[0] === w.day);
  if (!sameDay) return `runs on ${at.day}; the guide's window is ${w.label}`;
  if (at.minute < w.start || at.minute >= w.end) return `starts at ${hhmm(at.minute)} JST, outside the guide's window (${w.label})`;
  if (at.minute + lateByMinutes > w.end)
    return `may still start ${lateByMinutes} min after ${hhmm(at.minute)} JST (retries, flexible window), past the end of the guide's window (${w.label})`;
  return undefined;
}

/** The guide window a schedule serves: by the maintenance event its target sends. */
function maintenanceWindowOf(schedule: PolicyResource): WindowKey | undefined {
  const input = read(() => schedule.props.target?.input);
  if (typeof input !== 'string') return undefined;
  let task: unknown;
  try {
    task = (JSON.parse(input) as { task?: unknown }).task;
  } catch {
    return undefined;
  }
  return (Object.keys(MAINTENANCE_EVENTS) as WindowKey[]).find((k) => MAINTENANCE_EVENTS[k].task === task);
}

/** How late a schedule's run may begin: its flexible window, or its retries' maximum event age. */
function lateBy(schedule: PolicyResource): number {
  const flexible = read(() => schedule.props.flexibleTimeWindow) as { mode?: string; maximumWindowInMinutes?: number } | undefined;
  const flex = !isUnknown(flexible) && flexible?.mode === 'FLEXIBLE' ? (flexible.maximumWindowInMinutes ?? 0) : 0;
  const retry = read(() => schedule.props.target?.retryPolicy) as
    | { maximumRetryAttempts?: number; maximumEventAgeInSeconds?: number }
    | undefined;
  // EventBridge Scheduler retries for up to 24 h by default.
  const age =
    isUnknown(retry) || retry === undefined
      ? 24 * 60
      : retry.maximumRetryAttempts === 0
        ? 0
        : (retry.maximumEventAgeInSeconds ?? 86_400) / 60;
  return flex + age;
}

/** The guide's weekly window in RDS's terms (UTC minutes of the week). */
const RDS_WINDOW = (() => {
  const w = MAINTENANCE.weekly;
  const day = guideDay(w.day);
  const from = jstToUtc(day, w.startJst);
  const to = jstToUtc(day, w.endJst);
  return { ...parseWeeklyWindow(`${from.day}:${from.time}-${to.day}:${to.time}`), utc: `${from.day}:${from.time}-${to.day}:${to.time}` };
})();

function rdsWindowProblem(window: unknown): string | undefined {
  const weekly = windowOf('weekly');
  const fix = `set preferredMaintenanceWindow inside ${RDS_WINDOW.utc} (UTC), i.e. the guide's weekly window ${weekly.label}`;
  if (window === undefined) return `has no preferredMaintenanceWindow, so AWS patches it at a random time of the week: ${fix}`;
  if (typeof window !== 'string') return `has a maintenance window unknown until other resources exist: ${fix}`;
  let w: { start: number; end: number };
  try {
    w = parseWeeklyWindow(window.toLowerCase());
  } catch {
    return `has maintenance window "${window}", which is not ddd:hh24:mi-ddd:hh24:mi: ${fix}`;
  }
  const inside = [-WEEK, 0, WEEK].some((s) => w.start + s >= RDS_WINDOW.start && w.end + s <= RDS_WINDOW.end);
  return inside ? undefined : `is patched ${window} (UTC), outside the guide's weekly window: ${fix}`;
}

/** Which of the month's (up to five) guide weekdays no enabled weekly or monthly maintenance run covers. */
function uncoveredSundays(schedules: readonly PolicyResource[]): number[] {
  const covered = new Set<number>();
  for (const s of schedules) {
    const key = maintenanceWindowOf(s);
    const expression = read(() => s.props.scheduleExpression);
    if (!key || read(() => s.props.state) === 'DISABLED' || typeof expression !== 'string') continue;
    const at = weeklyCronAt(expression);
    if (!at) continue;
    const [day, nth] = at.day.split('#');
    if (day !== MAINTENANCE.weekly.day.split('#')[0]) continue;
    for (const n of nth ? [Number(nth)] : [1, 2, 3, 4, 5]) covered.add(n);
  }
  return [1, 2, 3, 4, 5].filter((n) => !covered.has(n));
}

export const maintenanceWindows: PackStackPolicy = {
  name: 'maintenance-windows',
  description: `The weekly (${windowOf('weekly').label}) and monthly (${windowOf('monthly').label}) maintenance runs are scheduled in Asia/Tokyo inside their windows and cannot start after them (flexible windows, retries); the monthly restore test runs in the monthly window; RDS patches the cluster and every instance inside the weekly window. A run outside the window patches or locks the database while users work.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const schedules = args.resources.filter((r) => r.isType(aws.scheduler.Schedule));
    for (const key of Object.keys(MAINTENANCE_EVENTS) as WindowKey[]) {
      const runs = schedules.filter((s) => maintenanceWindowOf(s) === key);
      if (runs.length === 0) {
        report(
          `No schedule runs the ${key} maintenance (${windowOf(key).label}: ${MAINTENANCE[key].tasks.join(' / ')}): expected an EventBridge Scheduler schedule whose target input is ${JSON.stringify(MAINTENANCE_EVENTS[key])}.`,
        );
      }
      for (const s of runs) {
        if (read(() => s.props.state) === 'DISABLED')
          report(
            `Schedule "${displayName(s.props, s.name)}" (${key} maintenance) is DISABLED: the guide's ${key} tasks would stop running; set state ENABLED.`,
            s.urn,
          );
        const problem = runProblem(
          read(() => s.props.scheduleExpression),
          read(() => s.props.scheduleExpressionTimezone),
          key,
          lateBy(s),
        );
        if (problem) report(`Schedule "${displayName(s.props, s.name)}" (${key} maintenance) ${problem}.`, s.urn);
      }
    }
    const uncovered = uncoveredSundays(schedules);
    // A stack without any weekly run was told so above.
    if (schedules.some((s) => maintenanceWindowOf(s) === 'weekly') && uncovered.length > 0) {
      report(
        `The weekly maintenance (${MAINTENANCE.weekly.tasks.join(' / ')}) does not run on ${uncovered.map((n) => `${MAINTENANCE.weekly.day}#${n}`).join(', ')}: every ${MAINTENANCE.weekly.day} needs a run, by a weekly schedule (${MAINTENANCE.weekly.day}, or ${MAINTENANCE.weekly.day}#n) or the monthly one, which does the weekly work too.`,
      );
    }
    for (const plan of args.resources.filter((r) => r.isType(aws.backup.RestoreTestingPlan))) {
      const hours = read(() => plan.props.startWindowHours) ?? 24;
      const problem = runProblem(
        read(() => plan.props.scheduleExpression),
        read(() => plan.props.scheduleExpressionTimezone),
        'monthly',
        isUnknown(hours) ? 0 : hours * 60,
      );
      if (problem) report(`Restore testing plan "${displayName(plan.props, plan.name)}" ${problem}.`, plan.urn);
    }
    for (const db of args.resources.filter(
      (r) => r.isType(aws.rds.Cluster) || r.isType(aws.rds.ClusterInstance) || r.isType(aws.rds.Instance),
    )) {
      const problem = rdsWindowProblem(read(() => db.props.preferredMaintenanceWindow));
      const id = read(() => db.props.clusterIdentifier ?? db.props.identifier);
      const what = db.isType(aws.rds.Cluster)
        ? `Aurora cluster "${typeof id === 'string' ? id : db.name}"`
        : `Database instance "${typeof id === 'string' && !db.isType(aws.rds.ClusterInstance) ? id : db.name}"`;
      if (problem) report(`${what} ${problem}.`, db.urn);
    }
  },
};

export const backupRestoreTesting: PackStackPolicy = {
  name: 'backup-restore-testing',
  description: `The database's backups are verified monthly (検証: 月次) and kept by AWS Backup: a backup selection covers the Aurora cluster, and an AWS Backup restore testing plan restores its latest recovery point (within the ${BACKUP.retentionDays}-day retention) from the vault the daily backup writes to. A backup never restored is not known to work (RTO ${BACKUP.rtoHours} h).`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const { resources } = args;
    const clusters = resources.filter((r) => r.isType(aws.rds.Cluster));
    const selections = resources.filter((r) => r.isType(aws.backup.Selection));
    const plans = resources.filter((r) => r.isType(aws.backup.RestoreTestingPlan));
    const tests = resources.filter((r) => r.isType(aws.backup.RestoreTestingSelection));
    const vaults = resources.filter((r) => r.isType(aws.backup.Plan)).flatMap((p) => referenced(resources, p, 'rules', aws.backup.Vault));
    for (const cluster of clusters) {
      const id = read(() => cluster.props.clusterIdentifier);
      const name = `Aurora cluster "${typeof id === 'string' ? id : cluster.name}"`;
      if (
        !selections.some(
          (s) => refersTo(resources, s, 'resources', cluster) && referenced(resources, s, 'planId', aws.backup.Plan).length > 0,
        )
      ) {
        report(
          `${name} is in no AWS Backup selection of a backup plan: add an aws.backup.Selection with the cluster's ARN in resources.`,
          cluster.urn,
        );
      }
      const tested = tests.filter(
        (t) => refersTo(resources, t, 'protectedResourceArns', cluster) && read(() => t.props.protectedResourceType) === 'Aurora',
      );
      const withPlan = tested.filter((t) => plans.some((p) => refersTo(resources, t, 'restoreTestingPlanName', p)));
      if (withPlan.length === 0) {
        report(
          `${name} is never restore-tested: the guide verifies backups monthly; add an aws.backup.RestoreTestingPlan in the monthly window and a RestoreTestingSelection (protectedResourceType Aurora) naming the cluster.`,
          cluster.urn,
        );
        continue;
      }
      for (const t of withPlan) {
        for (const plan of plans.filter((p) => refersTo(resources, t, 'restoreTestingPlanName', p))) {
          const sel = read(() => plan.props.recoveryPointSelection) as { algorithm?: string; selectionWindowDays?: number } | undefined;
          const pname = `Restore testing plan "${displayName(plan.props, plan.name)}"`;
          if (isUnknown(sel) || sel === undefined) continue;
          if (sel.algorithm !== 'LATEST_WITHIN_WINDOW')
            report(
              `${pname} restores ${sel.algorithm ?? 'no'} recovery point; the monthly verification restores the latest (algorithm LATEST_WITHIN_WINDOW).`,
              plan.urn,
            );
          if (sel.selectionWindowDays !== undefined && sel.selectionWindowDays > BACKUP.retentionDays) {
            report(
              `${pname} looks back ${sel.selectionWindowDays} days, past the ${BACKUP.retentionDays}-day retention: set selectionWindowDays ${BACKUP.retentionDays}.`,
              plan.urn,
            );
          }
          const from = referenced(resources, plan, 'recoveryPointSelection', aws.backup.Vault);
          const literalVaults = knownItems(() => (plan.props.recoveryPointSelection as { includeVaults?: string[] }).includeVaults);
          if (!from.some((v) => vaults.includes(v)) && !literalVaults.includes('*')) {
            report(
              `${pname} restores from no vault the daily backup plan writes to: include that vault's ARN in recoveryPointSelection.includeVaults.`,
              plan.urn,
            );
          }
        }
      }
    }
  },
};
