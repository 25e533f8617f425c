/** The contract's four routes over the use cases (DESIGN.md §4). */
import { API, DESIGN } from '../../../guide';
import { isActive, toApiProcess, type ProcessRecord } from '../domain/process';
import { cancelProcess } from '../usecases/cancel-process';
import { getProcess } from '../usecases/get-process';
import { retryProcess } from '../usecases/retry-process';
import { startProcess } from '../usecases/start-process';
import type { ApiRequest, Route, RouteResult } from './api-handler';
import type { Dependencies } from '../runtime/deps';
import { ValidationError } from '../domain/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function processIdOf(params: Record<string, string | undefined>): string {
  const id = params.processId;
  if (!id || !UUID.test(id)) throw new ValidationError('processId must be a UUID');
  return id.toLowerCase();
}

const location = (p: ProcessRecord) => `${API.basePath}/processes/${p.id}`;

/** A running process tells the client when to look again. */
function processResult(statusCode: number, p: ProcessRecord, headers: Record<string, string> = {}): RouteResult {
  const retryAfter: Record<string, string> = isActive(p.status) ? { 'Retry-After': String(DESIGN.statusRetryAfterSeconds) } : {};
  return { statusCode, body: toApiProcess(p), headers: { ...retryAfter, ...headers } };
}

export const startRoute: Route = async (req, deps, observer) => {
  const { process } = await startProcess(
    { store: deps.store, clock: deps.clock, observer, workflow: deps.workflow() },
    { userId: req.userId, body: req.body, idempotencyKey: req.headers['idempotency-key'] },
  );
  return processResult(202, process, { Location: location(process) });
};

/**
 * The status check counts the request and reads the process in one statement (its
 * `countsRateLimit`, so apiHandler does not count it again). A bad processId is counted first, so a user over the limit gets 429.
 */
export const statusRoute: Route = Object.assign(
  async (req: ApiRequest, deps: Dependencies): Promise<RouteResult> => {
    const now = deps.clock.now();
    let processId: string;
    try {
      processId = processIdOf(req.pathParameters);
    } catch (err) {
      await deps.rateLimiter.consume(req.userId, now);
      throw err;
    }
    const read = (id: string, userId: string) => deps.rateLimiter.consumeAndGet(userId, now, id);
    return processResult(200, await getProcess(read, { userId: req.userId, processId }));
  },
  { countsRateLimit: true },
);

export const retryRoute: Route = async (req, deps, observer) => {
  const process = await retryProcess(
    { store: deps.store, clock: deps.clock, observer, workflow: deps.workflow() },
    { userId: req.userId, processId: processIdOf(req.pathParameters) },
  );
  return processResult(202, process, { Location: location(process) });
};

export const cancelRoute: Route = async (req, deps, observer) => {
  const process = await cancelProcess(
    { store: deps.store, clock: deps.clock, observer, workflow: deps.workflow() },
    { userId: req.userId, processId: processIdOf(req.pathParameters) },
  );
  return processResult(200, process);
};
