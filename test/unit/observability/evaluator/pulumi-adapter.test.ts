/**
 * The Pulumi adapter on resources shaped as the offline run records them: inputs as the program
 * set them, ARNs computed by AWS replaced by the mocks' placeholders.
 */
import { AlarmEvaluator, alarmsFromResources, type CapturedResource } from '../../../../observability/evaluator';
import { METRIC, at, sample } from './helpers/alarms';

const PLACEHOLDER = (service: string, logical: string) => `arn:aws:${service}:eu-west-1:111122223333:${logical}`;

const resources: CapturedResource[] = [
  { type: 'aws:sns/topic:Topic', name: 'alerting-critical', inputs: { name: 'Team-critical' } },
  {
    type: 'aws:cloudwatch/metricAlarm:MetricAlarm',
    name: 'alarms-errors',
    inputs: {
      name: 'Team-errors',
      ...METRIC,
      statistic: 'Sum',
      period: 60,
      evaluationPeriods: 1,
      threshold: 5,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [],
      okActions: [],
    },
  },
  {
    type: 'aws:cloudwatch/metricAlarm:MetricAlarm',
    name: 'alarms-maintenance',
    inputs: {
      name: 'Team-maintenance',
      metricQueries: [{ id: 'm', returnData: true, metric: { ...METRIC, metricName: 'Maintenance', stat: 'Maximum', period: 60 } }],
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    },
  },
  {
    type: 'aws:cloudwatch/compositeAlarm:CompositeAlarm',
    name: 'alarms-page',
    inputs: {
      alarmName: 'Team-page',
      alarmRule: `ALARM(${PLACEHOLDER('cloudwatch', 'alarms-errors')})`,
      alarmActions: [PLACEHOLDER('sns', 'alerting-critical')],
      okActions: [PLACEHOLDER('sns', 'alerting-critical')],
      actionsSuppressor: { alarm: PLACEHOLDER('cloudwatch', 'alarms-maintenance'), waitPeriod: 0, extensionPeriod: 60 },
    },
  },
  { type: 'aws:s3/bucket:Bucket', name: 'unrelated', inputs: {} },
];

describe('alarmsFromResources', () => {
  const adapted = alarmsFromResources(resources);
  const page = adapted.alarms.find((a) => a.name === 'Team-page');

  it('turns every metric and composite alarm into a definition named as deployed', () => {
    expect(adapted.alarms.map((a) => [a.kind, a.name, a.arn])).toEqual([
      ['metric', 'Team-errors', 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:Team-errors'],
      ['metric', 'Team-maintenance', 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:Team-maintenance'],
      ['composite', 'Team-page', 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:Team-page'],
    ]);
  });

  it("replaces the mocks' placeholder ARNs by the ARNs AWS would give, in actions, rules and suppressors", () => {
    expect(page).toMatchObject({
      alarmRule: 'ALARM(arn:aws:cloudwatch:eu-west-1:111122223333:alarm:Team-errors)',
      alarmActions: ['arn:aws:sns:eu-west-1:111122223333:Team-critical'],
      actionsSuppressor: { alarm: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:Team-maintenance', waitPeriod: 0, extensionPeriod: 60 },
    });
    expect(adapted.targets.get('arn:aws:sns:eu-west-1:111122223333:Team-critical')).toEqual({
      arn: 'arn:aws:sns:eu-west-1:111122223333:Team-critical',
      type: 'aws:sns/topic:Topic',
      logicalName: 'alerting-critical',
      resourceName: 'Team-critical',
    });
  });

  it('gives definitions the evaluator runs: the composite pages through the topic when its child fires', () => {
    const evaluator = new AlarmEvaluator(adapted.alarms, { start: at(0), region: adapted.region, accountId: adapted.accountId });
    evaluator.put(sample(at(2, 30), 9));
    evaluator.advanceTo(at(10));
    expect(evaluator.actions.map((a) => [a.alarmName, a.state, a.arn])).toEqual([
      ['Team-page', 'OK', 'arn:aws:sns:eu-west-1:111122223333:Team-critical'],
      ['Team-page', 'ALARM', 'arn:aws:sns:eu-west-1:111122223333:Team-critical'],
      ['Team-page', 'OK', 'arn:aws:sns:eu-west-1:111122223333:Team-critical'],
    ]);
  });

  it('rewrites dimension values when asked (a mocked id to the local one)', () => {
    const { alarms } = alarmsFromResources(resources, { dimensionValue: (name, value) => (name === 'service' ? `${value}-local` : value) });
    expect(alarms[0]).toMatchObject({ dimensions: { service: 'svc-local' } });
  });

  it.each(['thresholdMetricId', 'warmUpConfiguration', 'evaluationCriteria'])(
    'refuses an alarm that uses %s, which it does not model',
    (key) => {
      const alarm = { ...resources[1]!, inputs: { ...resources[1]!.inputs, [key]: 'x' } };
      expect(() => alarmsFromResources([alarm])).toThrow(`Alarm Team-errors (alarms-errors): ${key} is not modelled by the evaluator.`);
    },
  );
});
