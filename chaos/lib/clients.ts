/**
 * Clients of the API as a chaos part drives them: starts with an Idempotency-Key that are sent
 * again, with the same key and body, when they were not answered (the connection died with the
 * runtime) or answered 503; and a tally of every response, where only a 503 with Retry-After may
 * be a 5xx.
 */
import { startBody } from '../../harness/processes';
import type { ProcessType } from '../../guide';

/** A request that may stay unanswered: a runtime killed mid-request never answers it. */
const REQUEST_TIMEOUT_MS = 30_000;

export class Tally {
  readonly byStatus: Record<string, number> = {};
  requests = 0;
  networkErrors = 0;
  /** 5xx other than 503, and 503 without Retry-After: what the contract never allows. */
  unexpected5xx = 0;
  unavailableWithRetryAfter = 0;
  readonly examples: string[] = [];

  record(what: string, res: Response | Error, body?: string): void {
    this.requests++;
    if (res instanceof Error) {
      this.networkErrors++;
      this.note(`${what} → no answer (${(res.cause as Error | undefined)?.message ?? res.message})`);
      return;
    }
    this.byStatus[res.status] = (this.byStatus[res.status] ?? 0) + 1;
    if (res.status === 503 && /^\d+$/.test(res.headers.get('retry-after') ?? '')) this.unavailableWithRetryAfter++;
    else if (res.status >= 500) {
      this.unexpected5xx++;
      this.note(`${what} → ${res.status} (Retry-After: ${res.headers.get('retry-after') ?? 'none'}) ${body?.slice(0, 160) ?? ''}`);
    }
  }

  note(line: string): void {
    if (this.examples.length < 20) this.examples.push(line);
  }
}

export interface StartRequest {
  key: string;
  token: string;
  body: { type: ProcessType; input: Record<string, unknown> };
  sends: number;
  /** The 202's process id, once answered so. */
  processId?: string;
  /** A final answer other than 202 (a 4xx): the request is settled, wrongly. */
  refused?: number;
}

export function newStart(key: string, token: string, type: ProcessType = 'SUBGOAL_GENERATION'): StartRequest {
  return { key, token, body: startBody(type), sends: 0 };
}

export const answered = (r: StartRequest): boolean => r.processId !== undefined || r.refused !== undefined;

/** Sends (or sends again) a start; true once it has its final answer. */
export async function sendStart(url: string, r: StartRequest, tally?: Tally): Promise<boolean> {
  r.sends++;
  const what = `POST /v1/processes (Idempotency-Key ${r.key}, send ${r.sends})`;
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${url}/v1/processes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json', 'idempotency-key': r.key },
      body: JSON.stringify(r.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await res.text();
  } catch (err) {
    tally?.record(what, err as Error);
    return false;
  }
  tally?.record(what, res, text);
  if (res.status === 202) r.processId = JSON.parse(text).processId;
  else if (res.status < 500) r.refused = res.status;
  return answered(r);
}

/** Sends every unanswered request again until each has its answer (or `attempts` rounds passed). */
export async function resendUnanswered(url: string, requests: StartRequest[], tally?: Tally, attempts = 20): Promise<number> {
  let resent = 0;
  for (let round = 0; round < attempts; round++) {
    const pending = requests.filter((r) => !answered(r));
    if (!pending.length) break;
    resent += pending.length;
    await Promise.all(pending.map((r) => sendStart(url, r, tally)));
    if (pending.some((r) => !answered(r))) await new Promise((res) => setTimeout(res, 500));
  }
  return resent;
}
