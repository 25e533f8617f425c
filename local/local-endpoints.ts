/**
 * The local runtime's own endpoints, beside the contract's routes: `GET /health`, the fault
 * control `/_local/ai/faults` (DESIGN.md §5) and `POST /_local/maintenance`, which runs a
 * maintenance task now, as its schedule would (the failure scenarios use it).
 */
import type { IncomingMessage } from 'node:http';
import { API, DESIGN } from '../guide';
import { errorBody } from '../functions/src/http/respond';
import type { FaultControl } from './bedrock-server';
import { declaredLength, errorAnswer, jsonAnswer, readBody, tooLarge, type RawAnswer } from './http-edge';

export const FAULTS_PATH = '/_local/ai/faults';
export const MAINTENANCE_PATH = '/_local/maintenance';
/** A health check that takes longer than this is a failed one. */
const HEALTH_TIMEOUT_MS = 3_000;

export interface HealthReport {
  ok: boolean;
  [k: string]: unknown;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** 200 with the report when it says ok; otherwise 503 with Retry-After, the report's details, in the error envelope. */
export async function healthAnswer(
  check: () => Promise<HealthReport>,
  requestId: string,
  failed: (err: unknown) => void,
): Promise<RawAnswer> {
  let h: HealthReport;
  try {
    h = await withTimeout(check(), HEALTH_TIMEOUT_MS, 'The health check');
  } catch (err) {
    failed(err);
    h = { ok: false, error: 'The health check failed' };
  }
  if (h?.ok === true) return jsonAnswer(200, h);
  const message = typeof h?.error === 'string' ? h.error : 'The service is starting or recovering; try again shortly';
  return jsonAnswer(
    503,
    { ...h, ok: false, ...errorBody('SERVICE_UNAVAILABLE', message, requestId) },
    { 'Retry-After': String(DESIGN.unavailableRetryAfterSeconds) },
  );
}

/** The runtime's own origin: a page it served could use the control; no other page may. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    const url = new URL(origin);
    return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && !!host && url.host === host;
  } catch {
    return false;
  }
}

const mediaType = (req: IncomingMessage): string => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * The fault control: JSON only, and never from a web page (a cross-site form or a simple fetch
 * could otherwise set faults; both are refused with 400). `undefined`: the client went away.
 */
export async function faultsAnswer(
  req: IncomingMessage,
  method: string,
  requestId: string,
  faults: FaultControl,
): Promise<RawAnswer | undefined> {
  const refuse = (message: string) => errorAnswer(400, 'VALIDATION_ERROR', message, requestId);
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, req.headers.host))
    return refuse(`Requests from web pages (Origin ${JSON.stringify(origin.slice(0, 100))}) may not use the local fault control`);
  if (method === 'GET' || method === 'HEAD') return jsonAnswer(200, faults.get());
  if (method !== 'POST') return errorAnswer(404, 'NOT_FOUND', `No route for ${method} ${FAULTS_PATH}`, requestId);
  if (mediaType(req) !== 'application/json') return refuse('Content-Type must be application/json');
  if ((declaredLength(req) ?? 0) > API.maxBodyBytes) return tooLarge(requestId);
  const read = await readBody(req, API.maxBodyBytes);
  if (read.kind === 'gone') return undefined;
  if (read.kind === 'too-large') return tooLarge(requestId);
  try {
    return jsonAnswer(200, faults.set(JSON.parse(read.body.toString('utf8') || '{}')));
  } catch (err) {
    return refuse(err instanceof SyntaxError ? 'The request body is not valid JSON' : (err as Error).message);
  }
}

/** Runs a maintenance task (`{"task": "weekly-maintenance"}`); same refusals as the fault control. 500 with the error when the task fails. */
export async function maintenanceAnswer(
  req: IncomingMessage,
  method: string,
  requestId: string,
  run: (task: string) => Promise<unknown>,
): Promise<RawAnswer | undefined> {
  const refuse = (message: string) => errorAnswer(400, 'VALIDATION_ERROR', message, requestId);
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, req.headers.host))
    return refuse(`Requests from web pages (Origin ${JSON.stringify(origin.slice(0, 100))}) may not run maintenance`);
  if (method !== 'POST') return errorAnswer(404, 'NOT_FOUND', `No route for ${method} ${MAINTENANCE_PATH}`, requestId);
  if (mediaType(req) !== 'application/json') return refuse('Content-Type must be application/json');
  const read = await readBody(req, API.maxBodyBytes);
  if (read.kind === 'gone') return undefined;
  if (read.kind === 'too-large') return tooLarge(requestId);
  let task: unknown;
  try {
    task = (JSON.parse(read.body.toString('utf8') || '{}') as { task?: unknown }).task;
  } catch {
    return refuse('The request body is not valid JSON');
  }
  if (typeof task !== 'string') return refuse('The body must be {"task": "<maintenance task>"}');
  try {
    return jsonAnswer(200, await run(task));
  } catch (err) {
    return jsonAnswer(500, errorBody('INTERNAL_ERROR', (err as Error).message, requestId));
  }
}
