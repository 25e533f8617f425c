/**
 * Judging a scenario over the prod alarms (the offline run through the adapter): what fired, the
 * pages PagerDuty made and their escalation, the notifications, and the committed table.
 */
import { topicName, edgeTopicName } from '../../../../observability/alert-routing';
import type { AdaptedAlarms, MetricSample } from '../../../../observability/evaluator';
import { judge } from '../../../../observability/scenarios/outcome';
import { renderResults, results } from '../../../../observability/scenarios/report';
import type { Scenario } from '../../../../observability/scenarios/scenarios';
import { onScenarioClock, SCENARIO_EPOCH } from '../../../../tools/scenarios/run';
import { emitted } from '../evaluator/helpers/emitted';
import { programAlarms } from '../evaluator/helpers/program';

const STACK = 'prod';
const MIN = 60_000;
const from = SCENARIO_EPOCH + 10 * MIN;
let prod: AdaptedAlarms;

beforeAll(async () => {
  prod = await programAlarms(STACK);
});

/** The queue monitor every minute from before the alarms exist, and `record` in the given minutes. */
function minutes(count: number, record?: (m: number) => Parameters<typeof emitted>[0] | undefined): MetricSample[] {
  return Array.from({ length: count + 10 }, (_, i) => {
    const m = i - 10;
    const extra = record?.(m);
    return [...emitted((r) => r.add('queueDepth', 0), from + m * MIN + 5000), ...(extra ? emitted(extra, from + m * MIN + 10_000) : [])];
  }).flat();
}

function judged(scenario: Scenario, samples: MetricSample[], length: number) {
  const account = prod.accountId!;
  const region = prod.region!;
  return judge({
    scenario,
    samples,
    region,
    accountId: account,
    prefix: `AsyncProcessing-${STACK}-`,
    from,
    to: from + length * MIN,
    alarms: prod.alarms.filter(
      (a) => !/backup|aurora|bedrock|cloudfront|waf|alert-delivery|lambda-memory|account|throttles|api-latency|sfn-throttled/.test(a.name),
    ),
    topics: {
      critical: `arn:aws:sns:${region}:${account}:${topicName(STACK, 'critical')}`,
      others: [
        `arn:aws:sns:${region}:${account}:${topicName(STACK, 'warning')}`,
        `arn:aws:sns:us-east-1:${account}:${edgeTopicName(STACK)}`,
      ],
    },
  });
}

const storm: Scenario = {
  id: 'storm',
  title: 'Storm',
  what: 'test',
  critical: true,
  minutes: 60,
  steps: [],
  expect: {
    fires: [
      'error-rate',
      'failed-count',
      'incident-processing-failing',
      'slo-error-budget-fast-long',
      'slo-error-budget-fast-short',
      'slo-error-budget-fast',
      'slo-error-budget-slow-long',
      'slo-error-budget-slow-short',
      'slo-error-budget-slow',
    ],
    pages: [{ incident: 'processing-failing', escalatesTo: ['on-call', 'team-lead'] }],
  },
};
/** 20 processes a minute; minutes 5–15 every one fails. */
const stormSamples = () =>
  minutes(60, (m) =>
    m >= 0
      ? (r) => {
          const failing = m >= 5 && m < 15;
          r.add('completed', failing ? 0 : 20);
          if (failing) r.add('failed', 20);
        }
      : undefined,
  );

describe('judge', () => {
  it('passes a storm that fires what it says, pages once and escalates while nobody acknowledges', () => {
    const outcome = judged(storm, stormSamples(), 60);
    expect(outcome.problems).toEqual([]);
    expect(outcome.pages).toHaveLength(1);
    expect(outcome.pages[0]).toMatchObject({ incident: 'incident-processing-failing', escalatedTo: ['on-call', 'team-lead'] });
    expect(outcome.pages[0]!.timeline).toMatch(/^0 min on-call, 30 min team-lead, \d+ min resolved$/);
    expect(outcome.notifications.alarm).toBe(outcome.fired.length);
  });

  it('stops the escalation when the scenario acknowledges', () => {
    const outcome = judged(
      {
        ...storm,
        expect: { ...storm.expect, acknowledgeAfterMinutes: 5, pages: [{ incident: 'processing-failing', escalatesTo: ['on-call'] }] },
      },
      stormSamples(),
      60,
    );
    expect(outcome.problems).toEqual([]);
    expect(outcome.pages[0]!.timeline).toMatch(/^0 min on-call, 5 min acknowledged, \d+ min resolved$/);
  });

  it('fails a scenario naming what did not fire, what fired but must not, and the pages that differ', () => {
    const quiet: Scenario = { ...storm, expect: { fires: ['queue-depth'], pages: [] } };
    const outcome = judged(quiet, stormSamples(), 60);
    expect(outcome.passed).toBe(false);
    expect(outcome.problems[0]).toBe('did not fire: queue-depth');
    expect(outcome.problems[1]).toMatch(/^fired but must not: .*\berror-rate\b/);
    expect(outcome.problems[2]).toMatch(/^pages \["incident-processing-failing → on-call, team-lead"\], expected \[\]$/);
  });

  it('stays quiet on a low-traffic day with one failure', () => {
    const night: Scenario = {
      id: 'night',
      title: 'Night',
      what: 'test',
      critical: false,
      minutes: 360,
      steps: [],
      expect: { fires: [], pages: [] },
    };
    const samples = minutes(360, (m) => (m % 10 === 0 ? (r) => (m === 60 ? r.add('failed', 1) : r.add('completed', 1)) : undefined));
    expect(judged(night, samples, 360).problems).toEqual([]);
  });
});

describe('onScenarioClock', () => {
  it('re-stamps samples on the scenario clock and scales the spans of that clock, not counts or API latency', () => {
    const ready = Date.UTC(2030, 5, 1, 12, 0, 0);
    const at = ready + 2000;
    const samples: MetricSample[] = [
      { namespace: 'AsyncProcessing', metricName: 'ProcessingDuration', dimensions: {}, timestamp: at, value: 5000 },
      { namespace: 'AsyncProcessing', metricName: 'AsyncProcessingFailed', dimensions: {}, timestamp: at, value: 3 },
      { namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: {}, timestamp: at, value: 12 },
      {
        namespace: 'AWS/States',
        metricName: 'ExecutionTime',
        dimensions: {},
        timestamp: at,
        statistics: { sampleCount: 2, sum: 10, minimum: 4, maximum: 6 },
      },
    ];
    const out = onScenarioClock(samples, ready, 60);
    expect(out.map((s) => s.timestamp)).toEqual(Array(4).fill(SCENARIO_EPOCH + 120_000));
    expect(out.map((s) => s.value ?? s.statistics)).toEqual([300_000, 3, 12, { sampleCount: 2, sum: 600, minimum: 240, maximum: 360 }]);
  });
});

describe('renderResults', () => {
  it('tabulates each scenario and fails the run when an alarm fired nowhere and is not AWS-only', () => {
    const outcome = judged(storm, stormSamples(), 60);
    const run = {
      stack: STACK,
      variant: 'full' as const,
      timeScale: 60,
      startedAt: '2026-01-05T00:00:00.000Z',
      durationSeconds: 1,
      machine: 'test',
      command: 'npm run scenarios',
    };
    const r = results(run, [outcome], {
      alarms: ['error-rate', 'queue-depth', 'backup-missing'],
      awsOnly: { 'backup-missing': 'no local AWS Backup' },
    });
    expect(r.neverFired).toEqual(['queue-depth']);
    expect(r.passed).toBe(false);
    const md = renderResults(r);
    expect(md).toContain('| pass | Storm (critical) | 9 |');
    expect(md).toContain('alarms no scenario fired and not AWS-only: queue-depth');
    expect(md).toContain('| backup-missing | no local AWS Backup |');
  });
});
