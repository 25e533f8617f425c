/**
 * Where the evaluated periods lie and how often an alarm is evaluated.
 * Source: Amazon CloudWatch User Guide, "Alarm evaluation window",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation-window.html
 * ("an alarm with a period of 1 hour and 1 evaluation period might evaluate 13:07–14:07 in one
 * evaluation and 13:08–14:08 in the next"; wall clock: "1 hour periods align to the top of the
 * hour, 1 day periods to midnight, 1 week periods to Monday 00:00").
 */
import { AlarmEvaluator } from '../../../../observability/evaluator';
import { cadenceOf, periodsAt } from '../../../../observability/evaluator/engine/windows';
import { at, sample, thresholdAlarm } from './helpers/alarms';

const iso = (p: { start: number; end: number }) =>
  `${new Date(p.start).toISOString().slice(11, 16)}–${new Date(p.end).toISOString().slice(11, 16)}`;
const utc = (text: string) => Date.parse(`${text}Z`);

describe('sliding window (the default)', () => {
  it('ends the evaluated period at the evaluation time and moves a minute at a time', () => {
    const first = periodsAt(utc('2026-01-05T14:07:00'), 3600, 1, { type: 'sliding' });
    const next = periodsAt(utc('2026-01-05T14:08:00'), 3600, 1, { type: 'sliding' });
    expect([iso(first[0]!), iso(next[0]!)]).toEqual(['13:07–14:07', '13:08–14:08']);
  });

  it('lists the periods of the evaluation range oldest first, back to back', () => {
    expect(periodsAt(utc('2026-01-05T09:12:00'), 300, 3, { type: 'sliding' }).map(iso)).toEqual([
      '08:57–09:02',
      '09:02–09:07',
      '09:07–09:12',
    ]);
  });

  it('counts a sample in the period that holds its timestamp, start included and end excluded', () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm()], { start: at(0), evaluationRange: () => 1 });
    evaluator.put([sample(at(-5), 3), sample(at(0) - 1, 3), sample(at(0), 100)]);
    const [transition] = evaluator.advanceTo(at(0)).transitions;
    expect(transition?.evaluatedDatapoints).toEqual([{ timestamp: at(-5), value: 6, breaching: true, sampleCount: 2 }]);
  });
});

describe('wall clock window', () => {
  it.each([
    [3600, 'UTC', '2026-01-05T14:07:00', '13:00–14:00'],
    [300, 'UTC', '2026-01-05T14:07:00', '14:00–14:05'],
    [86_400, 'UTC', '2026-01-05T14:07:00', '00:00–00:00'],
    [86_400, '+09:00', '2026-01-05T14:07:00', '15:00–15:00'],
  ])('aligns a %s s period (time zone %s) to the clock: at %s it sees %s', (period, timezone, time, expected) => {
    expect(iso(periodsAt(utc(time), period, 1, { type: 'wallClock', timezone })[0]!)).toBe(expected);
  });

  it('starts weeks on Monday 00:00', () => {
    const [week] = periodsAt(utc('2026-01-08T10:00:00'), 604_800, 1, { type: 'wallClock' });
    expect(new Date(week!.end).toISOString()).toBe('2026-01-05T00:00:00.000Z');
  });

  it('refuses a period it cannot align and a named time zone', () => {
    const build = (period: number, timezone?: string) => () =>
      new AlarmEvaluator([thresholdAlarm({ period, evaluationWindow: { type: 'wallClock', timezone } })], { start: at(0) });
    expect(build(120)).toThrow(/wall-clock window needs a period of 1 min, 5 min, 1 h, 1 day or 1 week/);
    expect(build(300, 'Asia/Tokyo')).toThrow(/time zone "Asia\/Tokyo" is not supported; give a fixed offset/);
  });
});

describe('evaluation cadence', () => {
  it('evaluates a standard alarm every minute whatever its period, a high-resolution one every period', () => {
    expect([cadenceOf(3600), cadenceOf(300), cadenceOf(60), cadenceOf(30), cadenceOf(10)]).toEqual([
      60_000, 60_000, 60_000, 30_000, 10_000,
    ]);
  });

  it('reacts within a minute to a sample that crosses a 1-hour alarm', () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm({ period: 3600 })], { start: at(0) });
    evaluator.advanceTo(at(10));
    evaluator.put(sample(at(10, 5), 100));
    const step = evaluator.advanceTo(at(11));
    expect(step.transitions.map((t) => [t.to, t.at])).toEqual([['ALARM', at(11)]]);
  });

  it.each([
    ['a period of 45 s', { period: 45 }, /period 45 s is not 10, 20, 30 or a multiple of 60/],
    [
      '300 periods of 5 min',
      { evaluationPeriods: 300, datapointsToAlarm: 1 },
      /period × evaluationPeriods is 90000 s; CloudWatch allows at most 86400 s/,
    ],
    ['8 periods of 1 day', { period: 86_400, evaluationPeriods: 8 }, /CloudWatch allows at most 604800 s/],
  ])('refuses %s', (_what, overrides, message) => {
    expect(() => new AlarmEvaluator([thresholdAlarm(overrides)], { start: at(0) })).toThrow(message);
  });
});
