/**
 * The DR test's measurements as CloudWatch EMF (namespace AsyncProcessing, the service dimension
 * every metric of ours carries): the DR alarms read exactly these names and units from guide DR.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DR, METRIC_DIMENSIONS, METRIC_NAMESPACE } from '../../../guide';
import type { DrMeasurements, DrMetricsPort } from '../usecases/dr-validation';

const UNIT = { Seconds: MetricUnit.Seconds, Count: MetricUnit.Count } as const;

export function drMetrics(): DrMetricsPort {
  return {
    publish(m: DrMeasurements) {
      const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: METRIC_DIMENSIONS.service });
      const { restoreTime, recoveryPointAge, validationFailed } = DR.metrics;
      metrics.addMetric(restoreTime.name, UNIT[restoreTime.unit], m.restoreSeconds);
      metrics.addMetric(recoveryPointAge.name, UNIT[recoveryPointAge.unit], m.recoveryPointAgeSeconds);
      metrics.addMetric(validationFailed.name, UNIT[validationFailed.unit], m.failed ? 1 : 0);
      metrics.publishStoredMetrics();
    },
  };
}
