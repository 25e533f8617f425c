/**
 * What one invocation observes with: its own logger (keys scoped to it), its own metrics, and
 * OpenTelemetry spans (no-op unless an OpenTelemetry SDK is registered, e.g. by ADOT).
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { invocationLogger } from './logger';
import { createMetricsRecorder, type MetricsRecorder } from './metrics';

export interface Observer {
  logger: Logger;
  metrics: MetricsRecorder;
  /** Runs `fn` in a span named `name`. */
  span<T>(name: string, attributes: Record<string, string | number>, fn: () => Promise<T>): Promise<T>;
}

const tracer = trace.getTracer('async-ai-pipeline');

/**
 * Cheap to create: the child logger is built on first use (most status checks log nothing), and
 * the metrics recorder builds its Powertools instance on the first metric.
 */
export function createObserver(keys: LogAttributes): Observer {
  let logger: Logger | undefined;
  return {
    get logger() {
      logger ??= invocationLogger(keys);
      return logger;
    },
    metrics: createMetricsRecorder(),
    span(name, attributes, fn) {
      return tracer.startActiveSpan(name, { attributes }, async (span) => {
        try {
          return await fn();
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).name });
          throw err;
        } finally {
          span.end();
        }
      });
    },
  };
}
