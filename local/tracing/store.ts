/**
 * Where the local runtime's spans go: an OpenTelemetry SpanExporter that keeps the finished spans
 * in memory, indexed by trace and by process id, and appends them to `<dataDir>/traces.jsonl`, so a
 * process's trace survives a restart (the dashboard reads it, as X-Ray's console does on AWS).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonlAppender } from '../jsonl-appender';

export const TRACES_FILE = 'traces.jsonl';

/** A finished span as stored: plain JSON, times in ms since the epoch. */
export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** OpenTelemetry's SpanKind name: SERVER, CLIENT, INTERNAL, … */
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  readonly status: 'OK' | 'ERROR' | 'UNSET';
  readonly statusMessage?: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** Exceptions recorded on the span (type and message). */
  readonly exceptions?: readonly { readonly type: string; readonly message: string }[];
}

const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;

export function toRecord(s: ReadableSpan): SpanRecord {
  const ctx = s.spanContext();
  const attributes: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(s.attributes))
    if (v !== undefined && !Array.isArray(v)) attributes[k] = v as string | number | boolean;
  const exceptions = s.events
    .filter((e) => e.name === 'exception')
    .map((e) => ({
      type: String(e.attributes?.['exception.type'] ?? 'Error'),
      message: String(e.attributes?.['exception.message'] ?? ''),
    }));
  const status = s.status.code === SpanStatusCode.ERROR ? 'ERROR' : s.status.code === SpanStatusCode.OK ? 'OK' : 'UNSET';
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    ...(s.parentSpanContext?.spanId ? { parentSpanId: s.parentSpanContext.spanId } : {}),
    name: s.name,
    kind: KINDS[s.kind] ?? 'INTERNAL',
    start: ms(s.startTime),
    end: ms(s.endTime),
    status,
    ...(s.status.message ? { statusMessage: s.status.message } : {}),
    attributes,
    ...(exceptions.length ? { exceptions } : {}),
  };
}

export interface TraceStoreOptions {
  /** The JSONL file; without it spans are kept in memory only. */
  readonly file?: string;
  /** Spans kept (and the file rewritten to) at most; the oldest go first. @default 50 000 */
  readonly maxSpans?: number;
}

/**
 * Both the SDK's span processor (registerTracing) and an exporter. As the processor it only keeps
 * each ended span and converts, indexes and writes the turn's spans together one turn of the event
 * loop later: OpenTelemetry's SimpleSpanProcessor exported every span on its own, in a context
 * with tracing suppressed and with a promise per export, which cost a status request more than
 * its SQL (bench/results/NOTES.md). Reads see every ended span: they take in the queue first.
 */
export class TraceStore implements SpanExporter, SpanProcessor {
  private spans: SpanRecord[] = [];
  private ended: ReadableSpan[] = [];
  private drainScheduled = false;
  private readonly appender: JsonlAppender | undefined;
  private readonly byTrace = new Map<string, SpanRecord[]>();
  private readonly tracesByProcess = new Map<string, Set<string>>();
  private readonly maxSpans: number;

  constructor(private readonly opts: TraceStoreOptions = {}) {
    this.maxSpans = opts.maxSpans ?? 50_000;
    if (opts.file) {
      this.appender = new JsonlAppender(opts.file);
      this.load(opts.file);
    }
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      this.add(spans.map(toRecord), true);
      done({ code: 0 });
    } catch (error) {
      done({ code: 1, error: error as Error });
    }
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    this.ended.push(span);
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => this.drain());
  }

  async shutdown(): Promise<void> {
    this.flush();
  }

  async forceFlush(): Promise<void> {
    this.flush();
  }

  /** Takes in the spans ended since the last turn. */
  private drain(): void {
    this.drainScheduled = false;
    if (!this.ended.length) return;
    const ended = this.ended;
    this.ended = [];
    this.add(ended.map(toRecord), true);
  }

  add(records: readonly SpanRecord[], persist = false): void {
    for (const r of records) this.index(r);
    this.spans.push(...records);
    if (persist && this.appender && records.length) this.appender.append(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    if (this.spans.length > this.maxSpans * 1.2) this.trim();
  }

  /** Appends the spans not yet written to the file now (they are written one turn of the event loop later otherwise). */
  flush(): void {
    this.drain();
    this.appender?.flush();
  }

  /** Every span of every trace that touches the process, oldest first. */
  forProcess(processId: string): SpanRecord[] {
    this.drain();
    const traces = [...(this.tracesByProcess.get(processId) ?? [])];
    return traces.flatMap((t) => this.byTrace.get(t) ?? []).sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /** The process ids with a trace, most recent first. */
  processes(limit = 50): string[] {
    this.drain();
    const last = new Map<string, number>();
    for (const [processId, traces] of this.tracesByProcess) {
      for (const t of traces) for (const s of this.byTrace.get(t) ?? []) last.set(processId, Math.max(last.get(processId) ?? 0, s.end));
    }
    return [...last.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([id]) => id);
  }

  get size(): number {
    this.drain();
    return this.spans.length;
  }

  private index(r: SpanRecord): void {
    const list = this.byTrace.get(r.traceId) ?? [];
    if (!list.length) this.byTrace.set(r.traceId, list);
    list.push(r);
    const processId = r.attributes.processId;
    if (typeof processId === 'string') {
      const traces = this.tracesByProcess.get(processId) ?? new Set<string>();
      traces.add(r.traceId);
      this.tracesByProcess.set(processId, traces);
    }
  }

  private load(file: string): void {
    if (!existsSync(file)) return;
    // A writer killed mid-line leaves a partial last line: complete lines only.
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1).slice(-this.maxSpans);
    const records: SpanRecord[] = [];
    for (const line of lines) {
      try {
        records.push(JSON.parse(line) as SpanRecord);
      } catch {
        // A damaged line is one lost span, not a runtime that cannot start.
      }
    }
    this.add(records);
    if (statSync(file).size > 0 && lines.length >= this.maxSpans) this.trim();
  }

  /** Keeps the newest maxSpans, in memory and in the file. */
  private trim(): void {
    this.appender?.discard();
    this.spans = this.spans.slice(-this.maxSpans);
    this.byTrace.clear();
    this.tracesByProcess.clear();
    for (const r of this.spans) this.index(r);
    if (this.opts.file) writeFileSync(this.opts.file, this.spans.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}
