/**
 * Evaluates a parsed metric-math expression over the periods of one alarm evaluation.
 */
import { FUNCTIONS, type FunctionContext } from './functions';
import type { Node } from './parser';
import { applyBinary, negate, scalar, toSeries, type Series, type Value } from './values';

export interface MathEnvironment extends FunctionContext {
  /** The series of a query id (a metric, or another expression's result). */
  resolve(id: string): Series;
}

export const SUPPORTED_FUNCTIONS = Object.keys(FUNCTIONS);

function evaluateNode(node: Node, env: MathEnvironment): Value {
  switch (node.type) {
    case 'number':
      return scalar(node.value);
    case 'ref':
      return { kind: 'series', points: env.resolve(node.id) };
    case 'unary':
      return negate(evaluateNode(node.arg, env));
    case 'binary':
      return applyBinary(node.op, evaluateNode(node.left, env), evaluateNode(node.right, env));
    case 'array':
      return {
        kind: 'array',
        list: node.items.flatMap((n) => {
          const v = evaluateNode(n, env);
          if (v.kind === 'scalar') throw new Error('Metric math: an array holds time series, not scalars.');
          return v.kind === 'array' ? v.list : [v.points];
        }),
      };
    case 'call': {
      const fn = FUNCTIONS[node.name];
      if (!fn)
        throw new Error(
          `Metric math: function ${node.name} is not supported by the evaluator (supported: ${SUPPORTED_FUNCTIONS.join(', ')}).`,
        );
      const args = node.args.map((a) => (a.type === 'word' || a.type === 'string' ? undefined : evaluateNode(a, env)));
      return fn(args, node.args, env);
    }
    case 'word':
      throw new Error(`Metric math: ${node.name} is not a value here (REPEAT and LINEAR go inside FILL).`);
    case 'string':
      throw new Error(`Metric math: the string "${node.value}" is not a value here (strings go inside METRICS).`);
  }
}

/** The time series an expression yields; an alarm needs exactly one. */
export function evaluateSeries(node: Node, env: MathEnvironment): Series {
  const value = evaluateNode(node, env);
  const points = toSeries(value, 'result of an alarm expression');
  return Array.from({ length: env.length }, (_, i) => points[i]);
}
