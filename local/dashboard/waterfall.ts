/**
 * One process's spans as a waterfall: every trace that touches the process (the start request
 * with its execution, each status poll, a retry), each span under its parent, placed on one time
 * axis. A span whose status is ERROR is marked, with the exception it recorded.
 */
import type { SpanRecord } from '../tracing';

export interface WaterfallRow {
  readonly spanId: string;
  readonly traceId: string;
  readonly depth: number;
  readonly name: string;
  readonly kind: string;
  /** ms from the first span's start. */
  readonly offsetMs: number;
  readonly durationMs: number;
  readonly error: boolean;
  /** What went wrong (the span's status message and its exceptions). */
  readonly errorMessage?: string;
  /** A few attributes worth reading in the row (the SQL, the status code, the step). */
  readonly detail: string;
}

export interface Waterfall {
  readonly start: number;
  readonly totalMs: number;
  readonly rows: readonly WaterfallRow[];
}

const DETAIL_KEYS = ['http.status_code', 'action', 'step', 'aws.step_functions.status', 'db.rows', 'db.statement'];

function detailOf(s: SpanRecord): string {
  return DETAIL_KEYS.filter((k) => s.attributes[k] !== undefined)
    .map((k) => `${k}=${String(s.attributes[k])}`)
    .join(' · ');
}

export function waterfall(spans: readonly SpanRecord[]): Waterfall {
  if (spans.length === 0) return { start: 0, totalMs: 0, rows: [] };
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, SpanRecord[]>();
  const roots: SpanRecord[] = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
    else roots.push(s);
  }
  const start = Math.min(...spans.map((s) => s.start));
  const end = Math.max(...spans.map((s) => s.end));
  const rows: WaterfallRow[] = [];
  const byStart = (a: SpanRecord, b: SpanRecord) => a.start - b.start || b.end - a.end;
  const visit = (s: SpanRecord, depth: number) => {
    const error = s.status === 'ERROR';
    const messages = [s.statusMessage, ...(s.exceptions ?? []).map((e) => `${e.type}: ${e.message}`)].filter(Boolean);
    rows.push({
      spanId: s.spanId,
      traceId: s.traceId,
      depth,
      name: s.name,
      kind: s.kind,
      offsetMs: s.start - start,
      durationMs: s.end - s.start,
      error,
      ...(error && messages.length ? { errorMessage: messages.join(' — ') } : {}),
      detail: detailOf(s),
    });
    for (const c of (children.get(s.spanId) ?? []).sort(byStart)) visit(c, depth + 1);
  };
  for (const r of roots.sort(byStart)) visit(r, 0);
  return { start, totalMs: end - start, rows };
}
