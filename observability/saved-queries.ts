/**
 * The saved Logs Insights queries, as data: the guide's three (ログ検索クエリ例, in `LOG_QUERIES`)
 * and the errors by code, saved in CloudWatch over the log groups of the functions that print the
 * guide's log format, and the dashboard's query over the API's access log (セキュリティ監査 日次).
 */
import { FUNCTIONS, LOG_QUERIES, type FunctionKey } from '../guide';

export type SavedQueryKey = keyof typeof LOG_QUERIES;

export interface SavedQuerySpec {
  readonly key: SavedQueryKey;
  /** `AsyncProcessing/<Name>`: how an operator finds it under Logs Insights → Saved queries. */
  readonly name: string;
  readonly title: string;
  readonly queryString: string;
  /** The functions whose log groups it searches: all, or the one that writes what it reads. */
  readonly functions: readonly FunctionKey[];
}

/**
 * Completions are written by the worker only: the duration analysis reads its log group, so the
 * maintenance functions' own `完了` lines (cleanup, index maintenance) stay out of the statistics.
 */
const SEARCHES: Partial<Record<SavedQueryKey, readonly FunctionKey[]>> = { durationByType: ['aiGenerationWorker'] };

export const SAVED_QUERIES: readonly SavedQuerySpec[] = (Object.keys(LOG_QUERIES) as SavedQueryKey[]).map((key) => ({
  key,
  name: LOG_QUERIES[key].name,
  title: LOG_QUERIES[key].title,
  queryString: LOG_QUERIES[key].query,
  functions: SEARCHES[key] ?? (Object.keys(FUNCTIONS) as FunctionKey[]),
}));

/** Requests refused for authentication (401/403) or rate limiting (429), per hour and status. */
export const REFUSED_REQUESTS_QUERY = [
  'fields @timestamp, status, routeKey, ip, authorizerError',
  '| filter status like /^(401|403|429)$/',
  '| stats count() as requests by status, bin(1h)',
].join('\n');
