/**
 * Step Functions' execution metrics (AWS/States, dimension StateMachineArn) from the executions
 * the local state machine runs: ExecutionsStarted when one starts; when it ends, one of
 * ExecutionsSucceeded / Failed / TimedOut / Aborted and its ExecutionTime (ms).
 */
import type { MetricSample } from '../../observability/evaluator';
import type { MetricStore } from './store';

export type ExecutionEnd = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

const END_METRIC: Record<ExecutionEnd, string> = {
  SUCCEEDED: 'ExecutionsSucceeded',
  FAILED: 'ExecutionsFailed',
  TIMED_OUT: 'ExecutionsTimedOut',
  ABORTED: 'ExecutionsAborted',
};

export interface ExecutionRecorder {
  /** An execution started at `at` (ms); call the returned function once when it ends. */
  started(at?: number): (end: ExecutionEnd, at?: number) => void;
}

export function createExecutionRecorder(opts: { store: MetricStore; stateMachineArn: string; now?: () => number }): ExecutionRecorder {
  const now = opts.now ?? Date.now;
  const dimensions = { StateMachineArn: opts.stateMachineArn };
  const sample = (metricName: string, value: number, unit: string, timestamp: number): MetricSample => ({
    namespace: 'AWS/States',
    metricName,
    dimensions,
    timestamp,
    value,
    unit,
  });
  return {
    started(at = now()) {
      opts.store.put(sample('ExecutionsStarted', 1, 'Count', at));
      let ended = false;
      return (end, endAt = now()) => {
        if (ended) return;
        ended = true;
        opts.store.put([sample(END_METRIC[end], 1, 'Count', endAt), sample('ExecutionTime', endAt - at, 'Milliseconds', endAt)]);
      };
    },
  };
}
