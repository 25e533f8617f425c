/**
 * Custom metrics (namespace AsyncProcessing) as CloudWatch EMF through Powertools Metrics.
 * One Metrics instance per invocation: concurrent invocations never mix their metrics, and each
 * invocation's metrics are flushed when it ends. Names and units come from the guide module.
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

export function createMetricsRecorder(): MetricsRecorder {
  // Built on the first metric: an invocation that records none never pays for it.
  let instance: Metrics | undefined;
  const metrics = () => (instance ??= new Metrics({ namespace: METRIC_NAMESPACE, serviceName: METRIC_DIMENSIONS.service }));
  let stored = 0;
  return {
    add(metric, value) {
      const m = METRICS[metric];
      stored++;
      metrics().addMetric(m.name, UNIT[m.unit]!, value);
    },
    addWith(metric, value, dimension) {
      const m = METRICS[metric];
      const single = metrics().singleMetric();
      single.addDimension(dimension.name, dimension.value);
      single.addMetric(m.name, UNIT[m.unit]!, value);
    },
    flush() {
      // Single metrics are written at once; only flush when something is stored, or Powertools warns.
      if (stored > 0) metrics().publishStoredMetrics();
      stored = 0;
    },
  };
}
