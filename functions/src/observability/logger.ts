/**
 * Powertools Logger printing the guide's JSON format (ログフォーマット):
 *   {timestamp, level, processId, userId, type, status, progress, message, duration, …}
 * One Logger per container; an invocation's keys travel with each of its log calls (never as the
 * Logger's persistent keys), so two invocations running at once in one process (the local
 * runtime, a warm Lambda with async work) never see each other's processId, and no invocation
 * builds a Logger of its own (each would build a Console and re-read its settings).
 */
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { LOG_FIELDS } from '../../../guide';

export class GuideLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const ordered: LogAttributes = {
      timestamp: this.formatTimestamp(attributes.timestamp),
      level: attributes.logLevel,
    };
    for (const field of LOG_FIELDS) {
      if (field === 'timestamp' || field === 'level') continue;
      if (field === 'message') ordered.message = attributes.message;
      else if (additional[field] !== undefined) ordered[field] = additional[field];
    }
    const rest: LogAttributes = { service: attributes.serviceName };
    if (attributes.lambdaContext) {
      rest.function_name = attributes.lambdaContext.functionName;
      rest.function_request_id = attributes.lambdaContext.awsRequestId;
      rest.cold_start = attributes.lambdaContext.coldStart;
    }
    if (attributes.xRayTraceId) rest.xray_trace_id = attributes.xRayTraceId;
    for (const [k, v] of Object.entries(additional)) {
      if (!(LOG_FIELDS as readonly string[]).includes(k)) rest[k] = v;
    }
    return new LogItem({ attributes: { ...ordered, ...rest } });
  }
}

export const SERVICE_NAME = 'async-ai-pipeline';

export const rootLogger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
  logLevel: (process.env.LOG_LEVEL ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO') as 'INFO',
  logFormatter: new GuideLogFormatter(),
});

/** What an invocation logs with: the root logger's levels, with its keys on every line. */
export type InvocationLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** A logger for one invocation, carrying its keys (processId, userId, requestId, …). */
export function invocationLogger(keys: LogAttributes): InvocationLogger {
  // Powertools reads each extra item on its own (an object merged, an Error as `error`), so a
  // list that mixes the keys with an Error or a string is what it accepts, whatever its type says.
  const withKeys = (extra: unknown[]) => [keys, ...extra] as LogAttributes[];
  return {
    debug: (input, ...extra) => rootLogger.debug(input, ...withKeys(extra)),
    info: (input, ...extra) => rootLogger.info(input, ...withKeys(extra)),
    warn: (input, ...extra) => rootLogger.warn(input, ...withKeys(extra)),
    error: (input, ...extra) => rootLogger.error(input, ...withKeys(extra)),
  };
}
