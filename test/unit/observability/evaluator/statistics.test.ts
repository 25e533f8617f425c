/**
 * Statistics over one period, as the user guide defines them.
 * Source: "CloudWatch statistics definitions",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
 */
import { computeStatistic, type PeriodSamples } from '../../../../observability/evaluator/stats/compute';
import { parseStatistic } from '../../../../observability/evaluator/stats/statistic';

const values = (...xs: number[]): PeriodSamples => ({ values: xs.map((x) => [x, 1] as const), sets: [] });
const oneToHundred = values(...Array.from({ length: 100 }, (_, i) => i + 1));
const stat = (name: string, samples: PeriodSamples) => computeStatistic(parseStatistic(name), samples).value;

describe('simple statistics', () => {
  const mixed: PeriodSamples = {
    values: [
      [2, 3],
      [10, 1],
    ],
    sets: [{ sampleCount: 4, sum: 20, minimum: 1, maximum: 9 }],
  };

  it.each([
    ['SampleCount', 8],
    ['Sum', 36],
    ['Average', 4.5],
    ['Minimum', 1],
    ['Maximum', 10],
  ])('computes %s over values with counts and statistic sets', (name, expected) => {
    expect(stat(name, mixed)).toBe(expected);
  });
});

describe('percentiles', () => {
  it.each([
    ['p50', 50],
    ['p90', 90],
    ['p99', 99],
    ['p100', 100],
    ['p0', 1],
    ['p99.5', 100],
    ['p12.5', 13],
  ])('takes %s as the largest value of that share of the data (nearest rank)', (name, expected) => {
    expect(stat(name, oneToHundred)).toBe(expected);
  });

  it('weighs a value by its count', () => {
    expect(
      stat('p75', {
        values: [
          [1, 3],
          [100, 1],
        ],
        sets: [],
      }),
    ).toBe(1);
  });

  it('counts a statistic set whose values are all equal (Min = Max, Sum = Min × SampleCount)', () => {
    expect(stat('p50', { values: [[1, 1]], sets: [{ sampleCount: 3, sum: 15, minimum: 5, maximum: 5 }] })).toBe(5);
  });

  it('has no value when a statistic set hides its raw values', () => {
    expect(stat('p50', { values: [[1, 1]], sets: [{ sampleCount: 2, sum: 5, minimum: 1, maximum: 4 }] })).toBeUndefined();
  });

  it('has no value when a value is negative ("not available … when any of the metric values are negative")', () => {
    expect(stat('p50', values(3, -1, 4))).toBeUndefined();
  });
});

describe('the trimmed family', () => {
  it.each([
    ['tm90', 45.5], // "calculates the average after removing the 10% of data points with the highest values"
    ['TM(2%:98%)', 50.5], // "removing the 2% lowest data points and the 2% highest"
    ['TM(:99%)', 50], // the same as tm99
    ['tm99', 50],
    ['IQM', 50.5], // TM(25%:75%)
    ['TM(10:20)', 15.5], // values above 10 and up to 20
    ['tc90', 90],
    ['TC(80:90)', 10],
    ['ts90', 4095],
    ['PR(:30)', 30], // "the percentage of data points that have a value of 30 or less"
    ['PR(10:20)', 10],
    ['wm98', 50.47], // the top 2 % counted as the 98th percentile's value
  ])('computes %s as defined', (name, expected) => {
    expect(stat(name, oneToHundred)).toBeCloseTo(expected, 10);
  });

  it('excludes the lower fixed boundary and includes the upper ("TM(150:1000)")', () => {
    expect(stat('TM(150:1000)', values(150, 200, 1000, 1001))).toBe(600);
  });
});

describe('statistic names', () => {
  it.each([
    'Sum',
    'p99',
    'p99.9',
    'tm90',
    'TM(10%:90%)',
    'TM(150:1000)',
    'IQM',
    'wm98',
    'WM(10%:90%)',
    'tc90',
    'TC(0.005:0.030)',
    'ts90',
    'TS(80%:)',
    'PR(:300)',
  ])('accepts %s', (name) => {
    expect(() => parseStatistic(name)).not.toThrow();
  });

  it.each([
    ['average', /Unknown statistic "average"/],
    ['p101', /between p0 and p100/],
    ['TM(10%:500)', /both boundaries are percentages or both are values/],
    ['TM(:)', /at least one boundary/],
    ['PR(10%:)', /PR takes values/],
  ])('refuses %s with a message that says why', (name, message) => {
    expect(() => parseStatistic(name)).toThrow(message);
  });
});
