/**
 * The guide writes every time in JST (Asia/Tokyo). EventBridge Scheduler and AWS Backup take the
 * timezone, so their expressions keep the guide's wall-clock times; RDS windows are UTC only, so
 * they are converted here, once, from BACKUP and MAINTENANCE.
 */
import { BACKUP, INFRA, MAINTENANCE } from '../../guide';

const JST_OFFSET_MINUTES = 9 * 60;
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Day = (typeof DAYS)[number];

export interface ClockTime {
  readonly hour: number;
  readonly minute: number;
}

/** Minutes since Sunday 00:00 of a weekday and time. */
const minuteOfWeek = (day: Day, t: ClockTime): number => DAYS.indexOf(day) * DAY_MINUTES + t.hour * 60 + t.minute;

const pad = (n: number): string => String(n).padStart(2, '0');

function fromMinuteOfWeek(m: number): { day: Day; time: string } {
  const w = ((m % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
  const day = DAYS[Math.floor(w / DAY_MINUTES)] as Day;
  const inDay = w % DAY_MINUTES;
  return { day, time: `${pad(Math.floor(inDay / 60))}:${pad(inDay % 60)}` };
}

/** A JST weekday and time as the UTC weekday and `hh:mm`. */
export function jstToUtc(day: Day, t: ClockTime): { day: Day; time: string } {
  return fromMinuteOfWeek(minuteOfWeek(day, t) - JST_OFFSET_MINUTES);
}

/** The guide's `SUN` / `SUN#1` as RDS's weekday. */
export function guideDay(day: string): Day {
  const d = day.split('#')[0]?.toLowerCase() as Day;
  if (!DAYS.includes(d)) throw new Error(`Unknown weekday ${JSON.stringify(day)} in the guide`);
  return d;
}

/** A weekly interval, in minutes of the week (UTC), `end` exclusive. */
export interface WeeklyInterval {
  readonly start: number;
  readonly end: number;
}

export function overlaps(a: WeeklyInterval, b: WeeklyInterval): boolean {
  // Compare on a doubled week so intervals that wrap past Saturday midnight still compare.
  const shifts = [-WEEK_MINUTES, 0, WEEK_MINUTES];
  return shifts.some((s) => a.start < b.end + s && b.start + s < a.end);
}

export interface RdsWindows {
  /** `hh24:mi-hh24:mi`, UTC, daily. */
  readonly backup: string;
  /** `ddd:hh24:mi-ddd:hh24:mi`, UTC, weekly. */
  readonly maintenance: string;
}

/**
 * RDS windows from the guide: the daily backup starts at 03:00 JST; patching takes the slot right
 * after it, so a fresh backup exists before a patch, and both lie inside the weekly maintenance
 * window (Sunday 02:00–04:00 JST). RDS refuses overlapping windows, and the guide's backup time
 * falls inside its weekly window, hence the split.
 */
export function rdsWindows(): RdsWindows {
  const len = INFRA.database.windowMinutes;
  const weekly = MAINTENANCE.weekly;
  const day = guideDay(weekly.day);
  const backupStart = minuteOfWeek(day, BACKUP.startJst) - JST_OFFSET_MINUTES;
  const patchStart = backupStart + len;
  const window: WeeklyInterval = {
    start: minuteOfWeek(day, weekly.startJst) - JST_OFFSET_MINUTES,
    end: minuteOfWeek(day, weekly.endJst) - JST_OFFSET_MINUTES,
  };
  if (patchStart < window.start || patchStart + len > window.end) {
    throw new Error(
      'The RDS patch slot after the 03:00 JST backup no longer fits the weekly maintenance window; revisit guide BACKUP/MAINTENANCE',
    );
  }
  const b0 = fromMinuteOfWeek(backupStart);
  const b1 = fromMinuteOfWeek(backupStart + len);
  const m0 = fromMinuteOfWeek(patchStart);
  const m1 = fromMinuteOfWeek(patchStart + len);
  return { backup: `${b0.time}-${b1.time}`, maintenance: `${m0.day}:${m0.time}-${m1.day}:${m1.time}` };
}

/**
 * The JST start of RDS's patch slot (right after the 03:00 backup): the monthly patch run starts
 * there on the first Sunday, the same minute RDS's own weekly window opens.
 */
export function patchSlotJst(): ClockTime {
  const start = BACKUP.startJst.hour * 60 + BACKUP.startJst.minute + INFRA.database.windowMinutes;
  return { hour: Math.floor(start / 60), minute: start % 60 };
}

/** Parses RDS's `ddd:hh24:mi-ddd:hh24:mi` into a weekly interval. */
export function parseWeeklyWindow(w: string): WeeklyInterval {
  const m = /^(\w{3}):(\d{2}):(\d{2})-(\w{3}):(\d{2}):(\d{2})$/.exec(w);
  if (!m) throw new Error(`Not an RDS weekly window: ${w}`);
  const at = (d: string, h: string, mi: string) => minuteOfWeek(d as Day, { hour: Number(h), minute: Number(mi) });
  const start = at(m[1]!, m[2]!, m[3]!);
  const end = at(m[4]!, m[5]!, m[6]!);
  return { start, end: end > start ? end : end + WEEK_MINUTES };
}

/** Parses RDS's daily `hh24:mi-hh24:mi` as that window on every day of the week. */
export function parseDailyWindow(w: string): WeeklyInterval[] {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(w);
  if (!m) throw new Error(`Not an RDS daily window: ${w}`);
  const start = Number(m[1]) * 60 + Number(m[2]);
  const endRaw = Number(m[3]) * 60 + Number(m[4]);
  const end = endRaw > start ? endRaw : endRaw + DAY_MINUTES;
  return DAYS.map((_, i) => ({ start: i * DAY_MINUTES + start, end: i * DAY_MINUTES + end }));
}

/** EventBridge Scheduler / AWS Backup cron on a weekday (`SUN`, `SUN#1`), read in TIMEZONE. */
export const weeklyCron = (t: ClockTime, day: string): string => `cron(${t.minute} ${t.hour} ? * ${day} *)`;

/** Daily cron, read in TIMEZONE. */
export const dailyCron = (t: ClockTime): string => `cron(${t.minute} ${t.hour} * * ? *)`;

export const everyMinutes = (n: number): string => `rate(${n} ${n === 1 ? 'minute' : 'minutes'})`;

/** Length of a JST window in minutes. */
export const windowMinutes = (w: { startJst: ClockTime; endJst: ClockTime }): number =>
  w.endJst.hour * 60 + w.endJst.minute - (w.startJst.hour * 60 + w.startJst.minute);
