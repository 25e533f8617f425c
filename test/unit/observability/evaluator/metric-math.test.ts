/**
 * Metric math as the user guide defines it, with its examples encoded literally.
 * Source: Amazon CloudWatch User Guide, "Metric math syntax and functions" and "Using IF expressions",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 * (its source: github.com/awsdocs/amazon-cloudwatch-user-guide, doc_source/using-metric-math.md).
 */
import { evaluateSeries } from '../../../../observability/evaluator/math/evaluate';
import { parseExpression } from '../../../../observability/evaluator/math/parser';
import type { Series } from '../../../../observability/evaluator/math/values';

/** `[30, -, 20]` → series; `-` is no datapoint. */
const ts = (text: string): Series =>
  text
    .replace(/[[\]]/g, '')
    .split(',')
    .map((x) => (x.trim() === '-' ? undefined : Number(x)));
const show = (s: Series) => `[${s.map((x) => (x === undefined ? '-' : String(x))).join(', ')}]`;

function math(expression: string, series: Record<string, string>): string {
  const data = Object.fromEntries(Object.entries(series).map(([id, text]) => [id, ts(text)]));
  const length = Object.values(data)[0]?.length ?? 3;
  const env = {
    metrics: Object.entries(data).map(([id, points]) => ({ id, points })),
    length,
    periodSeconds: 300,
    resolve: (id: string) =>
      data[id] ??
      ((): never => {
        throw new Error(`no ${id}`);
      })(),
  };
  return show(evaluateSeries(parseExpression(expression), env));
}

describe("comparison and logical operators (the guide's table)", () => {
  const series = { metric1: '[30, 20, 0, 0]', metric2: '[20, -, 20, -]' };
  it.each([
    ['(metric1 < metric2)', '[0, 0, 1, 0]'],
    ['(metric1 >= 30)', '[1, 0, 0, 0]'],
    ['(metric1 > 15 AND metric2 > 15)', '[1, 0, 0, 0]'],
    ['metric1 > 15 && metric2 > 15', '[1, 0, 0, 0]'],
    ['metric1 == 0 OR metric2 != 20', '[0, 0, 1, 1]'],
  ])('%s is %s', (expression, expected) => {
    expect(math(expression, series)).toBe(expected);
  });
});

describe("IF (the guide's tables)", () => {
  const series = { metric1: '[1, 1, 0, 0, -]', metric2: '[30, -, 0, 0, 30]', metric3: '[0, 0, 20, -, 20]' };
  it.each([
    ['IF(metric1, metric2, metric3)', '[30, 0, 20, -, -]'],
    ['IF(metric1, 5, metric3)', '[5, 5, 20, -, -]'],
    ['IF(metric1, metric2, 5)', '[30, 0, 5, 5, -]'],
    ['IF(metric1, metric2)', '[30, 0, -, -, -]'],
    ['IF(metric2 > 10, 1, 0)', '[1, -, 0, 0, 1]'],
    ['IF(1, metric2, metric3)', '[30, -, 0, 0, 30]'],
    ['IF(0, metric2)', '[-, -, -, -, -]'],
  ])('%s is %s', (expression, expected) => {
    expect(math(expression, series)).toBe(expected);
  });
});

describe('arithmetic', () => {
  const series = { a: '[10, -, 4, -]', b: '[2, 3, 0, -]' };
  it.each([
    ['a + b', '[12, 3, 4, -]'], // a missing value counts as 0 when the other series has a datapoint
    ['a - b', '[8, -3, 4, -]'],
    ['a / b', '[5, 0, -, -]'], // dividing by zero drops the datapoint
    ['100 * a / b', '[500, 0, -, -]'],
    ['a * 2 + 1', '[21, -, 9, -]'], // a scalar keeps the gaps
    ['-a', '[-10, -, -4, -]'],
    ['a ^ 2', '[100, -, 16, -]'],
    ['2 + 3 * b', '[8, 11, 2, -]'], // * before +
    ['-2 ^ 2 + b', '[-2, -1, -4, -]'], // ^ before unary minus
    ['(a + b) * 2', '[24, 6, 8, -]'],
  ])('%s is %s', (expression, expected) => {
    expect(math(expression, series)).toBe(expected);
  });
});

describe('FILL', () => {
  const series = { m: '[-, 2, -, -, 8, -]', other: '[7, 7, 7, 7, 7, 7]' };
  it.each([
    ['FILL(m, 0)', '[0, 2, 0, 0, 8, 0]'],
    ['FILL(m, other)', '[7, 2, 7, 7, 8, 7]'],
    ['FILL(m, REPEAT)', '[-, 2, 2, 2, 8, 8]'],
    ['FILL(m, LINEAR)', '[-, 2, 4, 6, 8, -]'],
    ['FILL(METRICS(), 1)', '[1, 2, 1, 1, 8, 1]'],
  ])('%s is %s', (expression, expected) => {
    const result = math(expression.includes('METRICS') ? `SUM(${expression}) - 7` : expression, series);
    expect(result).toBe(expected);
  });
});

describe('functions over arrays and METRICS()', () => {
  const series = { errors4xx: '[1, -, 3]', errors5xx: '[2, 2, -]', requests: '[10, 10, -]' };
  it.each([
    ['SUM([errors4xx, errors5xx])', '[3, 2, 3]'],
    ['SUM(METRICS("errors"))', '[3, 2, 3]'],
    ['MAX(METRICS())', '[10, 10, 3]'],
    ['MIN([errors4xx, errors5xx])', '[1, 2, 3]'],
    ['AVG([errors4xx, errors5xx])', '[1.5, 1, 1.5]'], // missing values count as 0
    ['errors5xx - AVG(errors5xx)', '[0, 0, -]'], // AVG of one series is a scalar
    ['100 * SUM(METRICS("errors")) / requests', '[30, 20, -]'],
    ['TIME_SERIES(4)', '[4, 4, 4]'],
    ['ABS(0 - errors4xx)', '[1, -, 3]'],
    ['requests / PERIOD(requests)', '[0.03333333333333333, 0.03333333333333333, -]'],
  ])('%s is %s', (expression, expected) => {
    expect(math(expression, series)).toBe(expected);
  });
});

describe('the expressions the program deploys', () => {
  it('gives no error rate for a window without outcomes, and 100 % for one failure of one', () => {
    const expression = '100 * (FILL(failed,0) + FILL(timeout,0)) / (FILL(completed,0) + FILL(failed,0) + FILL(timeout,0))';
    expect(math(expression, { completed: '[-, 19, -]', failed: '[-, 1, 1]', timeout: '[-, -, -]' })).toBe('[-, 5, 100]');
  });

  it('guards the 5xx rate with a minimum volume', () => {
    const expression = 'IF(FILL(requests,0) >= 20, 100 * FILL(errors,0) / requests, 0)';
    expect(math(expression, { requests: '[-, 10, 40]', errors: '[-, 10, 4]' })).toBe('[0, 0, 10]');
  });
});

describe('errors', () => {
  it.each([
    ['m1 +', /expected a value at the end/],
    ['FILL(m1, 0', /expected "\)" at the end/],
    ['m1 $ 2', /unexpected character at position 4/],
    ['RATE(m1)', /function RATE is not supported by the evaluator/],
    ['AVG(m1)', /must be a single time series, not a scalar/],
    ['METRICS()', /must be a single time series, not an array of time series/],
    ['REPEAT', /REPEAT is not a value here/],
    ['FILL(m1, SOMETIMES)', /FILL does not know SOMETIMES/],
  ])('%s fails with a message that says why', (expression, message) => {
    expect(() => math(expression, { m1: '[1, 2]', m2: '[3, 4]' })).toThrow(message);
  });
});
