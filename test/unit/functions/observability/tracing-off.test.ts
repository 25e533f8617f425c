/**
 * Tracing is free when off: without an OpenTelemetry SDK (on AWS, `tracing.adot` unset) a span is a
 * non-recording no-op and no span becomes active, so the SQL wrapper (state/pool.ts) opens none.
 */
import { context, trace } from '@opentelemetry/api';
import { withSpan } from '../../../../functions/src/observability/tracing';

describe('withSpan without an SDK', () => {
  it('runs the work with a non-recording span and leaves no active span for the SQL to join', async () => {
    const seen = await withSpan('step', {}, async (span) => ({ recording: span.isRecording(), active: trace.getSpan(context.active()) }));
    expect(seen).toEqual({ recording: false, active: undefined });
  });

  it('passes results and errors through unchanged', async () => {
    await expect(withSpan('ok', {}, async () => 42)).resolves.toBe(42);
    const err = Object.assign(new Error('boom'), { code: 'AI_ERROR' });
    await expect(withSpan('fails', {}, async () => Promise.reject(err))).rejects.toBe(err);
  });
});
