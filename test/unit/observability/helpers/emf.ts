/** Reads the CloudWatch Embedded Metric Format documents a process printed. */

export interface EmittedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly unit: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

interface EmfDocument {
  _aws?: { CloudWatchMetrics?: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit?: string }[] }[] };
  [key: string]: unknown;
}

/** One entry per metric and dimension set of every EMF document among `entries`. */
export function emittedMetrics(entries: readonly Record<string, unknown>[]): EmittedMetric[] {
  return entries.flatMap((doc: EmfDocument) =>
    (doc._aws?.CloudWatchMetrics ?? []).flatMap((directive) =>
      directive.Dimensions.flatMap((set) =>
        directive.Metrics.map((m) => ({
          namespace: directive.Namespace,
          name: m.Name,
          unit: m.Unit ?? 'None',
          dimensions: Object.fromEntries(set.map((d) => [d, String(doc[d])])),
        })),
      ),
    ),
  );
}

/** `Namespace/Name{a=1,b=2}`: a metric as CloudWatch identifies it (dimension order does not matter). */
export const metricIdentity = (namespace: string, name: string, dimensions: Readonly<Record<string, unknown>>): string =>
  `${namespace}/${name}{${Object.entries(dimensions).map(([k, v]) => `${k}=${String(v)}`).sort().join(',')}}`;
