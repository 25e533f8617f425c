/**
 * Times of day, for comparing AWS schedules (UTC windows, cron in a timezone) with the guide's JST.
 * Minutes since midnight; Japan has no daylight saving, so JST is always UTC+9.
 */
import { TIMEZONE } from '../../guide';

const DAY = 24 * 60;
const JST_OFFSET = 9 * 60;

export interface ClockTime {
  readonly hour: number;
  readonly minute: number;
}

export const minutesOf = (t: ClockTime): number => t.hour * 60 + t.minute;
export const jstToUtc = (jst: number): number => (((jst - JST_OFFSET) % DAY) + DAY) % DAY;
export const utcToJst = (utc: number): number => (utc + JST_OFFSET) % DAY;
export const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Start of an RDS daily window `hh24:mi-hh24:mi` (UTC), in minutes; undefined if it is not one. */
export function windowStart(window: string): number | undefined {
  const m = /^(\d{2}):(\d{2})-\d{2}:\d{2}$/.exec(window);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/**
 * The time of day a daily `cron(min hour * * ? *)` runs, in JST, read in its timezone (the guide's
 * or UTC, AWS's default). Undefined when the expression is not a daily run at one fixed time.
 */
export function dailyCronJst(expression: string, timezone: string | undefined): number | undefined {
  const m = /^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/.exec(expression.trim());
  if (!m) return undefined;
  const at = Number(m[2]) * 60 + Number(m[1]);
  if (timezone === TIMEZONE) return at;
  if (timezone === undefined || timezone === 'UTC' || timezone === 'Etc/UTC') return utcToJst(at);
  return undefined;
}
