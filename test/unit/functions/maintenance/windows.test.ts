/** When a maintenance task is due again: the end of the guide's next window (JST wall clock). */
import { MAINTENANCE_EVENTS } from '../../../../guide';
import { nextDue } from '../../../../functions/src/maintenance/windows';

const jst = (iso: string) => new Date(`${iso}+09:00`);
const weekly = MAINTENANCE_EVENTS.weekly.task;
const monthly = MAINTENANCE_EVENTS.monthly.task;

describe('nextDue', () => {
  it.each([
    ['a weekly run that ended Sunday 02:10', '2026-01-04T02:10:00', '2026-01-11T04:00:00'],
    ['a manual run on Wednesday', '2026-01-07T15:00:00', '2026-01-11T04:00:00'],
    ['a run on Sunday before the window opens', '2026-01-11T01:30:00', '2026-01-11T04:00:00'],
    ['a run Saturday 23:00 JST (Saturday 14:00 UTC)', '2026-01-10T23:00:00', '2026-01-11T04:00:00'],
  ])('is the end of the next Sunday window for %s', (_, at, due) => {
    expect(nextDue(weekly, jst(at)).toISOString()).toBe(jst(due).toISOString());
  });

  it.each([
    ['the January window', '2026-01-04T02:30:00', '2026-02-01T06:00:00'],
    ['a 5-week month: February 1 to March 1', '2026-02-01T03:00:00', '2026-03-01T06:00:00'],
    ['mid-month', '2026-03-15T12:00:00', '2026-04-05T06:00:00'],
  ])('is the end of the next first-Sunday window for %s', (_, at, due) => {
    expect(nextDue(monthly, jst(at)).toISOString()).toBe(jst(due).toISOString());
  });
});
