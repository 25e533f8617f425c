/**
 * Recorded AWS answers for the real SDK clients: a request handler that answers each operation
 * with the HTTP response AWS sends (status, headers, body in the API's wire format, kept in
 * `test/fixtures/aws/`), so the SDK's own deserializers parse them, errors included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** What the SDK's request handlers take and give (smithy's HttpRequest / HttpResponse, by shape). */
interface HttpRequest {
  readonly method: string;
  readonly hostname: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

export interface RecordedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export const fixture = (name: string): RecordedResponse =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'aws', `${name}.json`), 'utf8')) as RecordedResponse;

/** REST operations by path; JSON 1.1 ones by X-Amz-Target; Query ones by their Action. */
const REST: [RegExp, string][] = [
  [/^\/2016-08-19\/account-settings\/?$/, 'GetAccountSettings'],
  [/^\/2019-09-30\/functions\/[^/]+\/concurrency$/, 'GetFunctionConcurrency'],
  [/^\/foundation-model-availability\//, 'GetFoundationModelAvailability'],
  [/^\/inference-profiles\//, 'GetInferenceProfile'],
  [/^\/describe-slack-workspaces$/, 'DescribeSlackWorkspaces'],
  [/^\/listReplicationSets$/, 'ListReplicationSets'],
  [/^\/restore-jobs\/[^/]+$/, 'DescribeRestoreJob'],
];

export function operationOf(request: HttpRequest): string {
  const target = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
  if (target) return target.split('.').pop()!;
  if (typeof request.body === 'string' && /(^|&)Action=/.test(request.body)) return new URLSearchParams(request.body).get('Action')!;
  const rest = REST.find(([re]) => re.test(request.path));
  if (rest) return rest[1];
  throw new Error(`No recorded operation for ${request.method} ${request.hostname}${request.path}`);
}

export type Answers = Record<string, string | readonly string[]>;

/**
 * Client config answering every call from `answers` (operation → fixture name, or a list used in
 * turn); an operation without an answer fails the test. `calls` records what was asked.
 */
export function recordedAws(answers: Answers) {
  const calls: { operation: string; hostname: string; path: string }[] = [];
  const used: Record<string, number> = {};
  const requestHandler = {
    async handle(request: HttpRequest) {
      const operation = operationOf(request);
      calls.push({ operation, hostname: request.hostname, path: request.path });
      const answer = answers[operation];
      if (answer === undefined) throw new Error(`Unexpected AWS call ${operation}: give it a recorded answer`);
      const names = typeof answer === 'string' ? [answer] : answer;
      const name = names[Math.min(used[operation] ?? 0, names.length - 1)]!;
      used[operation] = (used[operation] ?? 0) + 1;
      const r = fixture(name);
      return { response: { statusCode: r.status, headers: r.headers, body: Readable.from([Buffer.from(r.body)]) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const credentials = { accessKeyId: 'AKIAEXAMPLEEXAMPLE', secretAccessKey: 'recorded-answers-need-no-secret' };
  return { config: { requestHandler, credentials }, calls };
}

/** Client config whose credential chain finds nothing, as on a machine without AWS. */
export function noCredentials() {
  const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
  return { credentials: () => Promise.reject(error) };
}
