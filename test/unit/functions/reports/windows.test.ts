/**
 * The reports' windows in the guide's timezone (Asia/Tokyo, +09:00 all year): the daily check's
 * two editions, the week from Monday 00:00 JST, the calendar month in JST, at their boundaries.
 */
import { CHECKS } from '../../../../guide';
import { editionAt, jstDay, reportWindow } from '../../../../functions/src/reports/windows';

const at = (jst: string) => new Date(`${jst}+09:00`);
const iso = (w: { start: Date; end: Date }) => [w.start.toISOString(), w.end.toISOString()];

describe('editionAt', () => {
  it.each([
    ['2026-12-07T00:00:00', 'morning'],
    ['2026-12-07T09:00:00', 'morning'],
    ['2026-12-07T16:59:59.999', 'morning'],
    [`2026-12-07T${String(CHECKS.dailyEvening.hour).padStart(2, '0')}:00:00`, 'evening'],
    ['2026-12-07T23:59:59', 'evening'],
  ])('is %s JST → %s', (time, edition) => {
    expect(editionAt(at(time))).toBe(edition);
  });
});

describe('reportWindow', () => {
  it('daily at 09:00 JST is the previous JST day, whatever the UTC date', () => {
    // 2026-12-07 09:00 JST is 2026-12-07 00:00 UTC; 08:59 JST is still the 6th in UTC.
    expect(iso(reportWindow('daily', at('2026-12-07T09:00:00')))).toEqual(['2026-12-05T15:00:00.000Z', '2026-12-06T15:00:00.000Z']);
    expect(iso(reportWindow('daily', at('2026-12-07T08:59:00')))).toEqual(['2026-12-05T15:00:00.000Z', '2026-12-06T15:00:00.000Z']);
  });

  it('daily at 17:00 JST is today from 00:00 JST to the report time', () => {
    expect(iso(reportWindow('daily', at('2026-12-07T17:00:00')))).toEqual(['2026-12-06T15:00:00.000Z', '2026-12-07T08:00:00.000Z']);
  });

  it('daily with an edition named covers that edition whatever the time', () => {
    expect(iso(reportWindow('daily', at('2026-12-07T20:00:00'), 'morning'))).toEqual([
      '2026-12-05T15:00:00.000Z',
      '2026-12-06T15:00:00.000Z',
    ]);
  });

  it.each([
    ['Monday 00:00', '2026-12-07T00:00:00', '2026-11-30', '2026-12-07'],
    ['Monday 09:00', '2026-12-07T09:00:00', '2026-11-30', '2026-12-07'],
    ['Sunday 23:59', '2026-12-06T23:59:00', '2026-11-23', '2026-11-30'],
    ['Wednesday', '2026-12-09T12:00:00', '2026-11-30', '2026-12-07'],
    ['across a year', '2027-01-04T09:00:00', '2026-12-28', '2027-01-04'],
  ])('weekly on %s JST is the previous Monday-to-Monday week', (_when, time, from, to) => {
    const w = reportWindow('weekly', at(time));
    expect([jstDay(w.start), jstDay(w.end)]).toEqual([from, to]);
    expect(iso(w)).toEqual([at(`${from}T00:00:00`).toISOString(), at(`${to}T00:00:00`).toISOString()]);
  });

  it.each([
    ['December 1st 09:00', '2026-12-01T09:00:00', '2026-11-01', '2026-12-01'],
    ['January 1st 08:00 (still December 31st in UTC)', '2027-01-01T08:00:00', '2026-12-01', '2027-01-01'],
    ['March 1st (February has 28 days)', '2027-03-01T09:00:00', '2027-02-01', '2027-03-01'],
    ['the 31st of a month', '2026-12-31T23:59:00', '2026-11-01', '2026-12-01'],
  ])('monthly on %s JST is the previous calendar month', (_when, time, from, to) => {
    const w = reportWindow('monthly', at(time));
    expect(iso(w)).toEqual([at(`${from}T00:00:00`).toISOString(), at(`${to}T00:00:00`).toISOString()]);
  });
});
