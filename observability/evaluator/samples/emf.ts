/**
 * CloudWatch Embedded Metric Format → samples: what CloudWatch Logs extracts from the JSON lines
 * the functions print (Powertools Metrics, functions/src/observability/metrics.ts). One sample per
 * metric, per dimension set, per value (a metric's value may be an array of up to 100 values).
 * Lines that are not EMF (log lines, text) are skipped; an EMF document with a broken directive
 * is an error that names the line, since CloudWatch would drop its metrics silently.
 */
import type { MetricSample } from '../types';

interface Directive {
  Namespace?: unknown;
  Dimensions?: unknown;
  Metrics?: unknown;
}

export interface EmfOptions {
  /**
   * The sample timestamp (ms) instead of the document's `_aws.Timestamp`, or a function of it:
   * e.g. `(t) => from + (t - realStart) * 60` replays a minute of real time as an hour.
   */
  readonly timestamp?: number | ((emitted: number) => number);
}

function fail(where: string, problem: string): never {
  throw new Error(`EMF ${where}: ${problem}`);
}

function dimensionValues(doc: Record<string, unknown>, set: unknown, where: string): Record<string, string> {
  if (!Array.isArray(set)) fail(where, 'each entry of Dimensions must be an array of dimension names');
  const dims: Record<string, string> = {};
  for (const name of set) {
    const value = doc[name as string];
    if (typeof value !== 'string') fail(where, `dimension "${String(name)}" needs a string value at the top level of the document`);
    dims[name as string] = value;
  }
  return dims;
}

function directiveSamples(doc: Record<string, unknown>, d: Directive, timestamp: number, where: string): MetricSample[] {
  if (typeof d.Namespace !== 'string' || !Array.isArray(d.Dimensions) || !Array.isArray(d.Metrics)) {
    fail(where, 'a CloudWatchMetrics directive needs Namespace (string), Dimensions (array) and Metrics (array)');
  }
  const sets = d.Dimensions.length ? d.Dimensions : [[]];
  return sets.flatMap((set) => {
    const dimensions = dimensionValues(doc, set, where);
    return (d.Metrics as { Name?: unknown; Unit?: unknown }[]).flatMap((m) => {
      if (typeof m?.Name !== 'string') fail(where, 'every metric needs a Name');
      const raw = doc[m.Name];
      const values = Array.isArray(raw) ? raw : [raw];
      if (!values.length || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        fail(where, `metric "${m.Name}" needs a number (or an array of numbers) at the top level of the document`);
      }
      const unit = typeof m.Unit === 'string' ? m.Unit : 'None';
      return values.map((value: number) => ({
        namespace: d.Namespace as string,
        metricName: m.Name as string,
        dimensions,
        timestamp,
        value,
        unit,
      }));
    });
  });
}

/** The samples of one parsed EMF document; [] when it is not EMF. */
export function samplesFromEmfDocument(doc: unknown, options: EmfOptions = {}, where = 'document'): MetricSample[] {
  if (!doc || typeof doc !== 'object') return [];
  const record = doc as Record<string, unknown>;
  const aws = record._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (!aws || typeof aws !== 'object' || aws.CloudWatchMetrics === undefined) return [];
  if (!Array.isArray(aws.CloudWatchMetrics)) fail(where, '_aws.CloudWatchMetrics must be an array');
  const emitted = aws.Timestamp;
  if (typeof options.timestamp !== 'number' && (typeof emitted !== 'number' || !Number.isFinite(emitted))) {
    fail(where, '_aws.Timestamp must be milliseconds since the epoch');
  }
  const timestamp =
    typeof options.timestamp === 'function' ? options.timestamp(emitted as number) : (options.timestamp ?? (emitted as number));
  return aws.CloudWatchMetrics.flatMap((d: Directive) => directiveSamples(record, d, timestamp, where));
}

/** The samples in a process's output: text with one JSON document a line, or the lines themselves. */
export function samplesFromEmf(output: string | readonly string[], options: EmfOptions = {}): MetricSample[] {
  const lines = typeof output === 'string' ? output.split('\n') : output;
  return lines.flatMap((line, i) => {
    const text = line.trim();
    if (!text.startsWith('{')) return [];
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return [];
    }
    return samplesFromEmfDocument(doc, options, `line ${i + 1}`);
  });
}
