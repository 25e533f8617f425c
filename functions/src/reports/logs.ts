/**
 * The guide's appendix log commands (便利なコマンド → CloudWatch Logsの確認) over a log-source
 * port: the latest errors, and every line of one process. The CloudWatch Logs adapter
 * (functions/src/adapters/cloudwatch-logs.ts) and the local log file (local/ops/log-source.ts)
 * answer the same query; this module filters nothing itself, it asks and prints.
 */
export interface LogQuery {
  readonly since: Date;
  readonly until?: Date;
  /** `level = "ERROR"`, or one process's lines. */
  readonly match: { readonly level: 'ERROR' } | { readonly processId: string };
  /** The log groups' functions (FUNCTIONS names); all of ours when empty. */
  readonly functions: readonly string[];
  readonly limit?: number;
}

export interface LogLine {
  readonly timestamp: string;
  /** Where it was logged: the function (AWS: the log group's function) or the local runtime. */
  readonly origin: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface LogSource {
  readonly label: string;
  query(q: LogQuery): Promise<readonly LogLine[]>;
}

/** One line a person can read: time, level, origin, message, then the guide's fields. */
export function formatLogLine(l: LogLine): string {
  const { level, message, timestamp: _t, ...rest } = l.fields as Record<string, unknown>;
  const extra = Object.entries(rest)
    .filter(
      ([k, v]) =>
        v !== undefined &&
        ![
          'service',
          'sampling_rate',
          'xray_trace_id',
          'function_request_id',
          'cold_start',
          'function_arn',
          'function_memory_size',
          'function_name',
        ].includes(k),
    )
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return [l.timestamp, String(level ?? '-').padEnd(5), l.origin, String(message ?? ''), ...extra].join('  ');
}

/** Newest `limit` matches, printed oldest first (errors); or every match in order (trace). */
export function selectLines(lines: readonly LogLine[], q: LogQuery): LogLine[] {
  const sorted = [...lines].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  return q.limit === undefined ? sorted : sorted.slice(-q.limit);
}

/** A JSON log line's match against the query (local file; on AWS the filter pattern does this). */
export function matches(fields: Readonly<Record<string, unknown>>, q: LogQuery, at: number): boolean {
  if (at < q.since.getTime() || (q.until && at >= q.until.getTime())) return false;
  return 'level' in q.match ? fields.level === q.match.level : fields.processId === q.match.processId;
}

/** CloudWatch Logs' JSON filter pattern for the query. */
export const filterPattern = (q: LogQuery): string =>
  'level' in q.match ? `{ $.level = "${q.match.level}" }` : `{ $.processId = "${q.match.processId.replace(/"/g, '')}" }`;
