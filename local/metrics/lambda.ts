/**
 * `instrumentLambda(name, handler)`: the AWS/Lambda metrics of one function, as Lambda publishes
 * them, from the invocations the local runtime makes: Invocations, Errors (the handler threw or
 * ran past its timeout), Duration (ms; a timed-out invocation lasts its timeout), ConcurrentExecutions
 * (in flight when an invocation starts), and Throttles when a reserved concurrency is given and
 * exceeded (the invocation is refused with TooManyRequestsException, as Lambda refuses it).
 * Dimension FunctionName. With a timeout, the wrapper also enforces it: the caller gets Lambda's
 * "Task timed out" error (the handler's own promise is left to settle, as Lambda freezes it).
 */
import type { MetricSample } from '../../observability/evaluator';
import type { MetricStore } from './store';

export interface LambdaMetricsOptions {
  readonly store: MetricStore;
  /** Refuse invocations beyond this many in flight (Lambda's reserved concurrency). @default unlimited */
  readonly reservedConcurrency?: number;
  /** The function's timeout, ms. @default none */
  readonly timeoutMs?: number;
  /** ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** What Lambda answers when a function is at its reserved concurrency. */
export class TooManyRequestsException extends Error {
  override readonly name = 'TooManyRequestsException';
  constructor(functionName: string) {
    super(`Rate Exceeded: ${functionName} is at its reserved concurrency`);
  }
}

export function instrumentLambda<A extends unknown[], R>(
  name: string,
  handler: (...args: A) => Promise<R>,
  opts: LambdaMetricsOptions,
): (...args: A) => Promise<R> {
  const now = opts.now ?? Date.now;
  const dims = { FunctionName: name };
  const sample = (metricName: string, value: number, unit: string, timestamp: number): MetricSample => ({
    namespace: 'AWS/Lambda',
    metricName,
    dimensions: dims,
    timestamp,
    value,
    unit,
  });
  let inFlight = 0;
  return async (...args: A) => {
    const started = now();
    if (opts.reservedConcurrency !== undefined && inFlight >= opts.reservedConcurrency) {
      opts.store.put(sample('Throttles', 1, 'Count', started));
      throw new TooManyRequestsException(name);
    }
    inFlight++;
    opts.store.put([sample('Invocations', 1, 'Count', started), sample('ConcurrentExecutions', inFlight, 'Count', started)]);
    let failed = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const run = handler(...args);
      if (opts.timeoutMs === undefined) return await run;
      return await Promise.race([
        run,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new LambdaTimeout(name, opts.timeoutMs!)), opts.timeoutMs);
        }),
      ]);
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      clearTimeout(timer);
      inFlight--;
      const ended = now();
      opts.store.put([sample('Duration', ended - started, 'Milliseconds', ended), sample('Errors', failed ? 1 : 0, 'Count', ended)]);
    }
  };
}

/** What Lambda reports when an invocation runs past its timeout. */
export class LambdaTimeout extends Error {
  override readonly name = 'Sandbox.Timedout';
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName}: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  }
}
