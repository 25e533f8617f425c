/**
 * Where the evaluated periods lie. CloudWatch evaluates a standard alarm every minute, whatever
 * its period; with the default sliding window the periods end at the evaluation time, so a
 * 1-hour alarm looks at 13:07–14:07 at one evaluation and 13:08–14:08 at the next (user guide,
 * "Alarm evaluation window"). A wall-clock window looks at whole periods aligned to the top of the
 * hour, midnight or Monday 00:00 in its time zone, and sees a period only once it has ended.
 * Sub-minute (high-resolution) alarms are evaluated once per period.
 */
import type { EvaluationWindow } from '../types';

const MINUTE = 60_000;
const DAY_S = 86_400;
const WEEK_S = 7 * DAY_S;
/** 1970-01-01 was a Thursday: Monday 00:00 boundaries sit 4 days after multiples of a week. */
const MONDAY_SHIFT = 4 * DAY_S * 1000;
const WALL_CLOCK_PERIODS = [60, 300, 3600, DAY_S, WEEK_S];

export interface Period {
  readonly start: number;
  readonly end: number;
}

export function checkPeriod(alarm: string, period: number): void {
  if (![10, 20, 30].includes(period) && !(Number.isInteger(period / 60) && period > 0)) {
    throw new Error(`Alarm ${alarm}: period ${period} s is not 10, 20, 30 or a multiple of 60.`);
  }
}

/** A fixed UTC offset in ms: `UTC`, `+09:00`, `-05:30`, `UTC+05:30`. */
export function offsetOf(alarm: string, timezone = 'UTC'): number {
  if (timezone === 'UTC' || timezone === 'Z') return 0;
  const m = /^(?:UTC)?([+-])(\d{2}):?(\d{2})$/.exec(timezone);
  if (!m) throw new Error(`Alarm ${alarm}: time zone "${timezone}" is not supported; give a fixed offset such as +09:00 or UTC+05:30.`);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes % 5) throw new Error(`Alarm ${alarm}: time zone offset ${timezone} must be a multiple of 5 minutes.`);
  return (m[1] === '-' ? -1 : 1) * minutes * MINUTE;
}

export function checkWindow(alarm: string, window: EvaluationWindow, period: number, periods: number): void {
  const limit = period < 3600 ? DAY_S : WEEK_S;
  if (period * periods > limit) {
    throw new Error(
      `Alarm ${alarm}: period × evaluationPeriods is ${period * periods} s; CloudWatch allows at most ${limit} s for this period.`,
    );
  }
  if (window.type === 'wallClock') {
    if (!WALL_CLOCK_PERIODS.includes(period))
      throw new Error(`Alarm ${alarm}: a wall-clock window needs a period of 1 min, 5 min, 1 h, 1 day or 1 week, not ${period} s.`);
    offsetOf(alarm, window.timezone);
  } else if (window.type !== 'sliding') {
    throw new Error(`Alarm ${alarm}: evaluationWindow type must be sliding or wallClock.`);
  }
}

/** How often the alarm is evaluated, ms. */
export const cadenceOf = (period: number): number => (period < 60 ? period * 1000 : MINUTE);

/** The first evaluation time at or after `t`. */
export const firstTickAtOrAfter = (t: number, cadence: number): number => Math.ceil(t / cadence) * cadence;

/**
 * The `count` periods evaluated at time `at`, oldest first. `at` is the evaluation time less any
 * evaluation delay.
 */
export function periodsAt(at: number, period: number, count: number, window: EvaluationWindow, alarm = 'alarm'): Period[] {
  const p = period * 1000;
  let end = at;
  if (window.type === 'wallClock') {
    const origin = -offsetOf(alarm, window.timezone) + (period === WEEK_S ? MONDAY_SHIFT : 0);
    end = Math.floor((at - origin) / p) * p + origin;
  }
  return Array.from({ length: count }, (_, i) => {
    const k = count - i;
    return { start: end - k * p, end: end - (k - 1) * p };
  });
}
