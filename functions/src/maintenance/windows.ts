/**
 * The maintenance windows of the guide (定期メンテナンス, JST wall clock) as instants: when a task
 * that succeeded at `t` is due again, i.e. the end of the first window that starts after `t`.
 * Weekly: Sunday 02:00–04:00; monthly: the first Sunday of the month 02:00–06:00. Pure; the
 * heartbeat (MaintenanceOverdue) compares the queue monitor's clock with it.
 */
import { MAINTENANCE, MAINTENANCE_EVENTS } from '../../../guide';

export type MaintenanceTask = (typeof MAINTENANCE_EVENTS)[keyof typeof MAINTENANCE_EVENTS]['task'];

const JST_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Window {
  readonly day: string;
  readonly startJst: { readonly hour: number; readonly minute: number };
  readonly endJst: { readonly hour: number; readonly minute: number };
}

const WINDOWS: Record<MaintenanceTask, Window> = {
  [MAINTENANCE_EVENTS.weekly.task]: MAINTENANCE.weekly,
  [MAINTENANCE_EVENTS.monthly.task]: MAINTENANCE.monthly,
} as Record<MaintenanceTask, Window>;

/** The window of `task` on the JST calendar day starting at `dayStartUtc` (ms), if that day has one. */
function windowOn(task: MaintenanceTask, dayStartJst: number): { start: number; end: number } | undefined {
  const w = WINDOWS[task];
  const [weekday, nth] = w.day.split('#');
  const date = new Date(dayStartJst + JST_MS);
  if (DAYS[date.getUTCDay()] !== weekday) return undefined;
  // `SUN#1`: the first Sunday of the month, i.e. on the 1st to the 7th.
  if (nth !== undefined && Math.ceil(date.getUTCDate() / 7) !== Number(nth)) return undefined;
  const at = (t: { hour: number; minute: number }) => dayStartJst + (t.hour * 60 + t.minute) * 60_000;
  return { start: at(w.startJst), end: at(w.endJst) };
}

/** When `task` is due again after a success at `after`: the end of the first window starting after it. */
export function nextDue(task: MaintenanceTask, after: Date): Date {
  const t = after.getTime();
  // Midnight JST of the day `after` falls on, as a UTC instant.
  let day = Math.floor((t + JST_MS) / DAY_MS) * DAY_MS - JST_MS;
  for (let i = 0; i < 40; i++, day += DAY_MS) {
    const w = windowOn(task, day);
    if (w && w.start > t) return new Date(w.end);
  }
  throw new Error(`No ${task} window within 40 days of ${after.toISOString()}: check MAINTENANCE in guide/`);
}
