/**
 * The API's AWS metrics and access log, as API Gateway (HTTP API) produces them for every request
 * it answers: Count, 4xx, 5xx, Latency and IntegrationLatency per stage and per route (detailed
 * metrics: Method and Resource), and one access log line in the stack's format (ACCESS_LOG_FORMAT),
 * over which the stack's access-log metric filters (AuthFailures) run as CloudWatch Logs would.
 */
import { ACCESS_LOG_FORMAT } from '../../infra/specs/api-naming';
import type { MetricSample } from '../../observability/evaluator';
import { compileFilterPattern, metricValue } from '../../observability/logs/filter-pattern';
import type { MetricFilterSpec } from '../../observability/metric-filters';
import type { MetricStore } from './store';

export interface ApiRequestRecord {
  /** e.g. `POST`; `routeKey` is `POST /v1/processes/{processId}/retry`, the matched route (`$default` if none). */
  readonly routeKey: string;
  readonly status: number;
  /** Request received to response sent, ms. */
  readonly latencyMs: number;
  /** Time in the handler (the integration), ms; absent when no handler ran (authorizer refusal). */
  readonly integrationLatencyMs?: number;
  readonly requestId: string;
  readonly ip: string;
  readonly sub?: string;
  readonly authorizerError?: string;
  /** When the response was sent, ms. */
  readonly at: number;
}

export interface ApiMetricsOptions {
  readonly store: MetricStore;
  readonly apiId: string;
  readonly stage: string;
  /** The access-log metric filters of the stack (metricFilterSpecs of its access log group). @default none */
  readonly accessLogFilters?: readonly MetricFilterSpec[];
  /** Receives every access log line (e.g. to write it to a file). @default dropped */
  readonly accessLog?: (line: string) => void;
}

const ACCESS_FIELDS = Object.entries(JSON.parse(ACCESS_LOG_FORMAT) as Record<string, string>);

/** The access log line API Gateway would write: the stack's format, every value a string, `-` when empty. */
export function accessLogLine(r: ApiRequestRecord): string {
  const context: Record<string, string | undefined> = {
    '$context.requestId': r.requestId,
    '$context.requestTime': new Date(r.at).toISOString(),
    '$context.identity.sourceIp': r.ip,
    '$context.identity.userAgent': undefined,
    '$context.routeKey': r.routeKey,
    '$context.status': String(r.status),
    '$context.responseLength': undefined,
    '$context.responseLatency': String(Math.round(r.latencyMs)),
    '$context.integrationLatency': r.integrationLatencyMs === undefined ? undefined : String(Math.round(r.integrationLatencyMs)),
    '$context.integrationErrorMessage': undefined,
    '$context.authorizer.claims.sub': r.sub,
    '$context.authorizer.error': r.authorizerError,
  };
  return JSON.stringify(Object.fromEntries(ACCESS_FIELDS.map(([k, v]) => [k, context[v] ?? '-'])));
}

export function createApiRecorder(opts: ApiMetricsOptions): (r: ApiRequestRecord) => void {
  const filters = (opts.accessLogFilters ?? []).map((f) => ({ spec: f, match: compileFilterPattern(f.pattern) }));
  return (r) => {
    const [method, resource] = r.routeKey.split(' ');
    const stage = { ApiId: opts.apiId, Stage: opts.stage };
    const sets = resource ? [stage, { ...stage, Method: method!, Resource: resource }] : [stage];
    const samples: MetricSample[] = sets.flatMap((dimensions) => {
      const m = (metricName: string, value: number, unit: string): MetricSample => ({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensions,
        timestamp: r.at,
        value,
        unit,
      });
      return [
        m('Count', 1, 'Count'),
        m('4xx', r.status >= 400 && r.status < 500 ? 1 : 0, 'Count'),
        m('5xx', r.status >= 500 ? 1 : 0, 'Count'),
        m('Latency', r.latencyMs, 'Milliseconds'),
        ...(r.integrationLatencyMs === undefined ? [] : [m('IntegrationLatency', r.integrationLatencyMs, 'Milliseconds')]),
      ];
    });
    const line = accessLogLine(r);
    opts.accessLog?.(line);
    for (const { spec, match } of filters) {
      const value = metricValue(spec.metric.value, match(line)) ?? spec.metric.defaultValue;
      if (value !== undefined)
        samples.push({
          namespace: spec.metric.namespace,
          metricName: spec.metric.name,
          dimensions: {},
          timestamp: r.at,
          value,
          unit: spec.metric.unit,
        });
    }
    opts.store.put(samples);
  };
}
