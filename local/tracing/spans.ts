/**
 * The spans the AWS services would add around our code: API Gateway's request, Lambda's
 * invocation, Step Functions' execution and states. On AWS, X-Ray (and ADOT) make these; the
 * local emulators make them here with the same names, so a local waterfall reads like X-Ray's.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';

export const tracer = trace.getTracer('async-ai-pipeline-local');

/** Runs `fn` in a new active span; a throw marks it ERROR (and is rethrown). */
export async function inSpan<T>(
  name: string,
  opts: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = opts.parent ?? context.active();
  const span = tracer.startSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    markFailed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export function markFailed(span: Span, err: unknown, message?: string): void {
  if (err instanceof Error) span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? (err instanceof Error ? err.name : String(err)) });
}

/** A context whose parent is a remote span (a trace header), or a fresh root. */
export const contextFrom = (parent: SpanContext | undefined): Context =>
  parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;

/** A Lambda invocation as Lambda's own segment would show it. */
export const lambdaSpan = <T>(functionName: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> =>
  inSpan(`Lambda ${functionName}`, { kind: SpanKind.SERVER, attributes: { 'faas.name': functionName, ...attributes } }, fn);

export { SpanKind };
