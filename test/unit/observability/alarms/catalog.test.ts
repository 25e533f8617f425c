/**
 * The alarm catalog (pure): the guide's alerts and thresholds as written, a severity, a missing-data
 * choice and a runbook section for every alarm, descriptions within CloudWatch's limit.
 */
import { ERROR_BUDGET, GUIDE_ALERTS, METRICS, RATE_VOLUME, SLO } from '../../../../guide';
import { reviewResources, STACKS } from '../../../../tools/review-stacks';
import type { AlarmSpec } from '../../../../observability/alarms/spec';
import { ALARM_KINDS, alarmSpecs, validateAlarmSpecs } from '../../../../observability/alarms/catalog';
import { compositeSpecs, validateComposites } from '../../../../observability/alarms/composites';
import { describeAlarm, MAX_DESCRIPTION } from '../../../../observability/alarms/description';
import { renderRunbook } from '../../../../observability/runbook';

const RUNBOOK_URL = 'https://example.com/async-ai-pipeline/docs/runbook.md';

const byId = (specs: readonly AlarmSpec[], id: string): AlarmSpec => {
  const spec = specs.find((p) => p.id === id);
  if (!spec) throw new Error(`No alarm ${id}`);
  return spec;
};

describe.each(STACKS)('Alarm catalog of %s', (stack) => {
  const specs = alarmSpecs(reviewResources(stack));

  it.each(Object.values(GUIDE_ALERTS).map((a) => [a.id, a] as const))(
    'alarms on the guide alert %s with its threshold, window and severity',
    (id, alert) => {
      const spec = byId(specs, id);
      expect(spec.threshold).toBe(alert.threshold);
      expect(spec.comparison).toBe('GreaterThanThreshold');
      expect(spec.kind.severity).toBe(alert.severity);
      expect(spec.evaluation).toEqual({ periodSeconds: alert.periodSeconds, periods: 1, datapoints: 1 });
      expect(spec.queries.flatMap((q) => (q.metric ? [q.metric.periodSeconds] : []))).toEqual(
        expect.arrayContaining([alert.periodSeconds]),
      );
      expect(spec.kind.responseStepsJa).toEqual(alert.responseStepsJa);
    },
  );

  it('computes the error rate as FAILED and TIMEOUT over finished processes, the timeout rate as TIMEOUT over them, 0 below the volume guard', () => {
    const expressionOf = (id: string) => byId(specs, id).queries.find((q) => q.returnData)!.expression;
    const finished = '(FILL(completed,0) + FILL(failed,0) + FILL(timeout,0))';
    expect(expressionOf('error-rate')).toBe(
      `IF(${finished} >= ${RATE_VOLUME.minEvents}, 100 * (FILL(failed,0) + FILL(timeout,0)) / ${finished}, 0)`,
    );
    expect(expressionOf('timeout-rate')).toBe(`IF(${finished} >= ${RATE_VOLUME.minEvents}, 100 * (FILL(timeout,0)) / ${finished}, 0)`);
  });

  it('guards every rate alarm with the volume minimum (the short burn windows with a minimum of errors)', () => {
    const rates = specs.filter((p) => p.queries.some((q) => q.expression?.includes('100 *') || q.metric?.metricName === '5xxErrorRate'));
    expect(rates.length).toBeGreaterThan(8);
    for (const p of rates) {
      const expression = p.queries.find((q) => q.returnData)!.expression!;
      const guard = p.id.endsWith('-short') ? `>= ${ERROR_BUDGET.shortWindowMinErrors}` : `>= ${RATE_VOLUME.minEvents}`;
      expect([p.id, expression.startsWith('IF(') && expression.includes(guard)]).toEqual([p.id, true]);
    }
  });

  it('alarms on each SLO budget with a fast and a slow window pair at the burn rates of a 30-day budget', () => {
    const threshold = (id: string) => byId(specs, id).threshold;
    expect([
      threshold('slo-error-budget-fast-long'),
      threshold('slo-error-budget-fast-short'),
      threshold('slo-error-budget-slow-long'),
    ]).toEqual([14.4 * SLO.errorRatePercent, 14.4 * SLO.errorRatePercent, 6 * SLO.errorRatePercent]);
    expect([threshold('slo-timeout-budget-fast-long'), threshold('slo-timeout-budget-slow-short')]).toEqual([
      14.4 * SLO.timeoutRatePercent,
      6 * SLO.timeoutRatePercent,
    ]);
    expect(byId(specs, 'slo-error-budget-slow-long').evaluation.periodSeconds).toBe(6 * 3600);
    expect(byId(specs, 'slo-error-budget-slow-short').evaluation.periodSeconds).toBe(1800);
  });

  it('has no per-minute Lambda rule on the weekly cleanup or the migration, which run once', () => {
    const ids = specs.map((p) => p.id);
    for (const fn of ['processing-cleanup', 'db-migrate']) {
      expect(ids).not.toContain(`lambda-errors-${fn}`);
      expect(ids).not.toContain(`lambda-throttles-${fn}`);
    }
    expect(byId(specs, 'lambda-scheduled-errors-processing-cleanup').evaluation).toEqual({
      periodSeconds: 3600,
      periods: 1,
      datapoints: 1,
    });
    expect(ids.filter((id) => id.startsWith('maintenance-overdue-'))).toEqual([
      'maintenance-overdue-weekly-maintenance',
      'maintenance-overdue-monthly-maintenance',
    ]);
  });

  it('widens backup-missing to 27 hours so a job ending a little later than yesterday’s does not flap', () => {
    expect(byId(specs, 'backup-missing').evaluation).toEqual({ periodSeconds: 3600, periods: 27, datapoints: 27 });
  });

  it.each([
    ['failed-count', METRICS.failed],
    ['timeout-count', METRICS.timeout],
  ] as const)('alarms on the metric table threshold %s', (id, metric) => {
    const spec = byId(specs, id);
    expect(spec.threshold).toBe(metric.threshold.value);
    expect(spec.evaluation.periodSeconds).toBe(metric.threshold.periodSeconds);
    expect(spec.queries[0]!.metric).toMatchObject({ metricName: metric.name, stat: 'Sum' });
  });

  it('alarms on the API p95 latency SLO of the start and status routes', () => {
    expect(byId(specs, 'api-latency-start')).toMatchObject({ threshold: SLO.startApiP95Ms });
    expect(byId(specs, 'api-latency-status')).toMatchObject({ threshold: SLO.statusApiP95Ms });
    expect(byId(specs, 'api-latency-start').queries[0]!.metric).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metricName: 'Latency',
      stat: 'p95',
      dimensions: expect.objectContaining({ Method: 'POST', Resource: '/v1/processes' }),
    });
  });

  it('gives every alarm a severity, a missing-data choice and a runbook section that exists', () => {
    const runbook = renderRunbook({ [stack]: specs });
    for (const p of specs) {
      expect(['critical', 'warning']).toContain(p.kind.severity);
      expect(['notBreaching', 'breaching', 'ignore', 'missing']).toContain(p.treatMissingData);
      expect(runbook).toContain(`\n### ${p.kind.section}\n`);
    }
  });

  it('describes every alarm within 1024 characters, with its severity, steps and runbook link', () => {
    for (const p of specs) {
      const text = describeAlarm(p, RUNBOOK_URL);
      expect(text.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
      expect(text).toContain(`[${p.kind.severity.toUpperCase()}]`);
      expect(text).toContain(p.kind.responseSteps[0]!.slice(0, 20));
      expect(text.endsWith(`Runbook: ${RUNBOOK_URL}#${p.kind.section}`)).toBe(true);
    }
  });

  it('treats missing data as breaching only where silence is the symptom', () => {
    expect(
      specs
        .filter((p) => p.treatMissingData === 'breaching')
        .map((p) => p.id)
        .sort(),
    ).toEqual(['backup-missing', 'queue-monitor-silent']);
  });

  it('pages every critical alarm through exactly one incident composite, and composites only over alarms that exist', () => {
    const composites = compositeSpecs(stack, specs);
    expect(
      composites
        .filter((c) => c.notifies === 'critical')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['incident-api-failing', 'incident-database-unreachable', 'incident-processes-stuck', 'incident-processing-failing']);
    // A critical alarm added to the catalog without its composite knowing it would never page.
    const stray = { ...byId(specs, 'oldest-active-process'), id: 'stray', name: `AsyncProcessing-${stack}-stray` };
    expect(() => validateComposites(composites, [...specs, stray])).toThrow(
      'Critical alarm "stray" pages through 0 incident composites; it must page through exactly one (kind.incident)',
    );
    expect(() =>
      validateComposites(
        composites.filter((c) => c.id !== 'incident-database-unreachable'),
        specs,
      ),
    ).toThrow('names alarms that do not exist: AsyncProcessing-');
  });
});

describe('validateAlarmSpecs', () => {
  const [spec] = alarmSpecs(reviewResources('dev'));

  it('refuses two alarms with one id', () => {
    expect(() => validateAlarmSpecs([spec!, spec!])).toThrow(`Alarm id "${spec!.id}" is used twice`);
  });

  it('refuses an alarm that evaluates more than one series', () => {
    const two = { ...spec!, queries: spec!.queries.map((q) => ({ ...q, returnData: true })) };
    expect(() => validateAlarmSpecs([two])).toThrow(/returns \d+ series; an alarm evaluates exactly one/);
  });

  it('refuses a kind the runbook does not document', () => {
    const stray = { ...spec!, kind: { ...spec!.kind } };
    expect(() => validateAlarmSpecs([stray])).toThrow('has a kind the runbook does not document');
  });

  it('documents every kind once', () => {
    const sections = ALARM_KINDS.map((k) => k.section);
    expect(new Set(sections).size).toBe(sections.length);
  });
});

describe('describeAlarm', () => {
  const [spec] = alarmSpecs(reviewResources('dev'));

  it('drops the Japanese steps, then shortens, but always keeps the runbook link', () => {
    const long = { ...spec!, kind: { ...spec!.kind, responseSteps: ['x'.repeat(2000)] } };
    const text = describeAlarm(long, RUNBOOK_URL);
    expect(text.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    expect(text).not.toContain('対応手順');
    expect(text.endsWith(`#${spec!.kind.section}`)).toBe(true);
  });
});
