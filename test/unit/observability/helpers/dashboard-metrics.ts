/** The metrics a dashboard body draws, read back from its widgets' `metrics` arrays. */
import type { DashboardBody } from '../../../../observability/dashboard/body';

export interface DrawnMetric {
  readonly widget: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly options: Record<string, unknown>;
}

export function drawnMetrics(body: DashboardBody): DrawnMetric[] {
  return body.widgets
    .filter((w) => w.type === 'metric')
    .flatMap((w) =>
      (w.properties.metrics as unknown[][])
        .filter((entry) => typeof entry[0] === 'string')
        .map((entry) => {
          const options = (typeof entry[entry.length - 1] === 'object' ? entry[entry.length - 1] : {}) as Record<string, unknown>;
          const parts = entry.filter((e) => typeof e === 'string') as string[];
          const [namespace, name, ...dims] = parts;
          const dimensions: Record<string, string> = {};
          for (let i = 0; i < dims.length; i += 2) dimensions[dims[i]!] = dims[i + 1]!;
          return { widget: String(w.properties.title), namespace: namespace!, name: name!, dimensions, options };
        }),
    );
}
