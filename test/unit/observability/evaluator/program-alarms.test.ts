/**
 * The alarms the program deploys to prod (the offline run through the adapter), driven by the
 * metrics the functions really print (EMF from the metrics recorder), on the evaluator's clock.
 * The last block holds the regression tests of the defects issue 12 found (they were pinned here as
 * characterisations until the alarms were fixed).
 */
import { GUIDE_ALERTS, RATE_VOLUME } from '../../../../guide';
import { topicName } from '../../../../observability/alert-routing';
import { alarmName } from '../../../../observability/monitored-resources';
import { AlarmEvaluator, type AdaptedAlarms, type MetricSample } from '../../../../observability/evaluator';
import { alarmSpecs } from '../../../../observability/alarms/catalog';
import { reviewResources } from '../../../../tools/review-stacks';
import { T0, at } from './helpers/alarms';
import { emitted } from './helpers/emitted';
import { programAlarms } from './helpers/program';

const STACK = 'prod';
let prod: AdaptedAlarms;

beforeAll(async () => {
  prod = await programAlarms(STACK);
});

/**
 * The queue monitor's minute: QueueDepth published every minute, from before the alarms exist
 * (without it the database canary, queue-monitor-silent, fires).
 */
const HISTORY_MINUTES = 10;
const queueMonitor = (minutes: number) =>
  Array.from({ length: minutes + HISTORY_MINUTES }, (_, m) => emitted((r) => r.add('queueDepth', 0), at(m - HISTORY_MINUTES, 5))).flat();

/** Alarms whose metrics only AWS produces (backup, Aurora, …) have no samples here: they are not judged. */
let awsOnly: Set<string>;
beforeAll(() => {
  awsOnly = new Set(
    alarmSpecs(reviewResources(STACK))
      .filter((s) => s.awsOnly)
      .map((s) => s.name),
  );
});
const fired = (e: AlarmEvaluator) => [
  ...new Set(e.transitions.filter((t) => t.to === 'ALARM' && !awsOnly.has(t.alarmName)).map((t) => t.alarmName)),
];

function run(samples: readonly MetricSample[], minutes = 15): AlarmEvaluator {
  const evaluator = new AlarmEvaluator(prod.alarms, { start: T0, region: prod.region, accountId: prod.accountId });
  evaluator.put([...queueMonitor(minutes + 1), ...samples]);
  evaluator.advanceTo(at(minutes));
  return evaluator;
}

const topic = (severity: 'critical' | 'warning') => `arn:aws:sns:${prod.region}:${prod.accountId}:${topicName(STACK, severity)}`;
/** Everything that reached the critical topic (PagerDuty) on ALARM, by alarm. */
const pages = (e: AlarmEvaluator) => e.actions.filter((a) => a.state === 'ALARM' && a.arn === topic('critical')).map((a) => a.alarmName);
const alarmActions = (e: AlarmEvaluator, id: string) =>
  e.actions.filter((a) => a.alarmName === alarmName(STACK, id) && a.state === 'ALARM').map((a) => a.arn);
const timeline = (e: AlarmEvaluator, id: string) =>
  e.transitions.filter((t) => t.alarmName === alarmName(STACK, id)).map((t) => `${new Date(t.at).toISOString().slice(11, 16)} ${t.to}`);
const everyMinute = (minutes: number, record: Parameters<typeof emitted>[0]) =>
  Array.from({ length: minutes }, (_, m) => emitted(record, at(m, 10))).flat();

describe('the prod alarms in the evaluator', () => {
  it('accepts every alarm the program deploys', () => {
    const evaluator = run([], 0);
    expect(evaluator.statuses().map((s) => s.name)).toEqual(
      expect.arrayContaining([alarmName(STACK, 'error-rate'), alarmName(STACK, 'queue-depth')]),
    );
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

    it('goes to ALARM one failure above it, for as long as the failure is in the window, tells Slack and pages through its incident', () => {
      const evaluator = run([...atThreshold, ...emitted((r) => r.add('failed', 1), at(4, 30))]);
      expect(timeline(evaluator, 'error-rate')).toEqual(['09:00 OK', '09:05 ALARM', '09:10 OK']);
      expect(alarmActions(evaluator, 'error-rate')).toEqual([topic('warning')]);
      expect(timeline(evaluator, 'incident-processing-failing')).toEqual(['09:00 OK', '09:05 ALARM', '09:10 OK']);
      expect(pages(evaluator)).toEqual([alarmName(STACK, 'incident-processing-failing')]);
    });

    it('counts timeouts as errors too', () => {
      const evaluator = run([...atThreshold, ...emitted((r) => r.add('timeout', 1), at(4, 30))]);
      expect(alarmActions(evaluator, 'error-rate')).toEqual([topic('warning')]);
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
      expect(fired?.reason).toBe(
        `Threshold Crossed: 1 datapoint [${threshold + 1}.0 (05/01/26 09:06:00)] was greater than the threshold (${threshold}.0).`,
      );
    });
  });
});

describe('regressions of the defects issue 12 found', () => {
  it(`error-rate has a minimum volume: 1 failure of 1 finished process does not alarm (below ${RATE_VOLUME.minEvents} finished)`, () => {
    const evaluator = run(emitted((r) => r.add('failed', 1), at(2, 10)));
    expect(alarmActions(evaluator, 'error-rate')).toEqual([]);
    expect(fired(evaluator)).toEqual([]);
    expect(pages(evaluator)).toEqual([]);
  });

  it(`the volume guard counts from ${RATE_VOLUME.minEvents} finished processes: 2 failures of ${RATE_VOLUME.minEvents} alarm`, () => {
    const evaluator = run(
      emitted(
        (r) => {
          r.add('completed', RATE_VOLUME.minEvents - 2);
          r.add('failed', 2);
        },
        at(2, 10),
      ),
    );
    expect(alarmActions(evaluator, 'error-rate')).toEqual([topic('warning')]);
  });

  it('one timeout storm pages once: error-rate, timeout-rate and the timeout budget fire, only their incident notifies PagerDuty', () => {
    const storm = Array.from({ length: 5 }, (_, m) =>
      emitted(
        (r) => {
          r.add('completed', 2);
          r.add('timeout', 18);
        },
        at(m + 1, 10),
      ),
    ).flat();
    const evaluator = run(storm);
    for (const id of [
      'error-rate',
      'timeout-rate',
      'timeout-count',
      'slo-timeout-budget-fast-long',
      'slo-timeout-budget-fast-short',
      'slo-timeout-budget-fast',
      'slo-error-budget-fast',
    ]) {
      expect(fired(evaluator)).toContain(alarmName(STACK, id));
    }
    expect(pages(evaluator)).toEqual([alarmName(STACK, 'incident-processing-failing')]);
  });

  describe('a database outage pages once, also when the processes it stranded fail after it is over', () => {
    const monitorName = () => reviewResources(STACK).functions.find((f) => f.key === 'queueMonitor')!.name;
    /** The queue monitor fails every minute from minute 2 to 11 (the database canary). */
    const outage = () =>
      Array.from({ length: 10 }, (_, m) => ({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: monitorName() },
        timestamp: at(m + 2, 20),
        value: 1,
        unit: 'Count',
      }));
    /** Stranded processes end FAILED over three minutes from `minute`. */
    const failures = (minute: number) =>
      Array.from({ length: 3 }, (_, m) =>
        emitted(
          (r) => {
            r.add('completed', 2);
            r.add('failed', 18);
          },
          at(minute + m, 10),
        ),
      ).flat();

    it("stays quiet for failures after the outage's own composite is OK: the aftermath alarm holds the suppressor in ALARM", () => {
      const evaluator = run([...outage(), ...failures(24)], 30);
      expect(timeline(evaluator, 'incident-database-unreachable')).toEqual(['09:00 OK', '09:04 ALARM', '09:14 OK']);
      expect(fired(evaluator)).toEqual(
        expect.arrayContaining([alarmName(STACK, 'error-rate'), alarmName(STACK, 'incident-processing-failing')]),
      );
      expect(evaluator.status(alarmName(STACK, 'incident-processing-failing-cause')).state).toBe('ALARM');
      expect(pages(evaluator)).toEqual([alarmName(STACK, 'incident-database-unreachable')]);
    });

    it('pages for failures once the stranded window is over: a new incident', () => {
      const evaluator = run([...outage(), ...failures(50)], 56);
      expect(evaluator.status(alarmName(STACK, 'database-recently-unreachable')).state).toBe('OK');
      expect(pages(evaluator)).toEqual([
        alarmName(STACK, 'incident-database-unreachable'),
        alarmName(STACK, 'incident-processing-failing'),
      ]);
    });
  });
});
