/**
 * CloudWatch statistic names, parsed: the five simple statistics, percentiles (`p99`, `p99.9`)
 * and the trimmed family (`tm90`, `TM(10%:90%)`, `TM(150:1000)`, `IQM`, `wm98`, `WM(…)`,
 * `tc90`, `TC(…)`, `ts90`, `TS(…)`, `PR(:300)`), as the user guide's "CloudWatch statistics
 * definitions" page writes them.
 */

export type SimpleStatistic = 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount';

/** A boundary of a trimmed statistic: a percentile of the data, or a fixed value. */
export interface Bound {
  readonly value: number;
  readonly percent: boolean;
}

export type Statistic =
  | { readonly kind: 'simple'; readonly name: SimpleStatistic }
  | { readonly kind: 'percentile'; readonly p: number }
  | { readonly kind: 'trimmed'; readonly fn: 'TM' | 'WM' | 'TC' | 'TS' | 'PR'; readonly lower?: Bound; readonly upper?: Bound };

const SIMPLE: readonly SimpleStatistic[] = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'];
const NUMBER = String.raw`\d+(?:\.\d+)?`;
const SHORT = new RegExp(`^(tm|wm|tc|ts)(${NUMBER})$`);
const RANGE = new RegExp(`^(TM|WM|TC|TS|PR)\\(\\s*(${NUMBER}%?)?\\s*:\\s*(${NUMBER}%?)?\\s*\\)$`);

function bound(text: string | undefined, stat: string): Bound | undefined {
  if (text === undefined) return undefined;
  const percent = text.endsWith('%');
  const value = Number(percent ? text.slice(0, -1) : text);
  if (percent && value > 100) throw new Error(`Statistic ${stat}: a percentage boundary is at most 100%.`);
  return { value, percent };
}

/** Parses a statistic as an alarm or metric query names it; throws on anything CloudWatch would reject. */
export function parseStatistic(stat: string): Statistic {
  if ((SIMPLE as readonly string[]).includes(stat)) return { kind: 'simple', name: stat as SimpleStatistic };
  if (stat === 'IQM') return { kind: 'trimmed', fn: 'TM', lower: { value: 25, percent: true }, upper: { value: 75, percent: true } };
  const percentile = new RegExp(`^p(${NUMBER})$`).exec(stat);
  if (percentile) {
    const p = Number(percentile[1]);
    if (p > 100) throw new Error(`Statistic ${stat}: a percentile is between p0 and p100.`);
    return { kind: 'percentile', p };
  }
  const short = SHORT.exec(stat);
  if (short) {
    const upper = bound(`${short[2]}%`, stat);
    return { kind: 'trimmed', fn: short[1]!.toUpperCase() as 'TM', upper };
  }
  const range = RANGE.exec(stat);
  if (range) {
    const fn = range[1] as 'TM' | 'WM' | 'TC' | 'TS' | 'PR';
    const lower = bound(range[2], stat);
    const upper = bound(range[3], stat);
    if (!lower && !upper) throw new Error(`Statistic ${stat}: give at least one boundary, e.g. ${fn}(:95%).`);
    if (lower && upper && lower.percent !== upper.percent) {
      throw new Error(`Statistic ${stat}: both boundaries are percentages or both are values, not one of each.`);
    }
    if (fn === 'PR' && (lower?.percent || upper?.percent)) throw new Error(`Statistic ${stat}: PR takes values, not percentages.`);
    return { kind: 'trimmed', fn, lower, upper };
  }
  throw new Error(
    `Unknown statistic "${stat}": use Sum, Average, Minimum, Maximum, SampleCount, a percentile (p95, p99.9) ` +
      'or a trimmed statistic (tm90, TM(10%:90%), IQM, wm98, tc90, ts90, PR(:300)).',
  );
}

/**
 * The sample size below which a percentile counts as "low sample" for
 * `evaluateLowSampleCountPercentiles`: 10/(1-p) samples for p in [0.5, 1), 10/p for p in (0, 0.5).
 * p0 and p100 (the minimum and the maximum) never are.
 */
export function lowSampleThreshold(p: number): number {
  if (p <= 0 || p >= 100) return 0;
  return p >= 50 ? 1000 / (100 - p) : 1000 / p;
}

/** True when the statistic needs raw values (percentiles and the trimmed family). */
export const needsRawValues = (s: Statistic): boolean => s.kind !== 'simple';
