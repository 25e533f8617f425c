/**
 * Numbers in words, for the sentences of the runbook and the alarm descriptions: every time and
 * window they state is computed from guide/ (`ALARM_POLICY`, `GUIDE_ALERTS`, `SLO`, …), so a
 * changed number changes the prose too.
 */
import type { Evaluation } from '../../guide';

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** 300 → `5 minutes`, 3600 → `1 hour`, 86400 → `24 hours`, 90 → `90 seconds`. */
export function duration(seconds: number): string {
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

/** `minute`, `hour`, `5 minutes`: what comes after "per". */
export const perPeriod = (seconds: number): string => (seconds === 60 ? 'minute' : seconds === 3600 ? 'hour' : duration(seconds));

/** `every minute`, `every 5 minutes`. */
export const every = (seconds: number): string => `every ${perPeriod(seconds)}`;

/** `the last 5 minutes`, `the last hour`. */
export const lastPeriod = (seconds: number): string => (seconds === 3600 ? 'the last hour' : `the last ${duration(seconds)}`);

/** A window as an adjective: 300 → `5-minute`, 3600 → `1-hour`. */
const windowOf = (seconds: number): string => duration(seconds).replace(/ (\w+?)s?$/, '-$1');

/**
 * When an alarm's condition must hold, as its evaluation says: `in the last 5 minutes` (one
 * period), `for 15 minutes` (every period of the window), `in 3 of the last 5 minutes` (some).
 */
export function during(e: Evaluation): string {
  if (e.periods === 1) return `in ${lastPeriod(e.periodSeconds)}`;
  if (e.datapoints === e.periods) return `for ${duration(e.periods * e.periodSeconds)}`;
  const windows = e.periodSeconds === 60 ? 'minutes' : `windows of ${duration(e.periodSeconds)}`;
  return `in ${e.datapoints} of the last ${e.periods} ${windows}`;
}

/** `in 2 consecutive 15-minute windows`: for alarms whose window length matters as much as the total. */
export const consecutiveWindows = (e: Evaluation): string => `in ${e.periods} consecutive ${windowOf(e.periodSeconds)} windows`;

/** 1000 → `1 s`, 500 → `500 ms`. */
export const millis = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** 256 MiB and the like. */
export const bytes = (n: number): string => (n % 1024 ** 3 === 0 ? `${n / 1024 ** 3} GiB` : `${n / 1024 ** 2} MiB`);
