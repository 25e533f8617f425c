/** JST → UTC and the RDS windows derived from the guide's backup time and weekly window. */
import { BACKUP, MAINTENANCE } from '../../../../guide';
import {
  dailyCron, everyMinutes, guideDay, jstToUtc, overlaps, parseDailyWindow, parseWeeklyWindow, rdsWindows, weeklyCron, windowMinutes,
} from '../../../../infra/specs/schedules';

describe('jstToUtc', () => {
  it.each([
    ['sun', 2, 0, 'sat', '17:00'],
    ['sun', 3, 0, 'sat', '18:00'],
    ['mon', 9, 30, 'mon', '00:30'],
    ['sun', 8, 59, 'sat', '23:59'],
  ] as const)('turns %s %i:%i JST into %s %s UTC', (day, hour, minute, utcDay, utcTime) => {
    expect(jstToUtc(day, { hour, minute })).toEqual({ day: utcDay, time: utcTime });
  });

  it('reads the guide weekday notation, first-Sunday included', () => {
    expect(guideDay('SUN')).toBe('sun');
    expect(guideDay('SUN#1')).toBe('sun');
    expect(() => guideDay('SONNTAG')).toThrow(/Unknown weekday/);
  });
});

describe('rdsWindows', () => {
  const { backup, maintenance } = rdsWindows();
  const backupStartUtc = jstToUtc('sun', BACKUP.startJst).time;
  // The guide's weekly window, Sunday 02:00-04:00 JST, in UTC.
  const weekly = parseWeeklyWindow('sat:17:00-sat:19:00');

  it('starts the daily backup at 03:00 JST (18:00 UTC), for at least 30 minutes', () => {
    expect(backupStartUtc).toBe('18:00');
    expect(backup).toBe('18:00-18:30');
  });

  it('puts patching inside Sunday 02:00-04:00 JST (Saturday 17:00-19:00 UTC)', () => {
    const m = parseWeeklyWindow(maintenance);
    expect(maintenance).toMatch(/^sat:/);
    expect(m.start).toBeGreaterThanOrEqual(weekly.start);
    expect(m.end).toBeLessThanOrEqual(weekly.end);
    expect(m.end - m.start).toBeGreaterThanOrEqual(30);
  });

  it('never overlaps the backup window, which RDS would refuse', () => {
    const m = parseWeeklyWindow(maintenance);
    expect(parseDailyWindow(backup).some((b) => overlaps(b, m))).toBe(false);
  });
});

describe('overlaps', () => {
  it('sees intervals that wrap past Saturday midnight', () => {
    expect(overlaps(parseWeeklyWindow('sat:23:30-sun:00:30'), parseDailyWindow('00:00-00:30')[0]!)).toBe(true);
    expect(overlaps({ start: 0, end: 30 }, { start: 30, end: 60 })).toBe(false);
  });
});

describe('schedule expressions', () => {
  it('writes the guide times as cron read in Asia/Tokyo', () => {
    expect(weeklyCron(MAINTENANCE.weekly.startJst, MAINTENANCE.weekly.day)).toBe('cron(0 2 ? * SUN *)');
    expect(weeklyCron(MAINTENANCE.monthly.startJst, MAINTENANCE.monthly.day)).toBe('cron(0 2 ? * SUN#1 *)');
    expect(dailyCron(BACKUP.startJst)).toBe('cron(0 3 * * ? *)');
    expect(everyMinutes(1)).toBe('rate(1 minute)');
    expect(everyMinutes(5)).toBe('rate(5 minutes)');
  });

  it('measures the guide windows', () => {
    expect(windowMinutes(MAINTENANCE.weekly)).toBe(120);
    expect(windowMinutes(MAINTENANCE.monthly)).toBe(240);
  });
});
