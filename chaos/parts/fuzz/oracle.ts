/**
 * What the edge must answer to a well-framed request, worked out from the contract in API
 * Gateway's order: a target that is not a path or URL 400; an unknown route 404; no valid token 401;
 * a path parameter that is not valid percent-encoded UTF-8 400; a body over 16 KiB 413; then the
 * handler: a body that is not JSON 400, a start body its schema refuses 400, a processId that is not
 * a UUID 400, another user's process 404.
 */
import { API } from '../../../guide';
import { startRequestSchema } from '../../../functions/src/domain/schemas';
import { FaultControl } from '../../../local/bedrock-server';
import { FAULTS_PATH } from '../../../local/api-server';
import type { FuzzContext } from './case';
import type { AuthCase } from './tokens';

export interface WellFramed {
  method: string;
  target: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
  auth: AuthCase;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The rule of `usecases/start-process.ts`. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function pathOf(target: string): string | undefined {
  if (target.startsWith('/')) return target.split('?')[0];
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    return new URL(target).pathname;
  } catch {
    return undefined;
  }
}

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (body.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function faultsStatus(req: WellFramed): number[] {
  const origin = req.headers.origin;
  const local = ['127.0.0.1', 'localhost'].some((h) => req.headers.host === h || req.headers.host?.startsWith(`${h}:`));
  if (origin !== undefined && !(local && origin === `http://${req.headers.host}`)) return [400];
  if (req.method === 'GET' || req.method === 'HEAD') return [200];
  if (req.method !== 'POST') return [404];
  if ((req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json') return [400];
  if (req.body.length > API.maxBodyBytes) return [413];
  const json = parseJson(req.body);
  if (!json.ok) return [400];
  try {
    new FaultControl().set(json.value ?? {});
    return [200];
  } catch {
    return [400];
  }
}

/** The statuses the edge may answer; more than one only where the process's state decides. */
export function expectedStatuses(req: WellFramed, ctx: FuzzContext): number[] {
  const path = pathOf(req.target);
  if (path === undefined) return [400];
  if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) return [200];
  if (path === FAULTS_PATH) return faultsStatus(req);

  const item = /^\/v1\/processes\/([^/]+)$/.exec(path);
  const action = /^\/v1\/processes\/([^/]+)\/(retry|cancel)$/.exec(path);
  const route =
    req.method === 'POST' && path === '/v1/processes'
      ? 'start'
      : req.method === 'GET' && item
        ? 'status'
        : req.method === 'POST' && action
          ? action[2]!
          : undefined;
  if (!route) return [404];
  if (!req.auth.user) return [401];
  const raw = (item ?? action)?.[1];
  const processId = raw === undefined ? undefined : decode(raw);
  if (raw !== undefined && processId === undefined) return [400];
  if (req.body.length > API.maxBodyBytes) return [413];
  const json = parseJson(req.body);
  if (!json.ok) return [400];

  if (route === 'start') {
    const key = req.headers['idempotency-key'];
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) return [400];
    return startRequestSchema.safeParse(json.value).success ? [202] : [400];
  }
  if (!UUID.test(processId!)) return [400];
  const own = req.auth.user === 'a' || req.auth.user === 'b' ? ctx.processes[req.auth.user] : [];
  if (!own.includes(processId!.toLowerCase())) return [404];
  return route === 'status' ? [200] : route === 'retry' ? [202, 409] : [200, 409];
}
