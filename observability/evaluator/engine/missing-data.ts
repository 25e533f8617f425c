/**
 * The state an evaluation yields from the datapoints of the evaluation range, as the user guide
 * describes it ("How alarm state is evaluated when data is missing"; the section's tables are
 * encoded in test/unit/observability/evaluator/missing-data.test.ts):
 *
 * - CloudWatch retrieves more periods than `evaluationPeriods` (N): the evaluation range.
 * - With at least N real datapoints in the range it evaluates the N most recent real ones;
 *   treatMissingData is not consulted.
 * - With fewer, it takes every real datapoint and fills the rest (as few as possible) per
 *   treatMissingData: `breaching` and `notBreaching` count the fills as such; with no real
 *   datapoint `missing` gives INSUFFICIENT_DATA and `ignore` keeps the state.
 * - For `missing` and `ignore` with some real data: a non-breaching real datapoint means the
 *   fills count as not breaching. When every real datapoint breaches but fewer than M
 *   (`datapointsToAlarm`) do, the "premature alarm" rule applies: if the oldest breaching
 *   datapoint is at least M periods old the alarm goes to ALARM (`missing`) — otherwise it is
 *   INSUFFICIENT_DATA — and `ignore` keeps the state either way.
 */
import type { AlarmState, TreatMissingData } from '../types';

export interface RangePoint {
  readonly value: number;
  readonly breaching: boolean;
  /** A percentile over too few samples (matters with evaluateLowSampleCountPercentiles=ignore). */
  readonly lowSample?: boolean;
}

/** One period of the evaluation range, oldest first: a datapoint, or undefined when missing. */
export type RangeSlot = RangePoint | undefined;

export type DecisionRule =
  | 'real' // N real datapoints decided
  | 'filled' // real datapoints plus fills
  | 'no-data' // every datapoint missing
  | 'premature' // the premature-alarm rule
  | 'too-recent'; // every real datapoint breaches, but too few and too recent

export interface Decision {
  /** `undefined`: the alarm keeps its current state (treatMissingData=ignore). */
  readonly state?: AlarmState;
  readonly rule: DecisionRule;
  /** Indices (into the range) of the real datapoints evaluated. */
  readonly evaluated: readonly number[];
  /** Missing datapoints counted by treatMissingData. */
  readonly filled: number;
  readonly filledAs?: 'breaching' | 'notBreaching';
  readonly breaching: number;
}

export function decide(range: readonly RangeSlot[], n: number, m: number, treat: TreatMissingData): Decision {
  const real = range.flatMap((p, i) => (p ? [i] : []));
  const breachingOf = (idx: readonly number[]) => idx.filter((i) => range[i]!.breaching).length;
  if (real.length >= n) {
    const evaluated = real.slice(-n);
    const b = breachingOf(evaluated);
    return { state: b >= m ? 'ALARM' : 'OK', rule: 'real', evaluated, filled: 0, breaching: b };
  }
  const filled = n - real.length;
  const b = breachingOf(real);
  const rule: DecisionRule = real.length ? 'filled' : 'no-data';
  if (treat === 'breaching') {
    return { state: b + filled >= m ? 'ALARM' : 'OK', rule, evaluated: real, filled, filledAs: 'breaching', breaching: b + filled };
  }
  if (treat === 'notBreaching') {
    return { state: b >= m ? 'ALARM' : 'OK', rule, evaluated: real, filled, filledAs: 'notBreaching', breaching: b };
  }
  const keepOr = (s: AlarmState) => (treat === 'ignore' ? undefined : s);
  if (!real.length) return { state: keepOr('INSUFFICIENT_DATA'), rule, evaluated: real, filled: 0, breaching: 0 };
  if (b >= m) return { state: 'ALARM', rule, evaluated: real, filled: 0, breaching: b };
  if (b < real.length) return { state: 'OK', rule, evaluated: real, filled, filledAs: 'notBreaching', breaching: b };
  const oldestAge = range.length - real[0]!;
  return oldestAge >= m
    ? { state: keepOr('ALARM'), rule: 'premature', evaluated: real, filled: 0, breaching: b }
    : { state: keepOr('INSUFFICIENT_DATA'), rule: 'too-recent', evaluated: real, filled: 0, breaching: b };
}
