/**
 * Custom metrics (namespace AsyncProcessing) as CloudWatch EMF through Powertools Metrics.
 * Metrics instances are built once per container (one for the service's dimensions, one per extra
 * dimension value such as a process type), as Powertools intends: building one per invocation
 * costs a Console and a read of every setting. Each invocation publishes what is stored when it
 * ends; two invocations running at once in one process (the local runtime) may publish each
 * other's counts in one EMF line, which CloudWatch adds up the same. Names and units come from
 * the guide module.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_DIMENSIONS, METRIC_NAMESPACE, METRICS, type MetricKey } from '../../../guide';

const UNIT: Record<string, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
  Percent: MetricUnit.Percent,
  Seconds: MetricUnit.Seconds,
};

export interface MetricsRecorder {
  /** Adds to a metric with the service-level dimensions (what the alarms read). */
  add(metric: MetricKey, value: number): void;
  /** Adds to a metric with the service-level dimensions and one more (e.g. type). */
  addWith(metric: MetricKey, value: number, dimension: { name: string; value: string }): void;
  flush(): void;
}

const shared = new Map<string, Metrics>();

/** The container's instance for these extra dimensions, built on first use. */
function instanceFor(dimension?: { name: string; value: string }): Metrics {
  // Powertools reads POWERTOOLS_METRICS_DISABLED when an instance is built (tests flip it).
  const key = `${process.env.POWERTOOLS_METRICS_DISABLED ?? ''}\0${dimension ? `${dimension.name}\0${dimension.value}` : ''}`;
  let instance = shared.get(key);
  if (!instance) {
    instance = new Metrics({
      namespace: METRIC_NAMESPACE,
      serviceName: METRIC_DIMENSIONS.service,
      ...(dimension ? { defaultDimensions: { [dimension.name]: dimension.value } } : {}),
    });
    shared.set(key, instance);
  }
  return instance;
}

export function createMetricsRecorder(): MetricsRecorder {
  const touched = new Set<Metrics>();
  const add = (instance: Metrics, metric: MetricKey, value: number) => {
    const m = METRICS[metric];
    instance.addMetric(m.name, UNIT[m.unit]!, value);
    touched.add(instance);
  };
  return {
    add: (metric, value) => add(instanceFor(), metric, value),
    addWith: (metric, value, dimension) => add(instanceFor(dimension), metric, value),
    flush() {
      // Only what holds metrics is published (an empty publish makes Powertools warn).
      for (const instance of touched) if (instance.hasStoredMetrics()) instance.publishStoredMetrics();
      touched.clear();
    },
  };
}
