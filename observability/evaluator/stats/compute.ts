/**
 * One period's statistic over the samples that fell in it, the way the user guide defines each
 * ("CloudWatch statistics definitions"): p99 is the largest value of the lowest 99 % of the data
 * (nearest rank); trimmed statistics keep the values above the lower boundary and up to the
 * upper one. Percentiles and the trimmed family need raw values: a statistic set counts only
 * when all its values are equal (SampleCount 1, or Min = Max with Sum = Min × SampleCount), and
 * none of the values may be negative; otherwise the period has no value for them.
 */
import { lowSampleThreshold, type Bound, type Statistic } from './statistic';
import type { StatisticSet } from '../types';

/** What a period holds: values with their counts, and statistic sets. */
export interface PeriodSamples {
  readonly values: readonly (readonly [value: number, count: number])[];
  readonly sets: readonly StatisticSet[];
}

export interface PeriodStatistic {
  /** Undefined when the statistic cannot be computed from these samples. */
  readonly value?: number;
  readonly sampleCount: number;
  /** A percentile over fewer samples than `lowSampleThreshold` asks for. */
  readonly lowSample: boolean;
}

const sampleCountOf = (s: PeriodSamples): number =>
  s.values.reduce((n, [, c]) => n + c, 0) + s.sets.reduce((n, set) => n + set.sampleCount, 0);

function simple(name: string, s: PeriodSamples): number {
  const sum = s.values.reduce((n, [v, c]) => n + v * c, 0) + s.sets.reduce((n, set) => n + set.sum, 0);
  const all = [...s.values.map(([v]) => v), ...s.sets.flatMap((set) => [set.minimum, set.maximum])];
  switch (name) {
    case 'Sum':
      return sum;
    case 'SampleCount':
      return sampleCountOf(s);
    case 'Average':
      return sum / sampleCountOf(s);
    case 'Minimum':
      return Math.min(...all);
    default:
      return Math.max(...all);
  }
}

/** Sorted (value, count) pairs, or undefined when the raw values are not known or one is negative. */
function rawValues(s: PeriodSamples): [number, number][] | undefined {
  const pairs: [number, number][] = s.values.map(([v, c]) => [v, c]);
  for (const set of s.sets) {
    const uniform = set.minimum === set.maximum && set.sum === set.minimum * set.sampleCount;
    if (!uniform) return undefined;
    pairs.push([set.minimum, set.sampleCount]);
  }
  if (pairs.some(([v]) => v < 0)) return undefined;
  return pairs.sort((a, b) => a[0] - b[0]);
}

/** Nearest rank: the smallest value with at least p % of the samples at or below it. */
export function percentileOf(sorted: readonly (readonly [number, number])[], p: number): number {
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  const rank = Math.max(1, Math.ceil((p * total) / 100 - 1e-9));
  let seen = 0;
  for (const [v, c] of sorted) {
    seen += c;
    if (seen >= rank) return v;
  }
  return sorted[sorted.length - 1]![0];
}

function boundValue(sorted: [number, number][], b: Bound | undefined): number | undefined {
  if (!b) return undefined;
  return b.percent ? percentileOf(sorted, b.value) : b.value;
}

function trimmed(s: Extract<Statistic, { kind: 'trimmed' }>, sorted: [number, number][]): number | undefined {
  const low = boundValue(sorted, s.lower);
  const high = boundValue(sorted, s.upper);
  const inside = (v: number) => (low === undefined || v > low) && (high === undefined || v <= high);
  const kept = sorted.filter(([v]) => inside(v));
  const count = kept.reduce((n, [, c]) => n + c, 0);
  const sum = kept.reduce((n, [v, c]) => n + v * c, 0);
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  switch (s.fn) {
    case 'TC':
      return count;
    case 'TS':
      return sum;
    case 'PR':
      return (100 * count) / total;
    case 'TM':
      return count ? sum / count : undefined;
    default: {
      const clamp = (v: number) => Math.min(Math.max(v, low ?? v), high ?? v);
      return sorted.reduce((n, [v, c]) => n + clamp(v) * c, 0) / total;
    }
  }
}

/** The statistic of one period; `samples` must hold at least one sample. */
export function computeStatistic(stat: Statistic, samples: PeriodSamples): PeriodStatistic {
  const sampleCount = sampleCountOf(samples);
  if (stat.kind === 'simple') return { value: simple(stat.name, samples), sampleCount, lowSample: false };
  const sorted = rawValues(samples);
  const lowSample = stat.kind === 'percentile' && sampleCount < lowSampleThreshold(stat.p) - 1e-9;
  if (!sorted) return { sampleCount, lowSample };
  const value = stat.kind === 'percentile' ? percentileOf(sorted, stat.p) : trimmed(stat, sorted);
  return { value, sampleCount, lowSample };
}
