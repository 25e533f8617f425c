/**
 * The user guide's tables for M-of-N alarms and missing data, encoded literally, and run through
 * the whole evaluator: a 5-minute Sum alarm, samples placed in the five periods of the evaluation
 * range (0 = not breaching, X = breaching, - = missing; most recent on the right).
 *
 * Source: Amazon CloudWatch User Guide, "Configuring how CloudWatch alarms treat missing data",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 * (its source: github.com/awsdocs/amazon-cloudwatch-user-guide, doc_source/AlarmThatSendsEmail.md,
 * "How Alarm State Is Evaluated When Data Is Missing" and "Avoiding Premature Transitions to Alarm State").
 */
import { AlarmEvaluator, type AlarmState, type TreatMissingData } from '../../../../observability/evaluator';
import { decide } from '../../../../observability/evaluator/engine/missing-data';
import { at, sample, thresholdAlarm } from './helpers/alarms';

const RETAIN = 'Retain current state';
type Outcome = AlarmState | typeof RETAIN;
const MODES: readonly TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
const PERIOD_MINUTES = 5;
/** The evaluation after the five periods that start at T0. */
const EVALUATED_AT = at(5 * PERIOD_MINUTES);

function evaluatePattern(pattern: string, m: number, treatMissingData: TreatMissingData, initial?: AlarmState): AlarmState {
  const evaluator = new AlarmEvaluator([thresholdAlarm({ evaluationPeriods: 3, datapointsToAlarm: m, treatMissingData })], {
    start: EVALUATED_AT,
  });
  pattern.split(' ').forEach((point, i) => {
    if (point !== '-') evaluator.put(sample(at(i * PERIOD_MINUTES, 150), point === 'X' ? 10 : 1));
  });
  if (initial && initial !== 'INSUFFICIENT_DATA') evaluator.setAlarmState('errors-high', initial, 'test set-up');
  evaluator.advanceTo(EVALUATED_AT);
  return evaluator.status('errors-high').state;
}

// | Data points | # of data points that must be filled | MISSING | IGNORE | BREACHING | NOT BREACHING |
const THREE_OF_THREE: readonly [string, number, Outcome, Outcome, Outcome, Outcome][] = [
  ['0 - X - X', 0, 'OK', 'OK', 'OK', 'OK'],
  ['0 - - - -', 2, 'OK', 'OK', 'OK', 'OK'],
  ['- - - - -', 3, 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
  ['0 X X - X', 0, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['- - X - -', 2, 'ALARM', RETAIN, 'ALARM', 'OK'],
];

// | Data points | # of missing data points | MISSING | IGNORE | BREACHING | NOT BREACHING |
const TWO_OF_THREE: readonly [string, number, Outcome, Outcome, Outcome, Outcome][] = [
  ['0 - X - X', 0, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 0 X 0 X', 0, 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 - X - -', 1, 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - - 0', 2, 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - X -', 2, 'ALARM', RETAIN, 'ALARM', 'OK'],
];

describe.each([
  ['3 out of 3', 3, THREE_OF_THREE],
  ['2 out of 3', 2, TWO_OF_THREE],
] as const)('the user guide table for a %s alarm (evaluation range 5)', (_title, m, table) => {
  describe.each(table)('data points %s', (pattern, toFill, ...outcomes) => {
    it('fills as many missing datapoints as the table says', () => {
      const slots = pattern.split(' ').map((p) => (p === '-' ? undefined : { value: 0, breaching: p === 'X' }));
      const filledFor = (treat: TreatMissingData) => decide(slots, 3, m, treat).filled;
      expect([filledFor('breaching'), filledFor('notBreaching')]).toEqual([toFill, toFill]);
    });

    it.each(MODES.map((mode, i) => [mode, outcomes[i]!] as const))(
      'goes to the documented state when missing data is %s',
      (mode, expected) => {
        if (expected !== RETAIN) {
          expect(evaluatePattern(pattern, m, mode)).toBe(expected);
          return;
        }
        const kept = (['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const).map((initial) => evaluatePattern(pattern, m, mode, initial));
        expect(kept).toEqual(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
      },
    );
  });
});

describe('the user guide notes on the tables', () => {
  it('goes to ALARM at the next evaluation once the only non-breaching point leaves the range (row 2, breaching)', () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm({ evaluationPeriods: 3, treatMissingData: 'breaching' })], {
      start: EVALUATED_AT,
    });
    evaluator.put(sample(at(0, 150), 1));
    evaluator.advanceTo(EVALUATED_AT);
    const before = evaluator.status('errors-high').state;
    evaluator.advanceBy(PERIOD_MINUTES * 60);
    expect([before, evaluator.status('errors-high').state]).toEqual(['OK', 'ALARM']);
  });

  it.each(['- - - - X', '- - - X -'])('does not go to ALARM prematurely on %s (3 out of 3, missing)', (pattern) => {
    expect(evaluatePattern(pattern, 3, 'missing')).not.toBe('ALARM');
  });

  it('ignores the two oldest points when the three most recent are all there (2 out of 3, row 2)', () => {
    expect(evaluatePattern('X X 0 0 0', 2, 'missing')).toBe('OK');
  });

  it('keeps an alarm in ALARM while a single breaching point stays in the range after the data stops', () => {
    // "CloudWatch alarms might repeatedly re-evaluate the last set of data points … after the metric has stopped flowing."
    const evaluator = new AlarmEvaluator([thresholdAlarm({ treatMissingData: 'notBreaching' })], { start: at(0) });
    evaluator.put(sample(at(1), 10));
    const states = [2, 7, 12, 17].map((minute) => {
      evaluator.advanceTo(at(minute));
      return evaluator.status('errors-high').state;
    });
    expect(states).toEqual(['ALARM', 'ALARM', 'ALARM', 'OK']);
  });
});
