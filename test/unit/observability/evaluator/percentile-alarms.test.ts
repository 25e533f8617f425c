/**
 * Percentile alarms and low sample counts.
 * Source: Amazon CloudWatch User Guide, "Percentile-based CloudWatch alarms and low data samples",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/percentiles-with-low-samples.html
 * "For percentiles between 0.5 (inclusive) and 1.00 (exclusive), this setting is used when there are
 * fewer than 10/(1-percentile) data points during the evaluation period. For example, this setting
 * would be used if there were fewer than 1000 samples for an alarm on a p99 percentile. For
 * percentiles between 0 and 0.5 (exclusive), the setting is used when there are fewer than
 * 10/percentile data points."
 */
import { AlarmEvaluator } from '../../../../observability/evaluator';
import { lowSampleThreshold } from '../../../../observability/evaluator/stats/statistic';
import { at, sample, thresholdAlarm } from './helpers/alarms';

describe('low sample count threshold', () => {
  it.each([
    [99, 1000],
    [95, 200],
    [50, 20],
    [10, 100],
    [25, 40],
    [0, 0],
    [100, 0],
  ])('p%s is "low sample" below %s samples', (p, samples) => {
    expect(lowSampleThreshold(p)).toBeCloseTo(samples, 9);
  });
});

describe('evaluateLowSampleCountPercentiles', () => {
  /** A p99 > 100 ms alarm over one minute, fed `n` slow samples in the minute before 09:05. */
  function p99After(n: number, lowSample?: 'evaluate' | 'ignore') {
    const alarm = thresholdAlarm({
      statistic: undefined,
      extendedStatistic: 'p99',
      period: 60,
      threshold: 100,
      evaluateLowSampleCountPercentiles: lowSample,
    });
    const evaluator = new AlarmEvaluator([alarm], { start: at(5) });
    evaluator.setAlarmState(alarm.name, 'OK', 'test set-up');
    evaluator.put(Array.from({ length: n }, (_, i) => sample(at(4, i % 60), 500)));
    evaluator.advanceTo(at(5));
    return evaluator.status(alarm.name).state;
  }

  it('evaluates a percentile over few samples by default', () => {
    expect(p99After(10)).toBe('ALARM');
  });

  it('keeps the state while the sample count is below 10/(1-p) with ignore', () => {
    expect(p99After(999, 'ignore')).toBe('OK');
  });

  it('evaluates again once the period holds 10/(1-p) samples with ignore', () => {
    expect(p99After(1000, 'ignore')).toBe('ALARM');
  });

  it('refuses a value other than evaluate or ignore', () => {
    const alarm = thresholdAlarm({ statistic: undefined, extendedStatistic: 'p99', evaluateLowSampleCountPercentiles: 'skip' });
    expect(() => new AlarmEvaluator([alarm], { start: at(0) })).toThrow(
      /evaluateLowSampleCountPercentiles "skip" is not one of evaluate, ignore/,
    );
  });
});
