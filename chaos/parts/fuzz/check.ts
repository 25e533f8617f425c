/**
 * Judges one exchange: every answer below 500, every 4xx/5xx in the contract's envelope with the
 * contract's code for its status, a 401 with WWW-Authenticate, a 429/503 with Retry-After, the
 * status the oracle expects, an answer wherever one is owed (no reset, no silence), and a slow
 * client cut off in time.
 */
import type { RawExchange, RawResponse } from '../../../harness/raw-http';
import type { FuzzCase } from './case';

/** The contract's status for each error code (DESIGN.md §4). */
const CODE_STATUS: Record<string, number> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  RETRY_LIMIT_EXCEEDED: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

export type Problem = 'status5xx' | 'outsideEnvelope' | 'unexpectedStatus' | 'reset' | 'noResponse' | 'slowClientNotClosed';

export interface Verdict {
  problems: { kind: Problem; detail: string }[];
}

function envelopeProblem(res: RawResponse): string | undefined {
  if (!/^application\/json/.test(res.headers['content-type'] ?? '')) return `Content-Type ${res.headers['content-type']}`;
  let body: { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
  try {
    body = JSON.parse(res.body);
  } catch {
    return `body is not JSON: ${JSON.stringify(res.body.slice(0, 80))}`;
  }
  const e = body?.error;
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string' || typeof e.requestId !== 'string')
    return `no {error:{code,message,requestId}}: ${res.body.slice(0, 80)}`;
  if (CODE_STATUS[e.code] !== res.status) return `code ${e.code} with status ${res.status}`;
  if (res.status === 401 && res.headers['www-authenticate'] !== 'Bearer') return '401 without WWW-Authenticate: Bearer';
  if ((res.status === 429 || res.status === 503) && !res.headers['retry-after']) return `${res.status} without Retry-After`;
  return undefined;
}

export function judge(c: FuzzCase, x: RawExchange): Verdict {
  const problems: Verdict['problems'] = [];
  x.responses.forEach((res, i) => {
    if (res.status >= 500) problems.push({ kind: 'status5xx', detail: `${res.status} ${res.body.slice(0, 120)}` });
    const isHead = c.methods[i] === 'HEAD';
    if (res.status >= 400 && !isHead) {
      const wrong = envelopeProblem(res);
      if (wrong) problems.push({ kind: 'outsideEnvelope', detail: `${res.status}: ${wrong}` });
    }
  });
  const first = x.responses[0];
  switch (c.expect.kind) {
    case 'response': {
      const count = c.expect.count ?? 1;
      if (x.responses.length < count) {
        const reset = x.error === 'ECONNRESET' || x.error === 'EPIPE';
        problems.push({
          kind: reset ? 'reset' : 'noResponse',
          detail: `${x.responses.length} of ${count} answers; ${x.error ?? (x.closed ? 'closed' : 'open')} after ${x.ms} ms`,
        });
      }
      const statuses = c.expect.statuses;
      if (first && statuses && !statuses.includes(first.status)) {
        problems.push({ kind: 'unexpectedStatus', detail: `${first.status}, expected ${statuses.join('/')}: ${first.body.slice(0, 100)}` });
      }
      break;
    }
    case 'close':
      if (!x.closed || x.error === 'timeout' || x.ms > c.expect.withinMs) {
        problems.push({ kind: 'slowClientNotClosed', detail: `still open after ${x.ms} ms (limit ${c.expect.withinMs} ms)` });
      }
      break;
    case 'any':
      break;
  }
  return { problems };
}
