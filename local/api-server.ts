/**
 * The local HTTP API on 127.0.0.1: the contract's routes (through api-gateway.ts to the real
 * handler modules), `GET /health`, and the local-only `/_local/ai/faults`.
 *
 * The edge never dies and never answers 5xx to bad input (DESIGN.md §6). In API Gateway's order:
 * a request node cannot parse gets 400, an unknown route 404, a route without a valid token 401,
 * a bad path parameter 400, a body over API.maxBodyBytes 413 (Content-Length is checked first);
 * then the handler answers. Every error is the contract's envelope, and every status/code pair is
 * the contract's. An exception anywhere in here is logged and answered 500 INTERNAL_ERROR; a
 * handler that runs past its Lambda timeout is answered 503 with Retry-After, as API Gateway does.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { API, DESIGN } from '../guide';
import {
  TaskTimedOut,
  buildEvent,
  decodePathParameters,
  invokeWithTimeout,
  lambdaContext,
  matchRoute,
  type RouteSpec,
} from './api-gateway';
import { TokenRejected, verifyBearer, type LocalKeys } from './auth';
import type { FaultControl } from './bedrock-server';
import {
  answerAndClose,
  declaredLength,
  errorAnswer,
  isClosing,
  parseTarget,
  readBody,
  responseInFlight,
  sendAnswer,
  sendContinue,
  tooLarge,
  type RawAnswer,
} from './http-edge';
import { FAULTS_PATH, MAINTENANCE_PATH, faultsAnswer, healthAnswer, maintenanceAnswer, type HealthReport } from './local-endpoints';
import type { ApiRequestRecord } from './metrics';
import { SpanKind, inSpan, lambdaSpan, markFailed } from './tracing/spans';
import { renderOpenApi } from '../infra/specs/openapi';

/** The contract, as `docs/openapi.yaml` states it, served where a client or a browser can read it. */
export const OPENAPI_URL_PATH = '/openapi.yaml';
let openApiText: string | undefined;
const openApi = (): string => (openApiText ??= renderOpenApi());

export { FAULTS_PATH, type HealthReport };
/** A client has this long to send its request headers (slowloris), and this long for the whole request. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 20_000;

export interface ApiServerOptions {
  host: string;
  port: number;
  routes: RouteSpec[];
  keys: LocalKeys;
  faults: FaultControl;
  health: () => Promise<HealthReport>;
  onAuthFailure?: (reason: string) => void;
  /** Local-only pages (the dashboard): answers and returns true for the paths it serves. */
  pages?: (req: IncomingMessage, res: ServerResponse, path: string, query: string) => Promise<boolean>;
  accessLog?: (entry: Record<string, unknown>) => void;
  /** Every request to the contract's API as API Gateway records it (local/metrics: AWS/ApiGateway and the access log). */
  onRequest?: (r: ApiRequestRecord) => void;
  /** Runs a maintenance task for `POST /_local/maintenance`; without it the path is not served. */
  maintenance?: (task: string) => Promise<unknown>;
  /** Where unexpected errors are reported; default: a JSON line on stderr. */
  onError?: (message: string, fields: Record<string, unknown>) => void;
  /** @default HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS */
  timeouts?: { headersMs: number; requestMs: number };
}

const reportToStderr = (message: string, fields: Record<string, unknown>) =>
  process.stderr.write(
    `${JSON.stringify({ timestamp: new Date().toISOString(), level: 'ERROR', service: 'local-api', message, ...fields })}\n`,
  );

/** The processId of a handler's JSON answer (a start's 202), if it has one. */
function processIdIn(body: unknown): string | undefined {
  if (typeof body !== 'string' || !body.includes('processId')) return undefined;
  try {
    const id = (JSON.parse(body) as { processId?: unknown }).processId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

const describeError = (err: unknown) =>
  err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : { thrown: String(err) };

export async function startApiServer(opts: ApiServerOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const report = opts.onError ?? reportToStderr;
  const { headersMs, requestMs } = opts.timeouts ?? { headersMs: HEADERS_TIMEOUT_MS, requestMs: REQUEST_TIMEOUT_MS };
  const log = (entry: Record<string, unknown>) => {
    try {
      opts.accessLog?.(entry);
    } catch (err) {
      report('The access log failed', { error: describeError(err) });
    }
  };
  const answer = (req: IncomingMessage, res: ServerResponse, a: RawAnswer) =>
    sendAnswer(req, res, a, () => log({ status: a.status, closed: 'body longer than the drain limit' }));

  /** What API Gateway knows of a request when it answers: the token's subject or the authorizer's refusal, the integration's time. */
  type Seen = { sub?: string; authorizerError?: string; integration?: { started: number; ended?: number } };

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    query: string,
    requestId: string,
    started: number,
  ): Promise<void> {
    const match = matchRoute(opts.routes, method, path);
    const seen: Seen = {};
    if (opts.onRequest) {
      res.on('finish', () => {
        const at = Date.now();
        try {
          opts.onRequest!({
            routeKey: match ? `${match.route.method} ${match.route.path}` : '$default',
            status: res.statusCode,
            latencyMs: at - started,
            requestId,
            ip: req.socket.remoteAddress ?? '127.0.0.1',
            sub: seen.sub,
            authorizerError: seen.authorizerError,
            at,
            integrationLatencyMs: seen.integration ? (seen.integration.ended ?? at) - seen.integration.started : undefined,
          });
        } catch (err) {
          report('The request metrics failed', { error: describeError(err) });
        }
      });
    }
    if (!match) return answer(req, res, errorAnswer(404, 'NOT_FOUND', `No route for ${method} ${path.slice(0, 200)}`, requestId));
    // API Gateway's request, as X-Ray shows it: the route's span holds the Lambda invocation.
    const routeKey = `${match.route.method} ${match.route.path}`;
    await inSpan(
      `API Gateway ${routeKey}`,
      { kind: SpanKind.SERVER, attributes: { 'http.method': method, 'http.route': match.route.path, requestId } },
      async (span) => {
        const traced: { processId?: string } = {};
        await invokeRoute(req, res, match, method, path, query, requestId, traced, seen);
        if (traced.processId) span.setAttribute('processId', traced.processId);
        span.setAttribute('http.status_code', res.statusCode);
        if (res.statusCode >= 500) markFailed(span, undefined, `HTTP ${res.statusCode}`);
      },
    );
  }

  /** Authorizer, body limits, the Lambda invocation; `traced.processId` says which process the request was about. */
  async function invokeRoute(
    req: IncomingMessage,
    res: ServerResponse,
    match: NonNullable<ReturnType<typeof matchRoute>>,
    method: string,
    path: string,
    query: string,
    requestId: string,
    traced: { processId?: string },
    seen: Seen,
  ): Promise<void> {
    let claims: Awaited<ReturnType<typeof verifyBearer>>;
    try {
      claims = await verifyBearer(opts.keys, req.headers.authorization);
    } catch (err) {
      if (!(err instanceof TokenRejected)) throw err;
      seen.authorizerError = err.message;
      opts.onAuthFailure?.(err.message);
      return answer(req, res, errorAnswer(401, 'UNAUTHORIZED', 'Missing or invalid token', requestId, { 'WWW-Authenticate': 'Bearer' }));
    }
    seen.sub = typeof claims.sub === 'string' ? claims.sub : undefined;
    const pathParameters = decodePathParameters(match.rawPathParameters);
    if (!pathParameters)
      return answer(req, res, errorAnswer(400, 'VALIDATION_ERROR', 'A path parameter is not validly percent-encoded UTF-8', requestId));
    if ((declaredLength(req) ?? 0) > API.maxBodyBytes) return answer(req, res, tooLarge(requestId));

    sendContinue(req, res);
    const read = await readBody(req, API.maxBodyBytes);
    if (read.kind === 'gone') return;
    if (read.kind === 'too-large') return answer(req, res, tooLarge(requestId));

    const { route: spec } = match;
    const event = buildEvent({
      route: spec,
      pathParameters,
      method,
      rawPath: path,
      rawQuery: query,
      headers: req.headers,
      body: read.body,
      claims,
      requestId,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    });
    let result: Awaited<ReturnType<RouteSpec['handler']>>;
    traced.processId = pathParameters.processId;
    seen.integration = { started: Date.now() };
    try {
      result = await invokeWithTimeout(
        () =>
          lambdaSpan(spec.functionName, traced.processId ? { processId: traced.processId, requestId } : { requestId }, async (span) => {
            const answered = await spec.handler(event, lambdaContext(spec.functionName, requestId, spec.timeoutSeconds));
            traced.processId ??= processIdIn(answered?.body);
            if (traced.processId) span.setAttribute('processId', traced.processId);
            return answered;
          }),
        spec.timeoutSeconds,
      );
      seen.integration.ended = Date.now();
    } catch (err) {
      seen.integration.ended = Date.now();
      if (!(err instanceof TaskTimedOut)) throw err;
      // API Gateway's answer to an integration that did not answer in time.
      report('The handler timed out', { requestId, functionName: spec.functionName, error: describeError(err) });
      return answer(
        req,
        res,
        errorAnswer(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; try again shortly', requestId, {
          'Retry-After': String(DESIGN.unavailableRetryAfterSeconds),
        }),
      );
    }
    const statusCode = result?.statusCode ?? 200;
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599)
      throw new Error(`The handler answered an invalid statusCode ${JSON.stringify(statusCode)}`);
    const headers: Record<string, string> = { 'apigw-requestid': requestId };
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
    const body = typeof result.body === 'string' ? result.body : result.body === undefined ? '' : JSON.stringify(result.body);
    res.writeHead(statusCode, headers);
    res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = randomUUID();
    const method = req.method ?? 'GET';
    const target = parseTarget(req.url);
    res.on('finish', () =>
      log({
        requestId,
        method,
        path: target?.path ?? String(req.url).slice(0, 200),
        status: res.statusCode,
        latencyMs: Date.now() - started,
      }),
    );
    try {
      if (!target)
        return await answer(req, res, errorAnswer(400, 'VALIDATION_ERROR', 'The request target is not a valid path or URL', requestId));
      if (req.httpVersion === '1.1' && req.headers.host === undefined)
        return await answer(req, res, errorAnswer(400, 'VALIDATION_ERROR', 'An HTTP/1.1 request needs a Host header', requestId));
      const { path, query } = target;
      if (path === '/health' && (method === 'GET' || method === 'HEAD')) {
        return await answer(
          req,
          res,
          await healthAnswer(opts.health, requestId, (err) => report('The health check failed', { requestId, error: describeError(err) })),
        );
      }
      if (path === OPENAPI_URL_PATH && (method === 'GET' || method === 'HEAD')) {
        return await answer(req, res, {
          status: 200,
          headers: { 'Content-Type': 'application/yaml; charset=utf-8', 'Cache-Control': 'no-store' },
          body: openApi(),
        });
      }
      if (path === FAULTS_PATH) {
        const a = await faultsAnswer(req, method, requestId, opts.faults);
        return a && (await answer(req, res, a));
      }
      if (path === MAINTENANCE_PATH && opts.maintenance) {
        const a = await maintenanceAnswer(req, method, requestId, opts.maintenance);
        return a && (await answer(req, res, a));
      }
      if (opts.pages && (await opts.pages(req, res, path, query))) return;
      return await route(req, res, method, path, query, requestId, started);
    } catch (err) {
      report('Request handling failed', { requestId, method, path: target?.path, error: describeError(err) });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      await answer(req, res, errorAnswer(500, 'INTERNAL_ERROR', 'An internal error occurred', requestId)).catch(() => res.destroy());
    }
  }

  const server = createServer(
    {
      headersTimeout: headersMs,
      requestTimeout: requestMs,
      // Node checks the two timeouts this often (default 30 s, which would let a slowloris sit for 40 s).
      connectionsCheckingInterval: Math.min(1_000, headersMs),
      keepAliveTimeout: 5_000,
      // A missing Host is answered by `handle` in the envelope, not by node with an empty 400.
      requireHostHeader: false,
    },
    (req, res) => void handle(req, res).catch((err) => report('Request handling failed outside its guard', { error: describeError(err) })),
  );
  // A client that half-closes after its request (`printf … | nc`) still gets its answer; node's
  // default drops every request in flight on the client's FIN.
  (server as unknown as { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  // Without this listener node answers 100 Continue by itself, before we know the body is wanted.
  server.on(
    'checkContinue',
    (req, res) => void handle(req, res).catch((err) => report('Request handling failed outside its guard', { error: describeError(err) })),
  );
  server.on(
    'checkExpectation',
    (req: IncomingMessage, res: ServerResponse) =>
      void answer(
        req,
        res,
        errorAnswer(400, 'VALIDATION_ERROR', `Expect: ${String(req.headers.expect).slice(0, 100)} is not supported`, randomUUID()),
      ).catch(() => res.destroy()),
  );
  // What node's parser refuses (bad request line, header overflow, bad chunking, timeouts) gets the envelope too.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (isClosing(socket)) return;
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    const message =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? 'The request headers are too large'
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? `The request was not received in time (headers within ${headersMs / 1000} s, all of it within ${requestMs / 1000} s)`
          : 'Malformed HTTP request';
    answerAndClose(socket, errorAnswer(400, 'VALIDATION_ERROR', message, requestId), responseInFlight(socket));
    log({ requestId, status: 400, parserError: err.code });
  });
  // CONNECT (a proxy tunnel) is not something this API does; node would drop the connection unanswered.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    const requestId = randomUUID();
    answerAndClose(socket, errorAnswer(404, 'NOT_FOUND', `No route for CONNECT ${String(req.url).slice(0, 200)}`, requestId));
    log({ requestId, method: 'CONNECT', status: 404 });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Port ${opts.port} on ${opts.host} is already in use: stop what uses it, or start with PORT=<another port>`)
          : err,
      ),
    );
    server.listen(opts.port, opts.host, resolve);
  });
  // After start-up an error on the listening socket (e.g. EMFILE under load) is reported, never fatal.
  server.on('error', (err) => report('The API server reported an error', { error: describeError(err) }));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${opts.host}:${port}`,
    async close() {
      await new Promise((r) => {
        server.close(r);
        server.closeIdleConnections();
      });
    },
  };
}
