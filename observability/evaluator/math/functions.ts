/**
 * The metric-math functions the evaluator knows, with the user guide's semantics. An alarm's
 * series cover its whole evaluation range, so SUM/MAX/MIN/AVG of one series (a scalar) see the
 * extra periods CloudWatch retrieves, exactly the caveat the guide gives for using them in alarms.
 */
import type { Node } from './parser';
import { eachSeries, finite, mapSeries, scalar, series, toSeries, type Series, type Value } from './values';

export interface FunctionContext {
  /** The metric queries' series (not expressions), in query order, for METRICS(). */
  readonly metrics: readonly { readonly id: string; readonly points: Series }[];
  readonly length: number;
  readonly periodSeconds: number;
}

/** `args[i]` is undefined where the argument is a word (REPEAT) or a string; `nodes` has them. */
type Fn = (args: readonly (Value | undefined)[], nodes: readonly Node[], ctx: FunctionContext) => Value;

const wordAt = (nodes: readonly Node[], i: number): string | undefined => {
  const n = nodes[i];
  return n?.type === 'word' ? n.name : undefined;
};

const defined = (s: Series): number[] => s.filter((x): x is number => x !== undefined);

function fillLinear(s: Series): Series {
  const out = [...s];
  let last = -1;
  s.forEach((x, i) => {
    if (x === undefined) return;
    if (last >= 0 && i - last > 1) {
      for (let k = last + 1; k < i; k++) out[k] = s[last]! + ((x - s[last]!) * (k - last)) / (i - last);
    }
    last = i;
  });
  return out;
}

function fillRepeat(s: Series): Series {
  let previous: number | undefined;
  return s.map((x) => {
    if (x !== undefined) previous = x;
    return previous;
  });
}

const FILL: Fn = ([target, filler], nodes) => {
  const word = wordAt(nodes, 1);
  if (!target || (filler === undefined && !word))
    throw new Error('Metric math: FILL takes a time series and a value, a time series, REPEAT or LINEAR.');
  if (word === 'REPEAT') return mapSeries(target, 'FILL', fillRepeat);
  if (word === 'LINEAR') return mapSeries(target, 'FILL', fillLinear);
  if (word) throw new Error(`Metric math: FILL does not know ${word}; use a number, a time series, REPEAT or LINEAR.`);
  const f = filler!;
  const by = f.kind === 'scalar' ? () => finite(f.value) : (i: number) => toSeries(f, 'FILL value')[i];
  return mapSeries(target, 'FILL', (s) => s.map((x, i) => x ?? by(i)));
};

/** IF(condition, trueValue, falseValue?) per the guide's table for each argument kind. */
const IF: Fn = ([cond, yes, no]) => {
  if (!cond || !yes) throw new Error('Metric math: IF takes a condition, a value if true and optionally a value if false.');
  if (cond.kind === 'scalar') return cond.value !== 0 ? yes : (no ?? series([]));
  const c = toSeries(cond, 'IF condition');
  const pick = (v: Value | undefined, i: number, missingAs: number | undefined) =>
    v === undefined ? undefined : v.kind === 'scalar' ? v.value : (toSeries(v, 'IF value')[i] ?? missingAs);
  return series(c.map((x, i) => (x === undefined ? undefined : x !== 0 ? pick(yes, i, 0) : pick(no, i, undefined))));
};

function aggregate(name: string, ofValues: (xs: number[]) => number, perSlot: (xs: (number | undefined)[]) => number | undefined): Fn {
  return ([arg], _nodes, ctx) => {
    if (!arg) throw new Error(`Metric math: ${name} takes a time series or an array of time series.`);
    if (arg.kind === 'series') return scalar(ofValues(defined(arg.points)));
    const list = eachSeries(arg, name);
    return series(
      Array.from({ length: ctx.length }, (_, i) => {
        const xs = list.map((s) => s[i]);
        return xs.every((x) => x === undefined) ? undefined : perSlot(xs);
      }),
    );
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const zeroed = (xs: (number | undefined)[]) => xs.map((x) => x ?? 0);

function elementwise(name: string, f: (x: number) => number): Fn {
  return ([arg]) => mapSeries(arg ?? scalar(NaN), name, (s) => s.map((x) => (x === undefined ? undefined : finite(f(x)))));
}

export const FUNCTIONS: Record<string, Fn> = {
  FILL,
  IF,
  SUM: aggregate('SUM', sum, (xs) => sum(zeroed(xs))),
  AVG: aggregate(
    'AVG',
    (xs) => sum(xs) / xs.length,
    (xs) => sum(zeroed(xs)) / xs.length,
  ),
  MAX: aggregate(
    'MAX',
    (xs) => Math.max(...xs),
    (xs) => Math.max(...defined(xs)),
  ),
  MIN: aggregate(
    'MIN',
    (xs) => Math.min(...xs),
    (xs) => Math.min(...defined(xs)),
  ),
  ABS: elementwise('ABS', Math.abs),
  CEIL: elementwise('CEIL', Math.ceil),
  FLOOR: elementwise('FLOOR', Math.floor),
  LOG: elementwise('LOG', Math.log),
  LOG10: elementwise('LOG10', Math.log10),
  METRICS: (_args, nodes, ctx) => {
    const filter = nodes[0];
    if (nodes.length > 1 || (filter && filter.type !== 'string')) {
      throw new Error('Metric math: METRICS takes nothing or a string, e.g. METRICS("errors").');
    }
    const wanted = filter?.type === 'string' ? filter.value : '';
    return { kind: 'array', list: ctx.metrics.filter((m) => m.id.includes(wanted)).map((m) => m.points) };
  },
  TIME_SERIES: ([value], _nodes, ctx) => {
    if (value?.kind !== 'scalar') throw new Error('Metric math: TIME_SERIES takes a scalar.');
    return series(Array.from({ length: ctx.length }, () => finite(value.value)));
  },
  PERIOD: (_args, _nodes, ctx) => scalar(ctx.periodSeconds),
  DATAPOINT_COUNT: aggregate(
    'DATAPOINT_COUNT',
    (xs) => xs.length,
    (xs) => defined(xs).length,
  ),
};
