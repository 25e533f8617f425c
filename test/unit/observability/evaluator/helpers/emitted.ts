/** Samples printed as EMF by the functions' real metrics recorder, optionally stamped on the test clock. */
import { createMetricsRecorder, type MetricsRecorder } from '../../../../../functions/src/observability/metrics';
import { samplesFromEmf, type MetricSample } from '../../../../../observability/evaluator';
import { captureOutput } from '../../../../helpers/output';

/** What the functions print when they record these metrics, as the samples CloudWatch would extract. */
export function emitted(record: (metrics: MetricsRecorder) => void, timestamp?: number): MetricSample[] {
  const output = captureOutput();
  try {
    const recorder = createMetricsRecorder();
    record(recorder);
    recorder.flush();
    return samplesFromEmf(
      output.json().map((o) => JSON.stringify(o.entry)),
      { timestamp },
    );
  } finally {
    output.restore();
  }
}
