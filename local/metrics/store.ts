/**
 * The local runtime's metrics: every sample CloudWatch would hold for the pipeline, in process,
 * with a small query API and an optional JSONL file in the data folder (one sample per line), so
 * a live dashboard or a scenario run can read them and run the alarm evaluator over them.
 * Samples have the evaluator's shape (observability/evaluator `MetricSample`).
 */
import { readFileSync, existsSync } from 'node:fs';
import { identityOf, type MetricSample } from '../../observability/evaluator';
import { JsonlAppender } from '../jsonl-appender';

/** Where a runtime writes its metrics under its data folder. */
export const METRICS_FILE = 'metrics.jsonl';

export interface MetricFilter {
  readonly namespace?: string;
  readonly metricName?: string;
  /** Every listed dimension must match; others may be present. */
  readonly dimensions?: Readonly<Record<string, string>>;
  /** ms, inclusive. */
  readonly from?: number;
  /** ms, exclusive. */
  readonly to?: number;
}

export type SimpleStat = 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount';

export interface Datapoint {
  /** Start of the period, ms. */
  readonly timestamp: number;
  readonly value: number;
}

const matches = (s: MetricSample, f: MetricFilter): boolean =>
  (f.namespace === undefined || s.namespace === f.namespace) &&
  (f.metricName === undefined || s.metricName === f.metricName) &&
  (f.dimensions === undefined || Object.entries(f.dimensions).every(([k, v]) => s.dimensions[k] === v)) &&
  (f.from === undefined || s.timestamp >= f.from) &&
  (f.to === undefined || s.timestamp < f.to);

export class MetricStore {
  private readonly samples: MetricSample[] = [];
  private readonly listeners = new Set<(samples: readonly MetricSample[]) => void>();

  private readonly appender: JsonlAppender | undefined;

  /** @param file a JSONL file every sample is appended to (created with its folder), one write per turn of the event loop. */
  constructor(file?: string) {
    this.appender = file ? new JsonlAppender(file) : undefined;
  }

  put(samples: MetricSample | readonly MetricSample[]): void {
    const list = Array.isArray(samples) ? samples : [samples as MetricSample];
    if (list.length === 0) return;
    this.samples.push(...list);
    this.appender?.append(list.map((s) => `${JSON.stringify(s)}\n`).join(''));
    for (const l of this.listeners) l(list);
  }

  /** Called with every batch put from now on; returns the unsubscribe function. */
  subscribe(listener: (samples: readonly MetricSample[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  query(filter: MetricFilter = {}): MetricSample[] {
    return this.samples.filter((s) => matches(s, filter));
  }

  /** Every distinct metric (namespace, name, dimension set) seen, as `Namespace/Name{k=v}`. */
  metrics(): string[] {
    return [...new Set(this.samples.map(identityOf))].sort();
  }

  /** One statistic per period over one metric (exact dimensions), periods aligned to the epoch. */
  series(
    metric: Required<Pick<MetricFilter, 'namespace' | 'metricName'>> & { dimensions: Readonly<Record<string, string>> },
    stat: SimpleStat,
    periodSeconds: number,
    range: { from?: number; to?: number } = {},
  ): Datapoint[] {
    const identity = identityOf(metric);
    const period = periodSeconds * 1000;
    const buckets = new Map<number, MetricSample[]>();
    for (const s of this.query({ ...metric, ...range })) {
      if (identityOf(s) !== identity) continue;
      const start = Math.floor(s.timestamp / period) * period;
      buckets.set(start, [...(buckets.get(start) ?? []), s]);
    }
    return [...buckets.entries()].sort(([a], [b]) => a - b).map(([timestamp, list]) => ({ timestamp, value: statistic(list, stat) }));
  }

  /** Writes the samples not yet in the file now. */
  flush(): void {
    this.appender?.flush();
  }

  clear(): void {
    this.samples.length = 0;
  }

  get size(): number {
    return this.samples.length;
  }
}

function statistic(list: readonly MetricSample[], stat: SimpleStat): number {
  const parts = list.map(
    (s) => s.statistics ?? { sampleCount: s.count ?? 1, sum: s.value! * (s.count ?? 1), minimum: s.value!, maximum: s.value! },
  );
  const count = parts.reduce((n, p) => n + p.sampleCount, 0);
  const sum = parts.reduce((n, p) => n + p.sum, 0);
  switch (stat) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return count;
    case 'Average':
      return sum / count;
    case 'Maximum':
      return Math.max(...parts.map((p) => p.maximum));
    case 'Minimum':
      return Math.min(...parts.map((p) => p.minimum));
  }
}

/** The samples a runtime wrote to its JSONL file (a later reader: a dashboard, a scenario). */
export function readMetricsFile(file: string): MetricSample[] {
  if (!existsSync(file)) return [];
  // A writer may be half-way through its last line: read complete lines only.
  const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
  return lines.filter(Boolean).map((line, i) => {
    try {
      return JSON.parse(line) as MetricSample;
    } catch {
      throw new Error(`${file}:${i + 1} is not a metric sample (one JSON object per line)`);
    }
  });
}
