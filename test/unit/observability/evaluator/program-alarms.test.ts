/**
 * The alarms the program deploys to prod (the offline run through the adapter), driven by the
 * metrics the functions really print (EMF from the metrics recorder), on the evaluator's clock.
 * The last block characterises today's alarms as issue 12 describes them: those tests pin known
 * defects and are meant to be flipped by the change that fixes the alarms.
 */
import { GUIDE_ALERTS } from '../../../../guide';
import { responsePlanName } from '../../../../observability/escalation-stages';
import { topicName } from '../../../../observability/alert-routing';
import { alarmName } from '../../../../observability/monitored-resources';
import { AlarmEvaluator, type AdaptedAlarms, type MetricSample } from '../../../../observability/evaluator';
import { T0, at } from './helpers/alarms';
import { emitted } from './helpers/emitted';
import { programAlarms } from './helpers/program';

const STACK = 'prod';
let prod: AdaptedAlarms;

beforeAll(async () => {
  prod = await programAlarms(STACK);
});

function run(samples: readonly MetricSample[], minutes = 15): AlarmEvaluator {
  const evaluator = new AlarmEvaluator(prod.alarms, { start: T0, region: prod.region, accountId: prod.accountId });
  evaluator.put(samples);
  evaluator.advanceTo(at(minutes));
  return evaluator;
}

const topic = (severity: 'critical' | 'warning') => `arn:aws:sns:${prod.region}:${prod.accountId}:${topicName(STACK, severity)}`;
const responsePlan = () => `arn:aws:ssm-incidents::${prod.accountId}:response-plan/${responsePlanName(STACK)}`;
const alarmActions = (e: AlarmEvaluator, id: string) =>
  e.actions.filter((a) => a.alarmName === alarmName(STACK, id) && a.state === 'ALARM').map((a) => a.arn);
const timeline = (e: AlarmEvaluator, id: string) =>
  e.transitions.filter((t) => t.alarmName === alarmName(STACK, id)).map((t) => `${new Date(t.at).toISOString().slice(11, 16)} ${t.to}`);
const everyMinute = (minutes: number, record: Parameters<typeof emitted>[0]) =>
  Array.from({ length: minutes }, (_, m) => emitted(record, at(m, 10))).flat();

describe('the prod alarms in the evaluator', () => {
  it('accepts every alarm the program deploys', () => {
    const evaluator = run([], 0);
    expect(evaluator.statuses().map((s) => s.name)).toEqual(expect.arrayContaining([alarmName(STACK, 'error-rate'), alarmName(STACK, 'queue-depth')]));
    expect(evaluator.statuses().length).toBe(prod.alarms.length);
  });

  describe(`error rate (guide: > ${GUIDE_ALERTS.errorRate.threshold} % of finished processes in 5 minutes, ${GUIDE_ALERTS.errorRate.severity})`, () => {
    const threshold = GUIDE_ALERTS.errorRate.threshold;
    /** 100 processes finish every minute, `threshold` of them failed: exactly the threshold. */
    const atThreshold = everyMinute(10, (r) => {
      r.add('completed', 100 - threshold);
      r.add('failed', threshold);
    });

    it('stays OK at exactly the threshold', () => {
      expect(alarmActions(run(atThreshold), 'error-rate')).toEqual([]);
    });

    it('goes to ALARM one failure above it, for as long as the failure is in the window, and pages', () => {
      const evaluator = run([...atThreshold, ...emitted((r) => r.add('failed', 1), at(4, 30))]);
      expect(timeline(evaluator, 'error-rate')).toEqual(['09:00 OK', '09:05 ALARM', '09:10 OK']);
      expect(alarmActions(evaluator, 'error-rate')).toEqual([topic('critical'), responsePlan()]);
    });

    it('counts timeouts as errors too', () => {
      const evaluator = run([...atThreshold, ...emitted((r) => r.add('timeout', 1), at(4, 30))]);
      expect(alarmActions(evaluator, 'error-rate')).toEqual([topic('critical'), responsePlan()]);
    });
  });

  describe(`queue depth (guide: > ${GUIDE_ALERTS.queueDepth.threshold} waiting, ${GUIDE_ALERTS.queueDepth.severity})`, () => {
    const threshold = GUIDE_ALERTS.queueDepth.threshold;
    const published = (depthAt: (minute: number) => number) =>
      Array.from({ length: 10 }, (_, m) => emitted((r) => r.add('queueDepth', depthAt(m)), at(m, 5)));

    it('stays OK at the threshold', () => {
      const evaluator = run(published(() => threshold).flat());
      expect([evaluator.status(alarmName(STACK, 'queue-depth')).state, alarmActions(evaluator, 'queue-depth')]).toEqual(['OK', []]);
    });

    it('goes to ALARM the minute after the queue grows past it, notifying the warning topic', () => {
      const evaluator = run(published((m) => (m === 6 ? threshold + 1 : threshold)).flat());
      const fired = evaluator.transitions.find((t) => t.alarmName === alarmName(STACK, 'queue-depth') && t.to === 'ALARM');
      expect([fired?.at, fired?.actions]).toEqual([at(7), [topic('warning')]]);
      expect(fired?.reason).toBe(`Threshold Crossed: 1 datapoint [${threshold + 1}.0 (05/01/26 09:06:00)] was greater than the threshold (${threshold}.0).`);
    });
  });
});

describe('known defects of today\'s alarms (issue 12) — flip these when the alarms are fixed', () => {
  it('DEFECT error-rate has no minimum volume: 1 failure of 1 finished process pages', () => {
    const evaluator = run(emitted((r) => r.add('failed', 1), at(2, 10)));
    expect(alarmActions(evaluator, 'error-rate')).toEqual([topic('critical'), responsePlan()]);
  });

  it('DEFECT one timeout pages twice: error-rate and timeout-rate both notify the critical topic', () => {
    const evaluator = run(emitted((r) => r.add('timeout', 1), at(2, 10)));
    const pages = evaluator.actions.filter((a) => a.state === 'ALARM' && a.arn === topic('critical')).map((a) => a.alarmName).sort();
    expect(pages).toEqual([alarmName(STACK, 'error-rate'), alarmName(STACK, 'timeout-rate')]);
  });
});
