/**
 * The reports' data source on the local runtime: its PostgreSQL (processing_state, the database
 * size), its Step Functions endpoint (through the same SFNClient code as on AWS) and its log file
 * (the EMF metric lines: AuthFailures, RateLimitExceeded). What only AWS has (WAF, Lambda
 * concurrency, API Gateway latency, Cost Explorer, IAM) is reported as not available locally.
 */
import type { Pool } from 'pg';
import { METRIC_DIMENSIONS, METRIC_NAMESPACE, METRICS, PROCESS_TYPES, TERMINAL_STATUSES, type MetricKey, type ProcessType } from '../guide';
import { countExecutions, type StateMachineRef } from '../functions/src/reports/executions';
import {
  isAvailable,
  unavailable,
  type ErrorCount,
  type Maybe,
  type ProcessingCounts,
  type ReportSource,
  type TerminalStatus,
  type Window,
} from '../functions/src/reports/source';
import { ProcessingStateService } from '../functions/src/state/processing-state-service';
import { samplesFromEmfDocument } from '../observability/evaluator/samples/emf';
import { readLogDocuments } from './log-file';
import { AUTH_FAILURE_MESSAGE } from './config';

const LOCAL = 'not available locally (no AWS account: ';
const notLocal = (what: string) => unavailable(`${LOCAL}${what})`);
const NO_LOG_FILE = 'no log file of the local runtime was found (start it with npm start)';
const inWindow = (t: number, w: Window) => t >= w.start.getTime() && t < w.end.getTime();

export interface LocalSourceOptions {
  readonly pool: Pool;
  readonly stepFunctions: StateMachineRef;
  /** The runtime's log file; without one the log-based figures are not available. */
  readonly logFile?: string;
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export class LocalReportSource implements ReportSource {
  readonly label = 'local runtime';
  constructor(private readonly opts: LocalSourceOptions) {}

  async processing(w: Window): Promise<ProcessingCounts> {
    const started = zeros(PROCESS_TYPES);
    const ended = Object.fromEntries(PROCESS_TYPES.map((t) => [t, zeros(TERMINAL_STATUSES)])) as Record<
      ProcessType,
      Record<TerminalStatus, number>
    >;
    const s = await this.opts.pool.query<{ type: ProcessType; n: number }>(
      'SELECT type, count(*)::int AS n FROM processing_state WHERE created_at >= $1 AND created_at < $2 GROUP BY type',
      [w.start, w.end],
    );
    for (const r of s.rows) started[r.type] = r.n;
    const e = await this.opts.pool.query<{ type: ProcessType; status: TerminalStatus; n: number }>(
      `SELECT type, status, count(*)::int AS n FROM processing_state
        WHERE completed_at >= $1 AND completed_at < $2 AND status = ANY($3) GROUP BY type, status`,
      [w.start, w.end, TERMINAL_STATUSES],
    );
    for (const r of e.rows) ended[r.type][r.status] = r.n;
    return { started, ended };
  }

  async queue(at: Date) {
    const d = await new ProcessingStateService(this.opts.pool).queueDepth(at);
    const depth = d.pending + d.processing;
    return { depth, pending: d.pending, processing: d.processing, oldestAgeSeconds: depth > 0 ? d.oldestActiveAgeSeconds : null };
  }

  executions(w: Window) {
    return countExecutions(this.opts.stepFunctions, w);
  }

  private docs?: Record<string, unknown>[];
  /** The log file's JSON lines, read once per report. */
  private logDocuments(): Record<string, unknown>[] | undefined {
    if (!this.opts.logFile) return undefined;
    this.docs ??= readLogDocuments(this.opts.logFile);
    return this.docs;
  }

  /** Sum of a service-level metric in the log file's EMF lines, as CloudWatch would sum it. */
  private metricSum(key: MetricKey, w: Window): Maybe<number> {
    const docs = this.logDocuments();
    if (!docs) return unavailable(NO_LOG_FILE);
    const name = METRICS[key].name;
    let sum = 0;
    for (const doc of docs) {
      for (const s of samplesFromEmfDocument(doc)) {
        const serviceOnly = Object.keys(s.dimensions).length === 1 && s.dimensions.service === METRIC_DIMENSIONS.service;
        if (s.namespace === METRIC_NAMESPACE && s.metricName === name && serviceOnly && inWindow(s.timestamp, w)) sum += s.value ?? 0;
      }
    }
    return sum;
  }

  /**
   * Requests refused for their token: by the local API gateway (its log line; on AWS the JWT
   * authorizer's 401s in the access log) plus those a handler refused (the AuthFailures metric).
   */
  async authFailures(w: Window) {
    const handlers = this.metricSum('authFailures', w);
    const docs = this.logDocuments();
    if (!docs || !isAvailable(handlers)) return handlers;
    const gateway = docs.filter((d) => d.message === AUTH_FAILURE_MESSAGE && inWindow(Date.parse(String(d.timestamp)), w)).length;
    return gateway + handlers;
  }

  async rateLimited(w: Window) {
    return this.metricSum('rateLimited', w);
  }

  async wafBlocked() {
    return notLocal('AWS WAF is in front of CloudFront only');
  }

  async errorsByDay(w: Window): Promise<ErrorCount[]> {
    const { rows } = await this.opts.pool.query<ErrorCount>(
      `SELECT to_char(completed_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS day, error_code AS code, count(*)::int AS count
         FROM processing_state WHERE completed_at >= $1 AND completed_at < $2 AND error_code IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [w.start, w.end],
    );
    return rows;
  }

  async latency(w: Window) {
    const completionAvgSeconds = Object.fromEntries(PROCESS_TYPES.map((t) => [t, null])) as Record<ProcessType, number | null>;
    const { rows } = await this.opts.pool.query<{ type: ProcessType; avg: number }>(
      `SELECT type, AVG(EXTRACT(EPOCH FROM (completed_at - created_at)))::float AS avg FROM processing_state
        WHERE status = 'COMPLETED' AND completed_at >= $1 AND completed_at < $2 GROUP BY type`,
      [w.start, w.end],
    );
    for (const r of rows) completionAvgSeconds[r.type] = r.avg;
    const p95 = notLocal('API Gateway latency is measured on AWS; locally see npm run bench');
    return { startApiP95Ms: p95, statusApiP95Ms: p95, completionAvgSeconds };
  }

  async peakConcurrency() {
    return notLocal('Lambda concurrency');
  }

  async databaseSize() {
    const { rows } = await this.opts.pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    return { bytesNow: Number(rows[0]!.bytes), bytesAtStart: notLocal('one size only: the local runtime keeps no history of it') };
  }

  async cost() {
    return notLocal('Cost Explorer; the projected cost of a workload is npm run cost');
  }

  async securityAudit() {
    return notLocal('IAM, security groups, Access Analyzer and RDS maintenance exist on AWS only');
  }
}
