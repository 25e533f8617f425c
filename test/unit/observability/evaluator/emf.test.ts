/**
 * EMF lines → samples: what the functions print (through the real metrics recorder) becomes the
 * samples CloudWatch would extract.
 * Source: "Specification: Embedded metric format",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { METRIC_DIMENSIONS, METRIC_NAMESPACE, METRICS, TYPE_DIMENSION } from '../../../../guide';
import { samplesFromEmf } from '../../../../observability/evaluator';
import { emitted } from './helpers/emitted';

describe('samplesFromEmf', () => {
  it('reads the metrics the functions print, with namespace, dimensions, unit and timestamp', () => {
    const before = Date.now();
    const samples = emitted((r) => {
      r.add('failed', 1);
      r.addWith('duration', 1234, { name: TYPE_DIMENSION, value: 'TASK_GENERATION' });
    });
    expect(samples.map(({ timestamp, ...rest }) => rest)).toEqual(
      expect.arrayContaining([
        { namespace: METRIC_NAMESPACE, metricName: METRICS.failed.name, dimensions: { ...METRIC_DIMENSIONS }, value: 1, unit: 'Count' },
        {
          namespace: METRIC_NAMESPACE,
          metricName: METRICS.duration.name,
          dimensions: { ...METRIC_DIMENSIONS, [TYPE_DIMENSION]: 'TASK_GENERATION' },
          value: 1234,
          unit: 'Milliseconds',
        },
      ]),
    );
    expect(samples.every((s) => s.timestamp >= before && s.timestamp <= Date.now())).toBe(true);
  });

  it('gives one sample per dimension set and per value of an array', () => {
    const doc = {
      _aws: {
        Timestamp: 1_000,
        CloudWatchMetrics: [
          { Namespace: 'App', Dimensions: [['a'], ['a', 'b'], []], Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }] },
        ],
      },
      a: 'x',
      b: 'y',
      Latency: [10, 20],
    };
    const samples = samplesFromEmf(JSON.stringify(doc));
    expect(samples.map((s) => `${JSON.stringify(s.dimensions)}=${s.value}`)).toEqual([
      '{"a":"x"}=10',
      '{"a":"x"}=20',
      '{"a":"x","b":"y"}=10',
      '{"a":"x","b":"y"}=20',
      '{}=10',
      '{}=20',
    ]);
  });

  it('skips log lines and text, and can move samples to another clock', () => {
    const emf = JSON.stringify({
      _aws: { Timestamp: 5, CloudWatchMetrics: [{ Namespace: 'App', Dimensions: [], Metrics: [{ Name: 'N' }] }] },
      N: 2,
    });
    const text = ['START RequestId: 1', '{"level":"INFO","message":"hi"}', 'not { json', emf, ''].join('\n');
    expect(samplesFromEmf(text, { timestamp: 42 })).toEqual([
      { namespace: 'App', metricName: 'N', dimensions: {}, timestamp: 42, value: 2, unit: 'None' },
    ]);
    expect(samplesFromEmf(text, { timestamp: (t) => 1_000 + t * 60 }).map((s) => s.timestamp)).toEqual([1_300]);
  });

  it.each([
    [
      { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'App', Dimensions: [['a']], Metrics: [{ Name: 'N' }] }] },
      { N: 1 },
      /line 1: dimension "a" needs a string value/,
    ],
    [
      { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'App', Dimensions: [], Metrics: [{ Name: 'N' }] }] },
      { N: 'one' },
      /line 1: metric "N" needs a number/,
    ],
    [{ CloudWatchMetrics: [] }, {}, /line 1: _aws.Timestamp must be milliseconds/],
    [{ Timestamp: 1, CloudWatchMetrics: [{ Dimensions: [], Metrics: [] }] }, {}, /line 1: a CloudWatchMetrics directive needs Namespace/],
  ])('names the line and the problem of a broken EMF document (%#)', (aws, fields, message) => {
    expect(() => samplesFromEmf([JSON.stringify({ _aws: aws, ...fields })])).toThrow(message);
  });
});
