/**
 * The guide's two log commands on CloudWatch Logs with the real SDK client (aws-sdk-client-mock):
 * FilterLogEvents per function log group with a JSON filter pattern, every page, newest N kept.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchLogSource } from '../../../../functions/src/adapters/cloudwatch-logs';

const logs = mockClient(CloudWatchLogsClient);
const SINCE = new Date('2026-12-07T02:00:00Z');
const event = (minute: number, message: object | string) => ({
  timestamp: Date.parse(`2026-12-07T02:${String(minute).padStart(2, '0')}:00Z`),
  message: typeof message === 'string' ? message : JSON.stringify(message),
});

beforeEach(() => logs.reset());

describe('CloudWatchLogSource', () => {
  it('asks each function’s log group for ERROR lines, reads every page and keeps the newest N, oldest first', async () => {
    // prepare
    logs
      .on(FilterLogEventsCommand, { logGroupName: '/aws/lambda/ai-generation-worker' })
      .resolvesOnce({ events: [event(1, { level: 'ERROR', message: 'a' }), event(5, { level: 'ERROR', message: 'c' })], nextToken: 't2' })
      .resolves({ events: [event(9, { level: 'ERROR', message: 'e' })] });
    logs
      .on(FilterLogEventsCommand, { logGroupName: '/aws/lambda/queue-monitor' })
      .resolves({ events: [event(3, { level: 'ERROR', message: 'b' }), event(7, 'plain text line\n')] });
    const source = new CloudWatchLogSource(new CloudWatchLogsClient({ region: 'ap-northeast-1' }), [
      'ai-generation-worker',
      'queue-monitor',
    ]);

    // act
    const lines = await source.query({ since: SINCE, match: { level: 'ERROR' }, functions: [], limit: 3 });

    // assess
    expect(logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input)).toEqual([
      {
        logGroupName: '/aws/lambda/ai-generation-worker',
        filterPattern: '{ $.level = "ERROR" }',
        startTime: SINCE.getTime(),
        limit: 10_000,
      },
      {
        logGroupName: '/aws/lambda/ai-generation-worker',
        filterPattern: '{ $.level = "ERROR" }',
        startTime: SINCE.getTime(),
        limit: 10_000,
        nextToken: 't2',
      },
      { logGroupName: '/aws/lambda/queue-monitor', filterPattern: '{ $.level = "ERROR" }', startTime: SINCE.getTime(), limit: 10_000 },
    ]);
    expect(lines.map((l) => [l.origin, l.fields.message])).toEqual([
      ['ai-generation-worker', 'c'],
      ['queue-monitor', 'plain text line'],
      ['ai-generation-worker', 'e'],
    ]);
  });

  it('traces one process with a processId pattern on the functions asked for', async () => {
    // prepare
    logs.on(FilterLogEventsCommand).resolves({ events: [event(2, { level: 'INFO', message: 'started', processId: 'p-1' })] });
    const source = new CloudWatchLogSource(new CloudWatchLogsClient({ region: 'ap-northeast-1' }), ['x', 'y']);

    // act
    const lines = await source.query({ since: SINCE, match: { processId: 'p-1"' }, functions: ['ai-generation-worker'] });

    // assess
    expect(logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input.filterPattern)).toEqual(['{ $.processId = "p-1" }']);
    expect(lines).toEqual([
      {
        timestamp: '2026-12-07T02:02:00.000Z',
        origin: 'ai-generation-worker',
        fields: { level: 'INFO', message: 'started', processId: 'p-1' },
      },
    ]);
  });
});
