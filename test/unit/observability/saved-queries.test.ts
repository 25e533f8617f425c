/**
 * Each saved Logs Insights query, run (by the Logs Insights subset) over the log lines the code
 * really writes during a day of processes: the guide's three and the errors by code. The duration
 * analysis must see completions only, so its averages are the real completion durations.
 */
import { LOG_QUERIES, METRICS, TYPE_DIMENSION } from '../../../guide';
import { samplesFromEmf, type MetricSample } from '../../../observability/evaluator';
import { eventsFromLines, runInsightsQuery, type LogEvent } from '../../../observability/logs/insights';
import { SAVED_QUERIES } from '../../../observability/saved-queries';
import { TRACE_PATTERN } from '../../../observability/dashboard/body';
import { runPipelineDayOutput } from './helpers/pipeline-day';

let events: LogEvent[];
let samples: MetricSample[];

beforeAll(async () => {
  const day = await runPipelineDayOutput();
  events = eventsFromLines(day.lines);
  samples = samplesFromEmf(day.lines);
});

/** The samples of a custom metric per process type (the dimension the worker adds). */
function byType(metric: keyof typeof METRICS): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of samples.filter((x) => x.metricName === METRICS[metric].name && x.dimensions[TYPE_DIMENSION])) {
    out.set(s.dimensions[TYPE_DIMENSION]!, [...(out.get(s.dimensions[TYPE_DIMENSION]!) ?? []), s.value!]);
  }
  return out;
}

describe('saved queries over the lines the code writes', () => {
  it('saves exactly the guide’s three and the errors by code', () => {
    expect(SAVED_QUERIES.map((q) => q.name)).toEqual([
      LOG_QUERIES.errors.name,
      LOG_QUERIES.processTrace.name,
      LOG_QUERIES.durationByType.name,
      LOG_QUERIES.errorsByCode.name,
    ]);
  });

  it(`${LOG_QUERIES.durationByType.name}: per type, the average, max and min of the real completion durations`, () => {
    // The saved query searches the worker's log group only (SAVED_QUERIES' functions): not the
    // lines of the scheduled functions (their observer marks them with `job`), whose messages say 完了 too.
    expect(SAVED_QUERIES.find((q) => q.key === 'durationByType')!.functions).toEqual(['aiGenerationWorker']);
    const rows = runInsightsQuery(
      LOG_QUERIES.durationByType.query,
      events.filter((e) => e.job === undefined),
    );
    const completions = byType('duration');
    expect(completions.size).toBeGreaterThan(0);
    const expected = [...completions].map(([type, d]) => ({
      type,
      'avg(duration)': d.reduce((a, b) => a + b, 0) / d.length,
      'max(duration)': Math.max(...d),
      'min(duration)': Math.min(...d),
    }));
    expect(rows.sort((a, b) => String(a.type).localeCompare(String(b.type)))).toEqual(
      expected.sort((a, b) => a.type.localeCompare(b.type)),
    );
  });

  it(`${LOG_QUERIES.errors.name}: every ERROR line, newest first, at most 100`, () => {
    const rows = runInsightsQuery(LOG_QUERIES.errors.query, events);
    const errors = events.filter((e) => e.level === 'ERROR');
    expect(errors.length).toBeGreaterThan(0);
    expect(rows).toHaveLength(Math.min(100, errors.length));
    expect(rows.map((r) => r['@timestamp'])).toEqual([...rows.map((r) => String(r['@timestamp']))].sort().reverse());
    expect(Object.keys(rows[0]!)).toEqual(['@timestamp', 'processId', 'userId', 'type', 'message']);
  });

  it(`${LOG_QUERIES.processTrace.name}: one process’s lines in order, once the dashboard variable names it`, () => {
    const processId = String(events.find((e) => e.status === 'COMPLETED')!.processId);
    const rows = runInsightsQuery(LOG_QUERIES.processTrace.query.replace(TRACE_PATTERN, processId), events);
    const own = events.filter((e) => e.processId === processId);
    expect(rows).toHaveLength(own.length);
    expect(rows.map((r) => r.status)).toContain('COMPLETED');
    expect(rows[rows.length - 1]!.progress).toBe(100);
  });

  it(`${LOG_QUERIES.errorsByCode.name}: the FAILED and TIMEOUT outcomes by errorCode and type, as many as the metrics counted`, () => {
    const rows = runInsightsQuery(LOG_QUERIES.errorsByCode.query, events);
    const sum = (where: (r: Record<string, unknown>) => boolean, type: string) =>
      rows.filter((r) => r.type === type && where(r)).reduce((n, r) => n + Number(r.errors), 0);
    for (const [type, counts] of byType('timeout'))
      expect([type, sum((r) => r.errorCode === 'TIMEOUT_ERROR', type)]).toEqual([type, counts.length]);
    for (const [type, counts] of byType('failed'))
      expect([type, sum((r) => r.errorCode !== 'TIMEOUT_ERROR', type)]).toEqual([type, counts.length]);
    expect(rows.map((r) => Number(r.errors))).toEqual([...rows.map((r) => Number(r.errors))].sort((a, b) => b - a));
  });
});
