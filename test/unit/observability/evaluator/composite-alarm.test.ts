/**
 * Composite alarms on the evaluator's clock: they follow their children in the same instant, take
 * their own actions, and honour an actions suppressor.
 * Sources: "Creating a composite alarm",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm.html, and
 * "Suppressing composite alarm actions",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Composite_Alarm_Suppression.html
 */
import { AlarmEvaluator, type AlarmDefinition, type CompositeAlarmDefinition } from '../../../../observability/evaluator';
import { METRIC, at, sample, thresholdAlarm } from './helpers/alarms';

const PAGE = 'arn:aws:sns:us-east-1:123456789012:page';
const errors = thresholdAlarm({ name: 'errors', period: 60, treatMissingData: 'notBreaching', alarmActions: [], okActions: [] });
const latency = thresholdAlarm({
  name: 'latency',
  metricName: 'Latency',
  period: 60,
  threshold: 1000,
  treatMissingData: 'notBreaching',
  alarmActions: [],
  okActions: [],
});
const maintenance = thresholdAlarm({
  name: 'maintenance',
  metricName: 'Maintenance',
  period: 60,
  threshold: 0,
  treatMissingData: 'notBreaching',
  alarmActions: [],
  okActions: [],
});

const composite = (overrides: Partial<CompositeAlarmDefinition> = {}): CompositeAlarmDefinition => ({
  kind: 'composite',
  name: 'service-down',
  alarmRule: 'ALARM(errors) OR ALARM(latency)',
  alarmActions: [PAGE],
  okActions: [PAGE],
  ...overrides,
});

const errorsAt = (minute: number) => sample(at(minute, 30), 9);
const metricAt = (metricName: string, minute: number, value: number) => ({ ...METRIC, metricName, timestamp: at(minute, 30), value });

function run(definitions: AlarmDefinition[], samples: ReturnType<typeof errorsAt>[], until = 20) {
  const evaluator = new AlarmEvaluator(definitions, { start: at(0) });
  evaluator.put(samples);
  evaluator.advanceTo(at(until));
  return evaluator;
}

const timeline = (e: AlarmEvaluator, name: string) =>
  e.transitions.filter((t) => t.alarmName === name).map((t) => `${new Date(t.at).toISOString().slice(11, 16)} ${t.to}`);

describe('composite alarms', () => {
  it('change state in the same evaluation as the child that flips them', () => {
    const evaluator = run([errors, latency, composite()], [errorsAt(2)]);
    expect(timeline(evaluator, 'errors')).toEqual(['09:00 OK', '09:03 ALARM', '09:06 OK']);
    expect(timeline(evaluator, 'service-down')).toEqual(['09:00 OK', '09:03 ALARM', '09:06 OK']);
  });

  it('say which child flipped them, as CloudWatch does', () => {
    const evaluator = run([errors, latency, composite()], [errorsAt(2)]);
    const paged = evaluator.transitions.find((t) => t.alarmName === 'service-down' && t.to === 'ALARM');
    expect(paged?.reason).toBe(
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors transitioned to ALARM at Monday 05 January, 2026 09:03:00 UTC',
    );
  });

  it('page once for an incident that fires several children', () => {
    const evaluator = run([errors, latency, composite()], [errorsAt(2), metricAt('Latency', 3, 5000)]);
    expect(evaluator.actions.filter((a) => a.state === 'ALARM').map((a) => [a.alarmName, a.arn])).toEqual([['service-down', PAGE]]);
  });

  it('can read other composites, alarm ARNs and NOT', () => {
    const outer = composite({
      name: 'page',
      alarmRule: 'ALARM("service-down") AND NOT ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:maintenance)',
    });
    const quiet = run(
      [outer, errors, latency, maintenance, composite({ alarmActions: [], okActions: [] })],
      [errorsAt(2), metricAt('Maintenance', 2, 1)],
    );
    const loud = run([outer, errors, latency, maintenance, composite({ alarmActions: [], okActions: [] })], [errorsAt(2)]);
    expect([timeline(quiet, 'page'), timeline(loud, 'page')]).toEqual([['09:00 OK'], ['09:00 OK', '09:03 ALARM', '09:06 OK']]);
  });

  it('hold a state set by setAlarmState until a child changes (the next evaluation of a composite)', () => {
    const evaluator = run([errors, latency, composite()], [], 2);
    evaluator.setAlarmState('service-down', 'ALARM', 'Testing the page');
    evaluator.advanceTo(at(5));
    const held = evaluator.status('service-down').state;
    evaluator.put(errorsAt(5));
    evaluator.advanceTo(at(10));
    expect([held, timeline(evaluator, 'service-down')]).toEqual(['ALARM', ['09:00 OK', '09:02 ALARM', '09:09 OK']]);
  });

  it.each([
    ['an alarm that does not exist', [composite({ alarmRule: 'ALARM(nope)' })], /Composite alarm service-down: no alarm is named nope/],
    [
      'a cycle',
      [composite({ alarmRule: 'ALARM(other)' }), composite({ name: 'other', alarmRule: 'ALARM(service-down)' })],
      /read each other in a cycle: service-down → other → service-down/,
    ],
    ['a bad rule', [composite({ alarmRule: 'ALARM(errors) AND' })], /Composite alarm service-down: Alarm rule "ALARM\(errors\) AND"/],
    ['two alarms of one name', [errors, { ...errors }], /Two alarms are named errors/],
  ])('are refused for %s', (_what, definitions, message) => {
    expect(() => new AlarmEvaluator([errors, latency, ...definitions], { start: at(0) })).toThrow(message);
  });
});

describe('composite action suppression', () => {
  const suppressed = (waitPeriod: number, extensionPeriod: number) =>
    composite({ alarmRule: 'ALARM(errors)', actionsSuppressor: { alarm: 'maintenance', waitPeriod, extensionPeriod } });
  const pages = (e: AlarmEvaluator) => e.actions.filter((a) => a.state === 'ALARM').map((a) => new Date(a.at).toISOString().slice(11, 19));

  it('takes no action while the suppressor is in ALARM', () => {
    const maintenanceFor = Array.from({ length: 10 }, (_, i) => metricAt('Maintenance', 1 + i, 1));
    const evaluator = run([errors, maintenance, suppressed(0, 0)], [...maintenanceFor, errorsAt(2)]);
    const paged = evaluator.transitions.find((t) => t.alarmName === 'service-down' && t.to === 'ALARM');
    expect([paged?.actionsSuppressedBy, pages(evaluator)]).toEqual(['Alarm', []]);
  });

  it('waits for the suppressor during WaitPeriod, then acts if it never came', () => {
    const evaluator = run([errors, maintenance, suppressed(120, 0)], [errorsAt(2), errorsAt(3), errorsAt(4), errorsAt(5)]);
    expect(pages(evaluator)).toEqual(['09:05:00']);
  });

  it('stays silent when the suppressor goes to ALARM within WaitPeriod', () => {
    const evaluator = run([errors, maintenance, suppressed(120, 0)], [errorsAt(2), errorsAt(3), metricAt('Maintenance', 3, 1)]);
    expect(pages(evaluator)).toEqual([]);
  });

  it('acts after ExtensionPeriod once the suppressor leaves ALARM, if the composite is still in ALARM', () => {
    const errorsFor = Array.from({ length: 15 }, (_, i) => errorsAt(2 + i));
    const evaluator = run([errors, maintenance, suppressed(0, 180)], [metricAt('Maintenance', 1, 1), ...errorsFor]);
    // maintenance: ALARM 09:02, OK 09:05 (its one breaching minute has left the 3-minute evaluation range),
    // then 180 s of extension while errors stay in ALARM.
    expect([timeline(evaluator, 'maintenance'), pages(evaluator)]).toEqual([['09:00 OK', '09:02 ALARM', '09:05 OK'], ['09:08:00']]);
  });
});
