/**
 * Which actions a transition takes: alarmActions on entering ALARM, okActions on entering OK,
 * insufficientDataActions on entering INSUFFICIENT_DATA ("from any other state"), and none when
 * actionsEnabled is false. An alarm takes actions only when its state changes.
 */
import { AlarmEvaluator } from '../../../../observability/evaluator';
import { at, sample, thresholdAlarm } from './helpers/alarms';

const ON_ALARM = 'arn:aws:sns:us-east-1:123456789012:on-alarm';
const ON_OK = 'arn:aws:sns:us-east-1:123456789012:on-ok';
const ON_INSUFFICIENT = 'arn:aws:sns:us-east-1:123456789012:on-insufficient';

/** Breaching at 09:00–09:05, quiet at 09:15–09:20 (value 1), silent afterwards: ALARM, OK, INSUFFICIENT_DATA. */
function lifecycle(overrides = {}) {
  const evaluator = new AlarmEvaluator([thresholdAlarm(overrides)], { start: at(5) });
  evaluator.put([sample(at(1), 9), sample(at(16), 1)]);
  evaluator.advanceTo(at(60));
  return evaluator;
}

describe('action routing', () => {
  it("notifies each state's actions when the alarm enters that state, at the transition time", () => {
    const evaluator = lifecycle();
    expect(evaluator.actions.map((a) => [new Date(a.at).toISOString().slice(11, 16), a.state, a.arn])).toEqual([
      ['09:05', 'ALARM', ON_ALARM],
      ['09:17', 'OK', ON_OK],
      ['09:32', 'INSUFFICIENT_DATA', ON_INSUFFICIENT],
    ]);
  });

  it('takes no action while the state stays the same', () => {
    const evaluator = new AlarmEvaluator([thresholdAlarm({ period: 60 })], { start: at(0) });
    evaluator.put(Array.from({ length: 30 }, (_, minute) => sample(at(minute, 30), 9)));
    evaluator.advanceTo(at(30));
    expect(evaluator.actions.map((a) => a.state)).toEqual(['ALARM']);
  });

  it('notifies every ARN of the list, in order', () => {
    const evaluator = lifecycle({ alarmActions: [ON_ALARM, 'arn:aws:ssm-incidents::123456789012:response-plan/critical'] });
    expect(evaluator.transitions[0]!.actions).toEqual([ON_ALARM, 'arn:aws:ssm-incidents::123456789012:response-plan/critical']);
  });

  it('changes state but takes no action when actionsEnabled is false', () => {
    const evaluator = lifecycle({ actionsEnabled: false });
    expect(evaluator.transitions.map((t) => [t.to, t.actions, t.actionsSuppressedBy])).toEqual([
      ['ALARM', [], 'ActionsDisabled'],
      ['OK', [], 'ActionsDisabled'],
      ['INSUFFICIENT_DATA', [], 'ActionsDisabled'],
    ]);
    expect(evaluator.actions).toEqual([]);
  });

  it('takes no action for a state without actions', () => {
    const evaluator = lifecycle({ okActions: undefined, insufficientDataActions: [] });
    expect(evaluator.actions.map((a) => a.state)).toEqual(['ALARM']);
  });
});
