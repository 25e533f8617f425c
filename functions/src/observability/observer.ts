/**
 * What one invocation observes with: its own logger (keys scoped to it), its own metrics, and
 * OpenTelemetry spans (no-op unless an OpenTelemetry SDK is registered, e.g. by ADOT).
 */
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { invocationLogger, type InvocationLogger } from './logger';
import { createMetricsRecorder, type MetricsRecorder } from './metrics';
import { withSpan } from './tracing';

export interface Observer {
  logger: InvocationLogger;
  metrics: MetricsRecorder;
  /** Runs `fn` in a span named `name`. */
  span<T>(name: string, attributes: Record<string, string | number>, fn: () => Promise<T>): Promise<T>;
}

/**
 * Cheap to create: the logger is four closures over the root logger, and the metrics recorder
 * builds its Powertools instance on the first metric.
 */
export function createObserver(keys: LogAttributes): Observer {
  return {
    logger: invocationLogger(keys),
    metrics: createMetricsRecorder(),
    span: (name, attributes, fn) => withSpan(name, { attributes }, fn),
  };
}
