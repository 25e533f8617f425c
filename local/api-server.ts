/**
 * The local HTTP API on 127.0.0.1: the contract's routes (through api-gateway.ts to the real
 * handler modules), `GET /health`, and the local-only `POST /_local/ai/faults`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody } from '../functions/src/http/respond';
import type { ApiErrorCode } from '../functions/src/domain/errors';
import { TokenRejected, verifyBearer, type LocalKeys } from './auth';
import { buildEvent, invokeWithTimeout, lambdaContext, matchRoute, type RouteSpec } from './api-gateway';
import type { FaultControl } from './bedrock-server';

/** API Gateway's own payload limit is far larger; beyond this we stop reading (the handler's 16 KiB rule answers below it). */
const MAX_READ_BYTES = 1024 * 1024;

export interface ApiServerOptions {
  host: string;
  port: number;
  routes: RouteSpec[];
  keys: LocalKeys;
  faults: FaultControl;
  health: () => Promise<{ ok: boolean; [k: string]: unknown }>;
  onAuthFailure?: (reason: string) => void;
  accessLog?: (entry: Record<string, unknown>) => void;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const sendError = (res: ServerResponse, status: number, code: ApiErrorCode, message: string, requestId: string, headers: Record<string, string> = {}) =>
  send(res, status, errorBody(code, message, requestId), { 'apigw-requestid': requestId, ...headers });

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_READ_BYTES) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startApiServer(opts: ApiServerOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const started = Date.now();
    const requestId = crypto.randomUUID();
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    res.on('finish', () => opts.accessLog?.({ requestId, method, path: url.pathname, status: res.statusCode, latencyMs: Date.now() - started }));
    try {
      if (url.pathname === '/health' && method === 'GET') {
        const h = await opts.health();
        return send(res, h.ok ? 200 : 503, h);
      }
      if (url.pathname === '/_local/ai/faults') {
        if (method === 'GET') return send(res, 200, opts.faults.get());
        if (method !== 'POST') return sendError(res, 404, 'NOT_FOUND', 'Not found', requestId);
        const body = await readBody(req);
        try {
          return send(res, 200, opts.faults.set(JSON.parse(body?.toString('utf8') || '{}')));
        } catch (err) {
          return sendError(res, 400, 'VALIDATION_ERROR', (err as Error).message, requestId);
        }
      }
      const match = matchRoute(opts.routes, method, url.pathname);
      if (!match) return sendError(res, 404, 'NOT_FOUND', `No route for ${method} ${url.pathname}`, requestId);

      let claims;
      try {
        claims = await verifyBearer(opts.keys, req.headers.authorization);
      } catch (err) {
        if (!(err instanceof TokenRejected)) throw err;
        opts.onAuthFailure?.(err.message);
        return sendError(res, 401, 'UNAUTHORIZED', 'Missing or invalid token', requestId, { 'WWW-Authenticate': 'Bearer' });
      }
      const body = await readBody(req);
      if (!body) return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${MAX_READ_BYTES} bytes`, requestId);

      const { route, pathParameters } = match;
      const event = buildEvent({
        route, pathParameters, method, rawPath: url.pathname, rawQuery: url.search.replace(/^\?/, ''),
        headers: req.headers, body, claims, requestId, sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      });
      const result = await invokeWithTimeout(
        () => route.handler(event, lambdaContext(route.functionName, requestId, route.timeoutSeconds)),
        route.timeoutSeconds,
      );
      const headers: Record<string, string> = { 'apigw-requestid': requestId };
      for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
      send(res, result.statusCode ?? 200, result.body ?? '', headers);
    } catch {
      // The handler crashed or timed out: what API Gateway answers when the integration fails.
      if (!res.headersSent) sendError(res, 503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable', requestId);
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`Port ${opts.port} on ${opts.host} is already in use: stop what uses it, or start with PORT=<another port>`) : err));
    server.listen(opts.port, opts.host, resolve);
  });
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
