/**
 * Every metric an alarm evaluates or a dashboard widget draws exists: a custom metric is one the
 * functions print as EMF while processes run (with the same dimensions and unit), or one a metric
 * filter derives from log lines (metric-filters.ts; its patterns are tested on real lines), an AWS
 * metric is one its service documents under those dimensions.
 */
import { DR, METRIC_NAMESPACE, METRICS, OUTCOME_RATES } from '../../../guide';
import { buildDashboard } from '../../../observability/dashboard/body';
import { reviewResources, STACKS } from '../../../tools/review-stacks';
import { alarmSpecs } from '../../../observability/alarms/catalog';
import { metricFilterSpecs } from '../../../observability/metric-filters';
import { metricsOf } from '../../../observability/metrics';
import { awsMetricProblem } from './helpers/aws-metrics';
import { drawnMetrics } from './helpers/dashboard-metrics';
import { metricIdentity, type EmittedMetric } from './helpers/emf';
import { runPipelineDay } from './helpers/pipeline-day';

interface UsedMetric {
  readonly by: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
}

function usedMetrics(stack: string): UsedMetric[] {
  const resources = reviewResources(stack);
  const specs = alarmSpecs(resources);
  const byAlarms = specs.flatMap((p) =>
    metricsOf(p.queries).map((m) => ({
      by: `alarm ${p.id}`,
      namespace: m.namespace,
      name: m.metricName,
      dimensions: m.dimensions as Record<string, string>,
    })),
  );
  const byWidgets = drawnMetrics(buildDashboard(resources, specs, 'docs/runbook.md')).map((m) => ({ ...m, by: `widget "${m.widget}"` }));
  return [...byAlarms, ...byWidgets];
}

describe('Metrics of the alarms and the dashboard', () => {
  let emitted: EmittedMetric[];

  beforeAll(async () => {
    emitted = await runPipelineDay();
  });

  it('prints every metric of the guide as EMF, except the rates defined once as metric math', () => {
    const names = new Set(emitted.map((m) => m.name));
    const computed = new Set<string>(Object.values(OUTCOME_RATES).map((r) => r.name));
    const missing = Object.values(METRICS)
      .map((m) => m.name)
      .filter((n) => !names.has(n) && !computed.has(n));
    expect(missing).toEqual([]);
  });

  it('prints each custom metric with the unit the guide gives it', () => {
    const wrong = emitted
      .filter((m) => m.namespace === METRIC_NAMESPACE)
      .filter((m) => [...Object.values(METRICS), ...Object.values(DR.metrics)].find((g) => g.name === m.name)?.unit !== m.unit)
      .map((m) => `${m.name} in ${m.unit}`);
    expect(wrong).toEqual([]);
  });

  describe.each(STACKS)('stack %s', (stack) => {
    it('reads only custom metrics the functions print or a metric filter derives, with the same dimensions', () => {
      const derived = metricFilterSpecs(reviewResources(stack)).map((f) => metricIdentity(f.metric.namespace, f.metric.name, {}));
      const printed = new Set([...emitted.map((m) => metricIdentity(m.namespace, m.name, m.dimensions)), ...derived]);
      const custom = usedMetrics(stack).filter((m) => m.namespace.startsWith(METRIC_NAMESPACE));
      const unknown = custom
        .filter((m) => !printed.has(metricIdentity(m.namespace, m.name, m.dimensions)))
        .map((m) => `${m.by}: ${metricIdentity(m.namespace, m.name, m.dimensions)}`);
      expect(custom.length).toBeGreaterThan(0);
      expect(unknown).toEqual([]);
    });

    it('reads only AWS metrics their services publish, under dimensions they publish them with', () => {
      const problems = usedMetrics(stack)
        .filter((m) => !m.namespace.startsWith(METRIC_NAMESPACE))
        .flatMap((m) => {
          const problem = awsMetricProblem(m.namespace, m.name, Object.keys(m.dimensions));
          return problem ? [`${m.by}: ${problem}`] : [];
        });
      expect([...new Set(problems)]).toEqual([]);
    });
  });
});
