/**
 * AsyncProcessing-Dashboard: a valid CloudWatch dashboard body (Dashboard Body Structure and
 * Syntax) within CloudWatch's limits, showing what the guide's ダッシュボード section lists, with
 * the alarm thresholds drawn where they alarm.
 */
import { GUIDE_ALERTS, LOG_QUERIES } from '../../../../guide';
import { buildDashboard, TRACE_PATTERN, type DashboardBody } from '../../../../observability/dashboard/body';
import { reviewResources, STACKS } from '../../../../tools/review-stacks';
import { layoutRows, prefixed, type PlacedWidget } from '../../../../observability/dashboard/widgets';
import { alarmCatalog } from '../../../../observability/alarms/catalog';
import { alarmArn } from '../../../../observability/monitored-resources';

/** CloudWatch's documented limits for one dashboard. PutDashboard documents no byte limit; 1 MB is our guard. */
const LIMITS = {
  widgets: 500,
  metricsPerWidget: 100,
  alarmsPerWidget: 100,
  metricsPerDashboard: 2500,
  bodyBytes: 1024 * 1024,
  gridWidth: 24,
};
const WIDGET_TYPES = ['metric', 'text', 'alarm', 'log'];
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const METRIC_ID = /^[a-z][a-zA-Z0-9_]*$/;
const STAT = /^(Sum|Average|Maximum|Minimum|SampleCount|p\d{1,2}(\.\d+)?)$/;

const entriesOf = (w: PlacedWidget) => w.properties.metrics as unknown[][];
const annotationValues = (w: PlacedWidget) =>
  ((w.properties.annotations as { horizontal?: { value: number }[] } | undefined)?.horizontal ?? []).map((a) => a.value);
const overlaps = (a: PlacedWidget, b: PlacedWidget) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Problems of one metric widget's `metrics` array; none when it is valid. */
function metricArrayProblems(w: PlacedWidget): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const expressions: string[] = [];
  for (const entry of entriesOf(w)) {
    const options = entry[entry.length - 1] as Record<string, unknown>;
    if (typeof options !== 'object' || typeof options.id !== 'string' || !METRIC_ID.test(options.id))
      problems.push(`entry without a valid id: ${JSON.stringify(entry)}`);
    else ids.add(options.id);
    if (typeof entry[0] === 'object') {
      if (typeof options.expression !== 'string') problems.push(`expression entry without expression: ${JSON.stringify(entry)}`);
      else expressions.push(options.expression);
      continue;
    }
    const labels = entry.slice(0, -1);
    if (labels.length < 2 || labels.length % 2 !== 0 || !labels.every((s) => typeof s === 'string' && s !== ''))
      problems.push(`metric entry is not [namespace, name, (dimension, value)…, options]: ${JSON.stringify(entry)}`);
    if (!STAT.test(String(options.stat))) problems.push(`stat ${String(options.stat)}`);
    if (typeof options.period !== 'number' || options.period % 60 !== 0) problems.push(`period ${String(options.period)}`);
  }
  for (const expr of expressions) {
    for (const ref of expr.match(/\b[a-z][a-zA-Z0-9_]*\b/g) ?? [])
      if (!ids.has(ref)) problems.push(`expression refers to unknown id ${ref}`);
  }
  return problems.map((p) => `${String(w.properties.title)}: ${p}`);
}

describe.each(STACKS)('Dashboard of %s', (stack) => {
  const resources = reviewResources(stack);
  const { metrics: specs, composites } = alarmCatalog(resources);
  const body: DashboardBody = buildDashboard(resources, specs, 'https://example.com/runbook.md', composites);
  const widgets = body.widgets;
  const ofType = (type: string) => widgets.filter((w) => w.type === type);
  const titled = (part: string) => widgets.filter((w) => String(w.properties.title ?? '').includes(part));

  it('stays within CloudWatch limits', () => {
    expect(widgets.length).toBeLessThanOrEqual(LIMITS.widgets);
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(LIMITS.bodyBytes);
    expect(ofType('metric').reduce((n, w) => n + entriesOf(w).length, 0)).toBeLessThanOrEqual(LIMITS.metricsPerDashboard);
    for (const w of ofType('metric')) expect(entriesOf(w).length).toBeLessThanOrEqual(LIMITS.metricsPerWidget);
    for (const w of ofType('alarm')) expect((w.properties.alarms as string[]).length).toBeLessThanOrEqual(LIMITS.alarmsPerWidget);
  });

  it('places every widget of a known type on the 24-column grid without overlaps', () => {
    for (const w of widgets) {
      expect(WIDGET_TYPES).toContain(w.type);
      expect(w.x + w.width).toBeLessThanOrEqual(LIMITS.gridWidth);
      expect([w.x, w.y, w.width, w.height].every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
    }
    const overlapping = widgets.flatMap((a, i) =>
      widgets
        .slice(i + 1)
        .filter((b) => overlaps(a, b))
        .map((b) => `${String(a.properties.title)} / ${String(b.properties.title)}`),
    );
    expect(overlapping).toEqual([]);
  });

  it('writes every metric array in the documented form, with a region on every metric and log widget', () => {
    expect(ofType('metric').flatMap(metricArrayProblems)).toEqual([]);
    for (const w of [...ofType('metric'), ...ofType('log')]) expect(w.properties.region).toMatch(REGION);
  });

  it('shows the status of every alarm of the stack, and nothing else, the incidents first and the edge alarms in their region', () => {
    const arns = ofType('alarm').flatMap((w) => w.properties.alarms as string[]);
    const regionOf = (p: object) =>
      'placement' in p && p.placement === 'edge' ? { ...resources, region: resources.waf.region } : resources;
    expect(arns.sort()).toEqual([...specs, ...composites].map((p) => alarmArn(regionOf(p), p.name)).sort());
    const [first] = ofType('alarm');
    expect(
      (first!.properties.alarms as string[])
        .slice(0, 4)
        .every((arn) => arn.includes(':alarm:AsyncProcessing-') && arn.includes('-incident-')),
    ).toBe(true);
    expect(ofType('alarm').find((w) => (w.properties.alarms as string[]).some((a) => a.includes('cloudfront')))!.properties.region).toBe(
      'us-east-1',
    );
  });

  it('lets every graph keep its own period (periodOverride inherit)', () => {
    expect(body.periodOverride).toBe('inherit');
  });

  it('shows what the guide lists: starts, completion rate, error rate, average duration, queue depth', () => {
    for (const title of ['処理開始数の推移', '完了率', 'エラー率', '平均処理時間の推移', '待機中の処理数'])
      expect(titled(title)).not.toHaveLength(0);
  });

  it('shows Step Functions running, succeeded, failed, timed out and duration', () => {
    const names = titled('Step Functions').flatMap((w) => entriesOf(w).map((e) => e[1]));
    expect(names).toEqual(
      expect.arrayContaining(['QueueDepth', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionTime']),
    );
  });

  it('draws the guide alerts’ thresholds on the graphs they alarm on', () => {
    expect(annotationValues(titled('エラー率')[0]!)).toEqual(
      expect.arrayContaining([GUIDE_ALERTS.errorRate.threshold, GUIDE_ALERTS.timeoutRate.threshold]),
    );
    expect(annotationValues(titled('平均処理時間の推移')[0]!)).toContain(GUIDE_ALERTS.processingTime.threshold);
    expect(annotationValues(titled('待機中の処理数')[0]!)).toContain(GUIDE_ALERTS.queueDepth.threshold);
  });

  it('runs the guide’s Logs Insights queries over the functions’ log groups, the trace one on the processId variable', () => {
    const queries = ofType('log').map((w) => String(w.properties.query));
    for (const q of Object.values(LOG_QUERIES))
      expect(queries.some((text) => text.includes(q.query) && text.includes("SOURCE '/aws/lambda/"))).toBe(true);
    expect(body.variables).toEqual([
      expect.objectContaining({ type: 'pattern', pattern: TRACE_PATTERN, inputType: 'input', id: 'processId' }),
    ]);
    expect(queries.filter((q) => q.includes(TRACE_PATTERN))).toHaveLength(1);
  });
});

describe('prefixed', () => {
  it('renames the ids and every reference to them in expressions, not the functions', () => {
    const out = prefixed('e', [
      { id: 'failed', returnData: false },
      { id: 'rate', expression: 'IF(FILL(failed,0) > 0, failed, 0)', returnData: true },
    ]);
    expect(out.map((q) => q.id)).toEqual(['efailed', 'erate']);
    expect(out[1]!.expression).toBe('IF(FILL(efailed,0) > 0, efailed, 0)');
  });
});

describe('layoutRows', () => {
  it('wraps a row that is wider than the grid and starts each row below the tallest widget of the last', () => {
    const w = (width: number, height: number) => ({ type: 'text' as const, width, height, properties: {} });
    const placed = layoutRows([[w(12, 2), w(12, 6), w(8, 3)], [w(24, 1)]]);
    expect(placed.map(({ x, y }) => [x, y])).toEqual([
      [0, 0],
      [12, 0],
      [0, 6],
      [0, 9],
    ]);
  });
});
