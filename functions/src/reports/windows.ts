/**
 * The window each report covers, in the guide's timezone (JST has no daylight saving: a fixed
 * +09:00). 朝（9:00）: the previous JST day; 夕方（17:00）: today from 00:00 to now; 週次（月曜日）:
 * the previous Monday-to-Monday week; 月次（月初）: the previous calendar month.
 */
import { DAILY_EDITIONS, type DailyEdition, type ReportKind, CHECKS } from '../../../guide';
import type { Window } from './source';

const JST_MS = 9 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** The JST wall clock of an instant, as a Date whose UTC fields read JST. */
const jst = (d: Date): Date => new Date(d.getTime() + JST_MS);
/** An instant from JST wall-clock fields. */
const fromJst = (y: number, m: number, day: number): Date => new Date(Date.UTC(y, m, day) - JST_MS);

/** `YYYY-MM-DD` of the JST day an instant falls on. */
export const jstDay = (d: Date): string => jst(d).toISOString().slice(0, 10);
/** `YYYY-MM-DD HH:mm JST`. */
export const jstTime = (d: Date): string => `${jst(d).toISOString().slice(0, 16).replace('T', ' ')} JST`;

const startOfJstDay = (d: Date): Date => {
  const j = jst(d);
  return fromJst(j.getUTCFullYear(), j.getUTCMonth(), j.getUTCDate());
};

/** The daily edition for an instant: the evening one from 17:00 JST on. */
export function editionAt(at: Date): DailyEdition {
  const j = jst(at);
  const minutes = j.getUTCHours() * 60 + j.getUTCMinutes();
  return minutes >= CHECKS.dailyEvening.hour * 60 + CHECKS.dailyEvening.minute ? 'evening' : 'morning';
}

export function parseEdition(value: string): DailyEdition {
  if (!(DAILY_EDITIONS as readonly string[]).includes(value)) {
    throw new Error(`edition ${JSON.stringify(value)} must be one of ${DAILY_EDITIONS.join(', ')}`);
  }
  return value as DailyEdition;
}

export function reportWindow(kind: ReportKind, at: Date, edition: DailyEdition = editionAt(at)): Window {
  const today = startOfJstDay(at);
  switch (kind) {
    case 'daily':
      return edition === 'morning' ? { start: new Date(today.getTime() - DAY_MS), end: today } : { start: today, end: at };
    case 'weekly': {
      // Monday 00:00 JST of this week, then the week before it.
      const weekday = jst(today).getUTCDay();
      const monday = new Date(today.getTime() - ((weekday + 6) % 7) * DAY_MS);
      return { start: new Date(monday.getTime() - 7 * DAY_MS), end: monday };
    }
    case 'monthly': {
      const j = jst(at);
      return { start: fromJst(j.getUTCFullYear(), j.getUTCMonth() - 1, 1), end: fromJst(j.getUTCFullYear(), j.getUTCMonth(), 1) };
    }
  }
}
