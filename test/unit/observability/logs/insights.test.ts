/** The Logs Insights subset: each command and the semantics of missing fields. */
import { eventsFromLines, runInsightsQuery } from '../../../../observability/logs/insights';

const lines = [
  { timestamp: '2026-01-05T09:00:00.000Z', level: 'INFO', type: 'A', message: '完了しました', duration: 100 },
  { timestamp: '2026-01-05T09:01:00.000Z', level: 'INFO', type: 'A', message: '完了しました', duration: 300 },
  { timestamp: '2026-01-05T09:02:00.000Z', level: 'INFO', type: 'B', message: '開始しました' },
  { timestamp: '2026-01-05T10:03:00.000Z', level: 'ERROR', type: 'B', message: 'failed', errorCode: 'AI_ERROR' },
  { timestamp: '2026-01-05T10:04:00.000Z', level: 'ERROR', type: 'A', message: 'failed', errorCode: 'AI_ERROR' },
  { timestamp: '2026-01-05T10:05:00.000Z', level: 'ERROR', message: 'Request failed with 500' },
].map((l) => JSON.stringify(l));
const events = eventsFromLines(['START RequestId: x', ...lines]);

describe('runInsightsQuery', () => {
  it('filters with =, like /re/ and and, then projects fields', () => {
    expect(runInsightsQuery('fields type, duration | filter level = "INFO" and message like /完了/', events)).toEqual([
      { type: 'A', duration: 100 },
      { type: 'A', duration: 300 },
    ]);
  });

  it('aggregates by group, skipping events without the field', () => {
    expect(runInsightsQuery('filter level = "INFO" | stats avg(duration), max(duration), min(duration), count(*) by type', events)).toEqual(
      [
        { type: 'A', 'avg(duration)': 200, 'max(duration)': 300, 'min(duration)': 100, 'count(*)': 2 },
        { type: 'B', 'avg(duration)': undefined, 'max(duration)': undefined, 'min(duration)': undefined, 'count(*)': 1 },
      ],
    );
  });

  it('names aggregates with as, sorts and limits', () => {
    const rows = runInsightsQuery(
      'filter level = "ERROR" and ispresent(errorCode) | stats count(*) as errors by errorCode, type | sort errors desc | limit 1',
      events,
    );
    expect(rows).toEqual([{ errorCode: 'AI_ERROR', type: 'B', errors: 1 }]);
  });

  it('sorts by @timestamp and bins it', () => {
    expect(runInsightsQuery('filter level = "ERROR" | sort @timestamp desc | limit 1', events).map((r) => r.message)).toEqual([
      'Request failed with 500',
    ]);
    expect(runInsightsQuery('stats count() as n by bin(1h)', events)).toEqual([
      { 'bin(1h)': '2026-01-05T09:00:00.000Z', n: 3 },
      { 'bin(1h)': '2026-01-05T10:00:00.000Z', n: 3 },
    ]);
  });

  it('compares a missing field as false, and != as true; not and or combine', () => {
    expect(runInsightsQuery('filter errorCode = "AI_ERROR"', events)).toHaveLength(2);
    expect(runInsightsQuery('filter errorCode != "AI_ERROR"', events)).toHaveLength(4);
    expect(runInsightsQuery('filter not (level = "ERROR" or type = "B")', events)).toHaveLength(2);
    expect(runInsightsQuery('filter message not like /完了/ and level = "INFO"', events)).toHaveLength(1);
  });

  it('refuses what it does not interpret, naming it', () => {
    expect(() => runInsightsQuery('parse @message "x"', events)).toThrow('command "parse" is not in this interpreter');
    expect(() => runInsightsQuery('stats pct(duration, 95)', events)).toThrow();
  });
});
