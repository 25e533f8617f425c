/**
 * Local metric sources: what CloudWatch would hold for the pipeline, produced by the local runtime
 * from the traffic it sees. The custom metrics are the functions' own EMF lines; the AWS metrics
 * are recorded where the local emulators stand in for the services: API Gateway (api.ts), Lambda
 * (lambda.ts), Step Functions (executions.ts). Everything goes to one store, and to
 * `<dataDir>/metrics.jsonl` when a data folder is given.
 *
 * What stays AWS-only (no faithful local source) is named per alarm kind (`awsOnly` in
 * observability/alarms): Aurora, Bedrock, AWS Backup, CloudFront and WAF, SNS, Lambda throttling
 * and the account's concurrency, REPORT-line memory.
 */
import { join } from 'node:path';
import { tapEmf } from './emf-tap';
import { createApiRecorder, type ApiMetricsOptions, type ApiRequestRecord } from './api';
import { createExecutionRecorder, type ExecutionRecorder } from './executions';
import { instrumentLambda, type LambdaMetricsOptions } from './lambda';
import { METRICS_FILE, MetricStore } from './store';

export { METRICS_FILE, MetricStore, readMetricsFile, type Datapoint, type MetricFilter, type SimpleStat } from './store';
export { instrumentLambda, LambdaTimeout, TooManyRequestsException } from './lambda';
export { accessLogLine, createApiRecorder, type ApiRequestRecord } from './api';
export { createExecutionRecorder, type ExecutionEnd, type ExecutionRecorder } from './executions';
export { tapEmf } from './emf-tap';

export interface LocalMetricsOptions {
  /** The runtime's data folder: samples also go to `<dataDir>/metrics.jsonl`. @default in memory only */
  readonly dataDir?: string;
  readonly api: Omit<ApiMetricsOptions, 'store'>;
  readonly stateMachineArn: string;
  /** Read the functions' EMF lines from stdout. @default true */
  readonly tapStdout?: boolean;
  readonly now?: () => number;
}

export interface LocalMetrics {
  readonly store: MetricStore;
  readonly file?: string;
  /** Wraps a function's handler so its invocations publish AWS/Lambda metrics. */
  lambda<A extends unknown[], R>(
    name: string,
    handler: (...args: A) => Promise<R>,
    opts?: Omit<LambdaMetricsOptions, 'store' | 'now'>,
  ): (...args: A) => Promise<R>;
  /** Records one API request as API Gateway would (metrics and access log). */
  readonly apiRequest: (r: ApiRequestRecord) => void;
  readonly executions: ExecutionRecorder;
  close(): void;
}

export function createLocalMetrics(opts: LocalMetricsOptions): LocalMetrics {
  const file = opts.dataDir ? join(opts.dataDir, METRICS_FILE) : undefined;
  const store = new MetricStore(file);
  const untap = opts.tapStdout === false ? () => undefined : tapEmf(store);
  return {
    store,
    file,
    lambda: (name, handler, o = {}) => instrumentLambda(name, handler, { ...o, store, now: opts.now }),
    apiRequest: createApiRecorder({ ...opts.api, store }),
    executions: createExecutionRecorder({ store, stateMachineArn: opts.stateMachineArn, now: opts.now }),
    close: () => {
      untap();
      store.flush();
    },
  };
}
