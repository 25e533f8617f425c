/**
 * The log commands on AWS: FilterLogEvents (the guide's `aws logs filter-log-events`) on each
 * function's log group `/aws/lambda/<name>`, with a JSON filter pattern, every page of the window.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { logGroupName } from '../../../guide';
import { filterPattern, selectLines, type LogLine, type LogQuery, type LogSource } from '../reports/logs';

/** FilterLogEvents' most events per page. */
const PAGE = 10_000;

export class CloudWatchLogSource implements LogSource {
  readonly label = 'CloudWatch Logs';
  constructor(
    private readonly client: Pick<CloudWatchLogsClient, 'send'> = new CloudWatchLogsClient({}),
    private readonly defaultFunctions: readonly string[] = [],
  ) {}

  async query(q: LogQuery): Promise<readonly LogLine[]> {
    const functions = q.functions.length ? q.functions : this.defaultFunctions;
    const lines: LogLine[] = [];
    for (const fn of functions) {
      let nextToken: string | undefined;
      do {
        // FilterLogEvents answers oldest first: "the latest N" needs every page of the window.
        const page = await this.client.send(
          new FilterLogEventsCommand({
            logGroupName: logGroupName(fn),
            filterPattern: filterPattern(q),
            startTime: q.since.getTime(),
            endTime: q.until?.getTime(),
            limit: PAGE,
            nextToken,
          }),
        );
        for (const e of page.events ?? []) lines.push(toLine(fn, e.timestamp ?? 0, e.message ?? ''));
        nextToken = page.nextToken;
      } while (nextToken);
    }
    return selectLines(lines, q);
  }
}

function toLine(origin: string, timestamp: number, message: string): LogLine {
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(message) as Record<string, unknown>;
  } catch {
    fields = { message: message.trim() };
  }
  return { timestamp: new Date(timestamp).toISOString(), origin, fields };
}
