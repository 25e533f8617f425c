/**
 * The data-source port of the operator reports (guide 日常運用 / セキュリティ監査). One builder
 * (./build.ts) turns what a source answers into the daily, weekly and monthly reports; the AWS
 * adapter (functions/src/adapters/report-aws.ts) answers from CloudWatch, Logs Insights, Cost
 * Explorer, IAM, EC2, Access Analyzer and RDS, the local one (local/report-source.ts) from the
 * local runtime's PostgreSQL, its Step Functions and its log file. What a side cannot know is
 * `unavailable(reason)`, and the report says so instead of showing a zero.
 */
import type { FunctionKey, ProcessErrorCode, ProcessStatus, ProcessType } from '../../../guide';

export interface Window {
  readonly start: Date;
  /** Exclusive. */
  readonly end: Date;
}

export interface Unavailable {
  readonly available: false;
  readonly reason: string;
}
export type Maybe<T> = T | Unavailable;
export const unavailable = (reason: string): Unavailable => ({ available: false, reason });
export const isAvailable = <T>(v: Maybe<T>): v is T =>
  !(typeof v === 'object' && v !== null && (v as Partial<Unavailable>).available === false);

export type TerminalStatus = Exclude<ProcessStatus, 'PENDING' | 'PROCESSING'>;
export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export interface ProcessingCounts {
  /** Processes accepted in the window, by type. */
  readonly started: Readonly<Record<ProcessType, number>>;
  /** Processes that ended in the window, by type and final status. */
  readonly ended: Readonly<Record<ProcessType, Readonly<Record<TerminalStatus, number>>>>;
}

export interface QueueState {
  /** Waiting plus running (QueueDepth). */
  readonly depth: number;
  /** The split, where the source knows it (the database does; the QueueDepth metric does not). */
  readonly pending?: number;
  readonly processing?: number;
  /** Age of the oldest waiting or running process; null when none is. */
  readonly oldestAgeSeconds: number | null;
}

export interface ErrorCount {
  /** JST calendar day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly code: ProcessErrorCode;
  readonly count: number;
}

export interface Latency {
  /** p95 of the start API (SLO.startApiP95Ms) and the status API. */
  readonly startApiP95Ms: Maybe<number>;
  readonly statusApiP95Ms: Maybe<number>;
  /** Average time from acceptance to COMPLETED, by type; null when none completed. */
  readonly completionAvgSeconds: Readonly<Record<ProcessType, number | null>>;
}

export interface DatabaseSize {
  readonly bytesNow: number;
  /** The size when the window started, for the growth rate. */
  readonly bytesAtStart: Maybe<number>;
}

export interface CostLine {
  /** The service's name as Cost Explorer spells it. */
  readonly service: string;
  readonly usd: number;
}

export interface AuditItem {
  /** `iam`, `security-group`, `access-analyzer`, `patches`. */
  readonly area: 'iam' | 'security-group' | 'access-analyzer' | 'patches';
  /** What was checked (a role, a group, an analyzer, a cluster). */
  readonly subject: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ReportSource {
  /** Where the figures come from (`local`, `aws dev`): printed in every report. */
  readonly label: string;
  processing(w: Window): Promise<ProcessingCounts>;
  queue(at: Date): Promise<QueueState>;
  /** Step Functions executions started in the window, by their status now. */
  executions(w: Window): Promise<Readonly<Record<ExecutionStatus, number>>>;
  authFailures(w: Window): Promise<Maybe<number>>;
  rateLimited(w: Window): Promise<Maybe<number>>;
  wafBlocked(w: Window): Promise<Maybe<number>>;
  /** Processes that ended FAILED or TIMEOUT in the window, by JST day and error code. */
  errorsByDay(w: Window): Promise<readonly ErrorCount[]>;
  latency(w: Window): Promise<Latency>;
  /** Peak concurrent executions in the window of each function that reserves concurrency. */
  peakConcurrency(w: Window): Promise<Maybe<Partial<Record<FunctionKey, number>>>>;
  databaseSize(w: Window): Promise<DatabaseSize>;
  cost(w: Window): Promise<Maybe<readonly CostLine[]>>;
  securityAudit(): Promise<Maybe<readonly AuditItem[]>>;
}
