/**
 * What one invocation observes with: its own logger (keys scoped to it), its own metrics, and
 * OpenTelemetry spans (no-op unless an OpenTelemetry SDK is registered, e.g. by ADOT).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { invocationLogger } from './logger';
import { createMetricsRecorder, type MetricsRecorder } from './metrics';
import { withSpan } from './tracing';

export interface Observer {
  logger: Logger;
  metrics: MetricsRecorder;
  /** Runs `fn` in a span named `name`. */
  span<T>(name: string, attributes: Record<string, string | number>, fn: () => Promise<T>): Promise<T>;
}

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
    span: (name, attributes, fn) => withSpan(name, { attributes }, fn),
  };
}
