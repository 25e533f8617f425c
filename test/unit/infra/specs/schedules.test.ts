/** JST → UTC and the RDS windows derived from the guide's backup time and weekly window. */
import { BACKUP, INFRA, MAINTENANCE } from '../../../../guide';
import {
  dailyCron,
  everyMinutes,
  guideDay,
  jstToUtc,
  overlaps,
  parseDailyWindow,
  parseWeeklyWindow,
  rdsWindows,
  weeklyCron,
  windowMinutes,
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
  const len = INFRA.database.windowMinutes;
  const backupStart = BACKUP.startJst;
  const backupEnd = { hour: backupStart.hour + Math.floor((backupStart.minute + len) / 60), minute: (backupStart.minute + len) % 60 };
  // The guide's weekly window, in UTC.
  const { day, startJst, endJst } = MAINTENANCE.weekly;
  const [from, to] = [startJst, endJst].map((t) => jstToUtc(guideDay(day), t));
  const weekly = parseWeeklyWindow(`${from!.day}:${from!.time}-${to!.day}:${to!.time}`);

  it(`starts the daily backup at the guide's time (${jstToUtc('sun', backupStart).time} UTC), for the RDS minimum of ${len} minutes`, () => {
    expect(backup).toBe(`${jstToUtc('sun', backupStart).time}-${jstToUtc('sun', backupEnd).time}`);
  });

  it(`puts patching inside the guide's weekly window (${from!.day} ${from!.time}-${to!.time} UTC)`, () => {
    const m = parseWeeklyWindow(maintenance);
    expect(maintenance.startsWith(`${from!.day}:`)).toBe(true);
    expect(m.start).toBeGreaterThanOrEqual(weekly.start);
    expect(m.end).toBeLessThanOrEqual(weekly.end);
    expect(m.end - m.start).toBeGreaterThanOrEqual(len);
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
  it("writes wall-clock times as cron (read in the schedule's timezone)", () => {
    expect(weeklyCron({ hour: 2, minute: 0 }, 'SUN')).toBe('cron(0 2 ? * SUN *)');
    expect(weeklyCron({ hour: 2, minute: 30 }, 'SUN#1')).toBe('cron(30 2 ? * SUN#1 *)');
    expect(dailyCron({ hour: 3, minute: 0 })).toBe('cron(0 3 * * ? *)');
    expect(everyMinutes(1)).toBe('rate(1 minute)');
    expect(everyMinutes(5)).toBe('rate(5 minutes)');
  });

  it('measures a window in minutes', () => {
    expect(windowMinutes({ startJst: { hour: 2, minute: 0 }, endJst: { hour: 4, minute: 0 } })).toBe(120);
    expect(windowMinutes({ startJst: { hour: 2, minute: 15 }, endJst: { hour: 6, minute: 0 } })).toBe(225);
  });
});
