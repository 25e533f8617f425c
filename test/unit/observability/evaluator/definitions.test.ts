/**
 * Metric alarm definitions the way PutMetricAlarm takes them: what it would refuse (and what the
 * evaluator does not model) is an error that names the alarm and the setting.
 */
import { AlarmEvaluator, type MetricAlarmDefinition, type MetricQuery } from '../../../../observability/evaluator';
import { METRIC, at, sample, thresholdAlarm } from './helpers/alarms';

const metric = (id: string, extra: Partial<MetricQuery> = {}): MetricQuery => ({
  id,
  metric: { ...METRIC, stat: 'Sum', period: 300 },
  returnData: false,
  ...extra,
});
const mathAlarm = (queries: MetricQuery[], overrides: Partial<MetricAlarmDefinition> = {}): MetricAlarmDefinition =>
  thresholdAlarm({
    namespace: undefined,
    metricName: undefined,
    dimensions: undefined,
    statistic: undefined,
    period: undefined,
    metricQueries: queries,
    ...overrides,
  });
const build = (definition: MetricAlarmDefinition) => () => new AlarmEvaluator([definition], { start: at(0) });

describe('metric alarm definitions', () => {
  it.each([
    [
      'metric queries next to a single metric',
      thresholdAlarm({ metricQueries: [metric('m1', { returnData: true })] }),
      /give either metricQueries or namespace\/metricName\/statistic\/period/,
    ],
    ['a single metric without a period', thresholdAlarm({ period: undefined }), /needs namespace, metricName and period/],
    [
      'both statistic and extendedStatistic',
      thresholdAlarm({ extendedStatistic: 'p99' }),
      /exactly one of statistic .* and extendedStatistic/,
    ],
    ['an unknown statistic', thresholdAlarm({ statistic: 'Mean' }), /Alarm errors-high, query m1: Unknown statistic "Mean"/],
    ['no query returning data', mathAlarm([metric('m1')]), /exactly one query must have returnData true \(found 0\)/],
    ['two queries returning data', mathAlarm([metric('m1', { returnData: true }), metric('m2', { returnData: true })]), /\(found 2\)/],
    ['an id with a capital', mathAlarm([metric('M1', { returnData: true })]), /query id "M1" must start with a lowercase letter/],
    [
      'a query with metric and expression',
      mathAlarm([metric('m1', { returnData: true, expression: 'm1' })]),
      /query m1 needs exactly one of metric and expression/,
    ],
    [
      'an expression reading an unknown id',
      mathAlarm([metric('m1'), { id: 'e1', expression: 'm1 + m2', returnData: true }]),
      /query e1 reads "m2", which is no query of this alarm/,
    ],
    [
      'expressions in a cycle',
      mathAlarm([metric('m1'), { id: 'e1', expression: 'e2 + m1', returnData: true }, { id: 'e2', expression: 'e1' }]),
      /cycle: e1 → e2 → e1/,
    ],
    [
      'a broken expression',
      mathAlarm([metric('m1'), { id: 'e1', expression: 'm1 +', returnData: true }]),
      /Alarm errors-high, query e1: Metric math "m1 \+": expected a value/,
    ],
    [
      'metrics of different periods',
      mathAlarm([
        metric('m1'),
        { id: 'm2', metric: { ...METRIC, stat: 'Sum', period: 60 } },
        { id: 'e1', expression: 'm1 + m2', returnData: true },
      ]),
      /every metric of an alarm uses the same period; found 300, 60/,
    ],
    [
      'datapointsToAlarm above evaluationPeriods',
      thresholdAlarm({ evaluationPeriods: 2, datapointsToAlarm: 3 }),
      /datapointsToAlarm must be a whole number from 1 to evaluationPeriods \(2\)/,
    ],
    ['no evaluation period', thresholdAlarm({ evaluationPeriods: 0 }), /evaluationPeriods must be a whole number >= 1/],
    [
      'an anomaly-detection comparison',
      thresholdAlarm({ comparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }),
      /is for anomaly-detection alarms, which the evaluator does not model/,
    ],
    [
      'an unknown comparison',
      thresholdAlarm({ comparisonOperator: 'Above' }),
      /comparisonOperator "Above" is not one of GreaterThanOrEqualToThreshold/,
    ],
    [
      'an unknown treatMissingData',
      thresholdAlarm({ treatMissingData: 'zero' }),
      /treatMissingData "zero" is not one of missing, ignore, breaching, notBreaching/,
    ],
    ['a threshold that is no number', thresholdAlarm({ threshold: Number.NaN }), /threshold must be a number/],
  ])('refuses %s', (_what, definition, message) => {
    expect(build(definition)).toThrow(message);
  });

  it('lets the only query of an alarm return data without saying so', () => {
    const evaluator = build(mathAlarm([{ id: 'm1', metric: { ...METRIC, stat: 'Sum', period: 300 } }]))();
    evaluator.put(sample(at(0, 10), 9));
    evaluator.advanceTo(at(1));
    expect(evaluator.status('errors-high').state).toBe('ALARM');
  });

  it('evaluates an expression that reads another expression', () => {
    const evaluator = build(
      mathAlarm([metric('m1'), { id: 'e2', expression: 'e1 * 2', returnData: true }, { id: 'e1', expression: 'm1 + 1' }]),
    )();
    evaluator.put(sample(at(0, 10), 2)); // (2 + 1) * 2 = 6 > 5
    evaluator.advanceTo(at(1));
    expect(evaluator.transitions[0]?.evaluatedDatapoints?.map((d) => d.value)).toEqual([6]);
  });
});
