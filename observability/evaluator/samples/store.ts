/**
 * Raw samples per metric identity (namespace, name and the exact dimension set), kept in time
 * order so a period's samples are a binary search away. Samples may arrive late or out of order,
 * as they do in CloudWatch: the next evaluation sees them.
 */
import type { MetricIdentity, MetricSample, StatisticSet } from '../types';
import type { PeriodSamples } from '../stats/compute';

/** `Namespace/Name{a=1,b=2}`: a metric as CloudWatch identifies it (dimension order does not matter). */
export const metricIdentity = (namespace: string, name: string, dimensions: Readonly<Record<string, unknown>>): string =>
  `${namespace}/${name}{${Object.entries(dimensions)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join(',')}}`;

export const identityOf = (m: MetricIdentity): string => metricIdentity(m.namespace, m.metricName, m.dimensions);

interface Entry {
  readonly t: number;
  readonly unit: string;
  readonly value?: number;
  readonly count: number;
  readonly set?: StatisticSet;
}

function checked(s: MetricSample): Entry {
  const where = `sample of ${identityOf(s)} at ${s.timestamp}`;
  if (!Number.isFinite(s.timestamp)) throw new Error(`A ${where}: timestamp must be milliseconds since the epoch.`);
  const unit = s.unit ?? 'None';
  if (s.statistics) {
    const { sampleCount, sum, minimum, maximum } = s.statistics;
    if (![sampleCount, sum, minimum, maximum].every(Number.isFinite) || sampleCount <= 0 || minimum > maximum) {
      throw new Error(`The ${where}: a statistic set needs finite sum/minimum/maximum, minimum <= maximum and sampleCount > 0.`);
    }
    return { t: s.timestamp, unit, count: sampleCount, set: s.statistics };
  }
  const count = s.count ?? 1;
  if (s.value === undefined || !Number.isFinite(s.value) || !(count > 0)) {
    throw new Error(`The ${where}: give a finite value (with a count > 0), or statistics.`);
  }
  return { t: s.timestamp, unit, value: s.value, count };
}

/** First index whose timestamp is >= t (or > t with `after`). */
function search(entries: readonly Entry[], t: number, after = false): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.t < t || (after && entries[mid]!.t === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface PeriodQuery {
  /** Only samples with this unit (CloudWatch's alarm `unit`); all units when absent. */
  readonly unit?: string;
  /** Samples with a later timestamp are not yet visible (ingestion delay). */
  readonly visibleUntil?: number;
}

export class MetricStore {
  private readonly byIdentity = new Map<string, Entry[]>();

  put(samples: MetricSample | Iterable<MetricSample>): void {
    for (const sample of Symbol.iterator in samples ? samples : [samples]) {
      const entry = checked(sample);
      const key = identityOf(sample);
      const entries = this.byIdentity.get(key) ?? [];
      if (!entries.length) this.byIdentity.set(key, entries);
      if (!entries.length || entries[entries.length - 1]!.t <= entry.t) entries.push(entry);
      else entries.splice(search(entries, entry.t, true), 0, entry);
    }
  }

  /** The samples of `metric` (or of its `identityOf` key) with start <= timestamp < end, or undefined when there are none. */
  period(metric: MetricIdentity | string, start: number, end: number, query: PeriodQuery = {}): PeriodSamples | undefined {
    const entries = this.byIdentity.get(typeof metric === 'string' ? metric : identityOf(metric));
    if (!entries) return undefined;
    const stop = query.visibleUntil === undefined ? end : Math.min(end, query.visibleUntil + 1);
    const values: [number, number][] = [];
    const sets: StatisticSet[] = [];
    for (let i = search(entries, start); i < entries.length && entries[i]!.t < stop; i++) {
      const e = entries[i]!;
      if (query.unit !== undefined && e.unit !== query.unit) continue;
      if (e.set) sets.push(e.set);
      else values.push([e.value!, e.count]);
    }
    return values.length || sets.length ? { values, sets } : undefined;
  }

  /** Every metric identity that has samples (for listing what a replay produced). */
  identities(): string[] {
    return [...this.byIdentity.keys()].sort();
  }
}
