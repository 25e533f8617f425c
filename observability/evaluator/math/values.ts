/**
 * The values of metric math: a scalar (S), a time series (TS) over the alarm's periods, or an
 * array of time series (TS[]). A series holds `undefined` where it has no datapoint.
 *
 * The operator rules are the user guide's: a missing value in a time series counts as 0 when the
 * other operand has a datapoint at that time (both missing: no datapoint); a division by zero
 * drops the datapoint; comparisons and logic give 1 or 0.
 */

export type Series = readonly (number | undefined)[];

export type Value =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'series'; readonly points: Series }
  | { readonly kind: 'array'; readonly list: readonly Series[] };

export const scalar = (value: number): Value => ({ kind: 'scalar', value });
export const series = (points: Series): Value => ({ kind: 'series', points });

/** A result that is not a finite number is no datapoint (division by zero, LOG of 0, …). */
export const finite = (x: number): number | undefined => (Number.isFinite(x) ? x : undefined);

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => (b === 0 ? NaN : a / b),
  '^': (a, b) => a ** b,
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '<': (a, b) => Number(a < b),
  '>': (a, b) => Number(a > b),
  '<=': (a, b) => Number(a <= b),
  '>=': (a, b) => Number(a >= b),
  AND: (a, b) => Number(a !== 0 && b !== 0),
  OR: (a, b) => Number(a !== 0 || b !== 0),
};

function withScalar(points: Series, s: number, f: (a: number, b: number) => number, scalarFirst: boolean): Series {
  return points.map((p) => (p === undefined ? undefined : finite(scalarFirst ? f(s, p) : f(p, s))));
}

function pairwise(a: Series, b: Series, f: (a: number, b: number) => number): Series {
  return a.map((x, i) => {
    const y = b[i];
    return x === undefined && y === undefined ? undefined : finite(f(x ?? 0, y ?? 0));
  });
}

export function applyBinary(op: string, left: Value, right: Value): Value {
  const f = ARITHMETIC[op];
  if (!f) throw new Error(`Metric math: unknown operator ${op}.`);
  if (left.kind === 'scalar' && right.kind === 'scalar') return scalar(f(left.value, right.value));
  if (left.kind === 'array' && right.kind === 'array') {
    throw new Error(`Metric math: "${op}" between two arrays of time series is not supported by CloudWatch.`);
  }
  if (left.kind === 'array') return { kind: 'array', list: left.list.map((s) => toSeries(applyBinary(op, series(s), right))) };
  if (right.kind === 'array') return { kind: 'array', list: right.list.map((s) => toSeries(applyBinary(op, left, series(s)))) };
  if (left.kind === 'scalar') return series(withScalar((right as { points: Series }).points, left.value, f, true));
  if (right.kind === 'scalar') return series(withScalar(left.points, right.value, f, false));
  return series(pairwise(left.points, right.points, f));
}

export function negate(v: Value): Value {
  return applyBinary('*', scalar(-1), v);
}

/** The points of a single time series (an array of one counts as one). */
export function toSeries(v: Value, what = 'value'): Series {
  if (v.kind === 'series') return v.points;
  if (v.kind === 'array' && v.list.length === 1) return v.list[0]!;
  throw new Error(
    `Metric math: the ${what} must be a single time series, not ${v.kind === 'scalar' ? 'a scalar' : 'an array of time series'}.`,
  );
}

/** The series of a TS or each series of a TS[]. */
export function eachSeries(v: Value, fn: string): readonly Series[] {
  if (v.kind === 'series') return [v.points];
  if (v.kind === 'array') return v.list;
  throw new Error(`Metric math: ${fn} takes a time series or an array of time series, not a scalar.`);
}

/** Applies `fn` to every series of a TS or TS[], keeping the shape. */
export function mapSeries(v: Value, name: string, fn: (s: Series) => Series): Value {
  const list = eachSeries(v, name).map(fn);
  return v.kind === 'array' ? { kind: 'array', list } : series(list[0]!);
}
