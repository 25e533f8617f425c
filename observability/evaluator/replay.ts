/**
 * Replaying a scenario: every alarm created at `from`, every sample fed at once (each counts
 * from its own timestamp on), the clock run to `to` — a day of a compressed scenario evaluates in
 * milliseconds.
 */
import { AlarmEvaluator, type EvaluatorOptions, type Step } from './evaluator';
import type { AlarmDefinition, AlarmStatus, MetricSample } from './types';

export interface ReplayOptions extends Omit<EvaluatorOptions, 'start'> {
  /** When the alarms are created. */
  readonly from: number | Date;
  /** Where the clock stops. */
  readonly to: number | Date;
}

export interface ReplayResult extends Step {
  /** Every alarm's state at `to`. */
  readonly statuses: readonly AlarmStatus[];
}

export function replay(alarms: readonly AlarmDefinition[], samples: Iterable<MetricSample>, options: ReplayOptions): ReplayResult {
  const { from, to, ...rest } = options;
  const evaluator = new AlarmEvaluator(alarms, { ...rest, start: from }).put(samples);
  const step = evaluator.advanceTo(to);
  return { ...step, statuses: evaluator.statuses() };
}
