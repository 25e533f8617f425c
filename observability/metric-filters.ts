/**
 * Metrics CloudWatch Logs derives from log lines (metric filters), as data: the Pulumi program
 * deploys one `aws.cloudwatch.LogMetricFilter` per spec, the alarms read the metrics, and the local
 * runtime applies the same patterns (logs/filter-pattern.ts) to the lines it writes.
 *
 * - AuthFailures: API Gateway's JWT authorizer refuses a bad token before any handler runs, so only
 *   the API's access log sees it. The filter counts its 401 and 403 lines.
 * - Max Memory Used: Lambda writes a REPORT line per invocation (log format Text) with the peak
 *   memory; the guide's rule (メモリサイズの調整) compares it with 80 % of the memory size. Lambda
 *   Insights would publish `memory_utilization` too, but only with its extension layer on every
 *   function, billed per function; the REPORT line is already there.
 */
import { FUNCTIONS, METRIC_NAMESPACE, METRICS, logGroupName } from '../guide';
import type { MetricSpec, Stat } from './metrics';
import type { MonitoredResources } from './monitored-resources';

/** One metric per function (the metric name is the function's): a metric filter has no fixed dimensions. */
export const LAMBDA_MEMORY_NAMESPACE = `${METRIC_NAMESPACE}/LambdaMemory`;

export interface MetricFilterSpec {
  /** Unique in a stack, e.g. `auth-failures`, `memory-ai-generation-worker`. */
  readonly id: string;
  readonly logGroupName: string;
  /** CloudWatch Logs filter pattern syntax. */
  readonly pattern: string;
  readonly metric: {
    readonly namespace: string;
    readonly name: string;
    /** A number, or `$field` / `$.field` of the matched event. */
    readonly value: string;
    readonly unit: 'Count' | 'Megabytes';
    /** Published for every event the pattern does not match (0 for a count, so quiet periods have data). @default none */
    readonly defaultValue?: number;
  };
}

/** The access log's `status` is a string (`"$context.status"` in ACCESS_LOG_FORMAT). */
export const AUTH_FAILURE_PATTERN = '{ ($.status = "401") || ($.status = "403") }';

/**
 * A Text-format REPORT line, field by field (space-delimited pattern):
 * `REPORT RequestId: <id> Duration: 12.3 ms Billed Duration: 13 ms Memory Size: 1024 MB Max Memory Used: 87 MB …`
 */
export const REPORT_PATTERN =
  '[report="REPORT", requestIdLabel="RequestId:", requestId, durationLabel="Duration:", duration, durationUnit="ms", ' +
  'billed="Billed", billedLabel="Duration:", billedDuration, billedUnit="ms", memory="Memory", sizeLabel="Size:", memorySize, memoryUnit="MB", ' +
  'max="Max", maxMemory="Memory", usedLabel="Used:", maxMemoryUsed, maxMemoryUnit="MB", ...]';

/** The metric a filter on the API access log publishes (no dimensions). */
export function accessLogMetric(key: 'authFailures', stat: Stat, periodSeconds: number): MetricSpec<string> {
  return { namespace: METRIC_NAMESPACE, metricName: METRICS[key].name, dimensions: {}, stat, periodSeconds };
}

export function metricFilterSpecs(r: Pick<MonitoredResources<unknown>, 'api' | 'functions'>): MetricFilterSpec[] {
  return [
    {
      id: 'auth-failures',
      logGroupName: r.api.accessLogGroupName,
      pattern: AUTH_FAILURE_PATTERN,
      metric: { namespace: METRIC_NAMESPACE, name: METRICS.authFailures.name, value: '1', unit: 'Count', defaultValue: 0 },
    },
    ...r.functions.map((f) => ({
      id: `memory-${FUNCTIONS[f.key].name}`,
      logGroupName: logGroupName(FUNCTIONS[f.key].name),
      pattern: REPORT_PATTERN,
      metric: { namespace: LAMBDA_MEMORY_NAMESPACE, name: FUNCTIONS[f.key].name, value: '$maxMemoryUsed', unit: 'Megabytes' as const },
    })),
  ];
}
