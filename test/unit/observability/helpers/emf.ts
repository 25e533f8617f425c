/** Reads the CloudWatch Embedded Metric Format documents a process printed (with the evaluator's parser). */
import { samplesFromEmfDocument } from '../../../../observability/evaluator';

export { metricIdentity } from '../../../../observability/evaluator';

export interface EmittedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly unit: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** One entry per metric, dimension set and value of every EMF document among `entries`. */
export function emittedMetrics(entries: readonly Record<string, unknown>[]): EmittedMetric[] {
  return entries
    .flatMap((doc, i) => samplesFromEmfDocument(doc, {}, `document ${i + 1}`))
    .map((s) => ({
      namespace: s.namespace,
      name: s.metricName,
      unit: s.unit ?? 'None',
      dimensions: s.dimensions,
    }));
}
