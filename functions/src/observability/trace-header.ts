/**
 * The X-Ray trace header (`Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=1`) from and to an
 * OpenTelemetry span context. Step Functions' StartExecution takes it as `traceHeader`, so the
 * execution joins the caller's trace: on AWS X-Ray links them, locally the runtime's Step
 * Functions starts the execution's span under it. OpenTelemetry trace ids are X-Ray's without the
 * version and dashes (what ADOT's X-Ray propagator does).
 */
import { TraceFlags, trace, context, isSpanContextValid, type SpanContext } from '@opentelemetry/api';

const HEADER = /Root=1-([0-9a-f]{8})-([0-9a-f]{24})(?:;Parent=([0-9a-f]{16}))?(?:;Sampled=([01]))?/i;

export function traceHeaderOf(ctx: SpanContext): string {
  const sampled = (ctx.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? 1 : 0;
  return `Root=1-${ctx.traceId.slice(0, 8)}-${ctx.traceId.slice(8)};Parent=${ctx.spanId};Sampled=${sampled}`;
}

/** The header of the span active now, if there is one. */
export function activeTraceHeader(): string | undefined {
  const span = trace.getSpan(context.active());
  const ctx = span?.spanContext();
  return ctx && isSpanContextValid(ctx) ? traceHeaderOf(ctx) : undefined;
}

/** A remote parent from a header (undefined when it names no parent span). */
export function spanContextOf(header: string | undefined): SpanContext | undefined {
  const m = header ? HEADER.exec(header) : null;
  if (!m?.[3]) return undefined;
  const ctx: SpanContext = {
    traceId: `${m[1]}${m[2]}`.toLowerCase(),
    spanId: m[3].toLowerCase(),
    traceFlags: m[4] === '0' ? TraceFlags.NONE : TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(ctx) ? ctx : undefined;
}
