/**
 * OpenTelemetry spans of the functions (no-ops unless an SDK is registered: the ADOT layer on AWS,
 * local/tracing in the local runtime). A throw marks the span ERROR with the error's name.
 */
import { SpanStatusCode, trace, type Span, type SpanOptions } from '@opentelemetry/api';

export const tracer = trace.getTracer('async-ai-pipeline');

export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as { code?: string }).code ?? (err as Error).name });
      throw err;
    } finally {
      span.end();
    }
  });
}
