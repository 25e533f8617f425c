/**
 * The evaluator on its clock: state at creation, transitions with timestamps and CloudWatch's
 * reasons, M out of N over time, treatMissingData over silence, late and delayed data, units.
 */
import { AlarmEvaluator, replay } from '../../../../observability/evaluator';
import { T0, at, sample, thresholdAlarm } from './helpers/alarms';

const states = (e: AlarmEvaluator) => e.transitions.map((t) => `${new Date(t.at).toISOString().slice(11, 16)} ${t.to}`);

describe('AlarmEvaluator', () => {
  it('creates every alarm in INSUFFICIENT_DATA without a transition or an action', () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm()], { start: at(0, 30) });
    expect(evaluator.status('errors-high')).toEqual({
      name: 'errors-high',
      arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors-high',
      kind: 'metric',
      state: 'INSUFFICIENT_DATA',
      reason: 'Unchecked: Initial alarm creation',
      since: at(0, 30),
      evaluatedAt: undefined,
    });
    expect([evaluator.transitions, evaluator.actions]).toEqual([[], []]);
  });

  it('evaluates first at the next whole minute and stamps the transition with that time', () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm()], { start: at(0, 30) });
    evaluator.put(sample(at(0, 10), 9));
    const step = evaluator.advanceTo(at(0, 59));
    const next = evaluator.advanceTo(at(1));
    expect([step.transitions.length, next.transitions.map((t) => [t.at, t.from, t.to])]).toEqual([
      0,
      [[at(1), 'INSUFFICIENT_DATA', 'ALARM']],
    ]);
  });

  it('writes the reason the way CloudWatch does for a 1 out of 1 alarm', () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm({ treatMissingData: 'notBreaching' })], { start: at(0) });
    evaluator.put(sample(at(-1), 9));
    evaluator.advanceTo(at(20));
    expect(evaluator.transitions.map((t) => t.reason)).toEqual([
      'Threshold Crossed: 1 datapoint [9.0 (05/01/26 08:55:00)] was greater than the threshold (5.0).',
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
    ]);
  });

  it('alarms on 3 breaching minutes out of 5 and recovers once fewer than 3 breach (M out of N)', () => {
    const evaluator = new AlarmEvaluator(
      [thresholdAlarm({ period: 60, evaluationPeriods: 5, datapointsToAlarm: 3, threshold: 0, treatMissingData: 'notBreaching' })],
      { start: at(0) },
    );
    [1, 3, 4].forEach((minute) => evaluator.put(sample(at(minute, 30), 1)));
    evaluator.advanceTo(at(12));
    // At 09:07 the last five minutes hold two breaching points, but 09:01 is still in the evaluation range
    // (five periods plus two) and "all real data points in the evaluation range are included".
    expect(states(evaluator)).toEqual(['09:00 OK', '09:05 ALARM', '09:09 OK']);
    expect(evaluator.transitions[1]!.reason).toBe(
      'Threshold Crossed: 3 out of the last 5 datapoints [1.0 (05/01/26 09:01:00), 1.0 (05/01/26 09:03:00), 1.0 (05/01/26 09:04:00)] ' +
        'were greater than the threshold (0.0) (minimum 3 datapoints for OK -> ALARM transition). 2 missing datapoints were treated as [NonBreaching].',
    );
  });

  it('keeps ALARM through silence with ignore, and goes to INSUFFICIENT_DATA with missing', () => {
    const run = (treatMissingData: string) => {
      const evaluator = new AlarmEvaluator([thresholdAlarm({ treatMissingData })], { start: at(0) });
      evaluator.put(sample(at(0, 10), 9));
      evaluator.advanceTo(at(60));
      return states(evaluator);
    };
    expect(run('ignore')).toEqual(['09:01 ALARM']);
    expect(run('missing')).toEqual(['09:01 ALARM', '09:16 INSUFFICIENT_DATA']);
  });

  it('counts a sample that arrives late at the next evaluation', () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm({ treatMissingData: 'notBreaching' })], { start: at(0) });
    evaluator.advanceTo(at(3));
    evaluator.put(sample(at(1), 9));
    evaluator.advanceTo(at(4));
    expect(states(evaluator)).toEqual(['09:00 OK', '09:04 ALARM']);
  });

  it('sees a sample only after the ingestion delay', () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm({ treatMissingData: 'notBreaching' })], {
      start: at(0),
      ingestionDelaySeconds: 120,
    });
    evaluator.put(sample(at(4, 30), 9));
    evaluator.advanceTo(at(10));
    expect(states(evaluator)).toEqual(['09:00 OK', '09:07 ALARM']);
  });

  it("reads only the samples of the alarm's unit when it names one", () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm({ unit: 'Count' })], { start: at(5) });
    evaluator.put([sample(at(1), 9, { unit: 'Seconds' }), sample(at(2), 1, { unit: 'Count' })]);
    evaluator.advanceTo(at(5));
    expect(evaluator.status('errors-high').state).toBe('OK');
  });

  it('holds a state set by setAlarmState until the next evaluation decides', () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm({ treatMissingData: 'notBreaching' })], { start: at(0, 30) });
    const set = evaluator.setAlarmState('errors-high', 'ALARM', 'Testing the page');
    evaluator.advanceTo(at(1));
    expect([set.transitions[0]!.reason, evaluator.status('errors-high').state]).toEqual(['Testing the page', 'OK']);
  });

  it.each([
    ['a clock going back', (e: AlarmEvaluator) => e.advanceTo(T0 - 1), /clock only moves forward/],
    ['an unknown alarm', (e: AlarmEvaluator) => e.status('nope'), /no alarm is named nope/],
    ['a sample without a value', (e: AlarmEvaluator) => e.put({ ...sample(T0, 1), value: undefined }), /give a finite value/],
  ])('refuses %s with a clear error', (_what, act, message) => {
    const evaluator = new AlarmEvaluator([thresholdAlarm()], { start: T0 });
    expect(() => act(evaluator)).toThrow(message);
  });

  it('replays a scenario in one call: alarms created at from, every evaluation up to to', () => {
    const result = replay([thresholdAlarm()], [sample(at(1), 9)], { from: at(0), to: at(30) });
    expect(result.transitions.map((t) => [t.at, t.to])).toEqual([
      [at(2), 'ALARM'],
      [at(17), 'INSUFFICIENT_DATA'],
    ]);
    expect(result.actions.map((a) => a.arn)).toEqual([
      'arn:aws:sns:us-east-1:123456789012:on-alarm',
      'arn:aws:sns:us-east-1:123456789012:on-insufficient',
    ]);
    expect(result.statuses.map((s) => [s.name, s.state, s.since, s.evaluatedAt])).toEqual([
      ['errors-high', 'INSUFFICIENT_DATA', at(17), at(30)],
    ]);
  });
});
