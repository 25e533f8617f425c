/**
 * API Gateway HTTP API (payload v2) events as the JWT authorizer hands them to our handlers,
 * and a reader for the handlers' responses.
 */
import { AUTH } from '../../guide';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface ApiEventOptions {
  /** The JWT `sub`; `null` builds an event without an authorizer (a handler invoked directly). */
  userId: string | null;
  method?: 'GET' | 'POST';
  /** e.g. `/v1/processes/{id}/retry`; path parameters are read from it. */
  path: string;
  /** Serialised as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
}

const ROUTES: { pattern: RegExp; key: string }[] = [
  { pattern: /^\/v1\/processes$/, key: 'POST /v1/processes' },
  { pattern: /^\/v1\/processes\/([^/]+)$/, key: 'GET /v1/processes/{processId}' },
  { pattern: /^\/v1\/processes\/([^/]+)\/retry$/, key: 'POST /v1/processes/{processId}/retry' },
  { pattern: /^\/v1\/processes\/([^/]+)\/cancel$/, key: 'POST /v1/processes/{processId}/cancel' },
];

export function apiEvent(opts: ApiEventOptions): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = opts.method ?? 'POST';
  const route = ROUTES.find((r) => r.pattern.test(opts.path));
  if (!route) throw new Error(`No route of the contract matches ${opts.path}`);
  const processId = route.pattern.exec(opts.path)?.[1];
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const nowEpoch = Math.floor(Date.now() / 1000);
  const requestId = `req-${randomUUID()}`;
  const event = {
    version: '2.0',
    routeKey: route.key,
    rawPath: opts.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', authorization: 'Bearer <redacted>', ...opts.headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234567',
      domainName: 'api1234567.execute-api.ap-northeast-1.amazonaws.com',
      domainPrefix: 'api1234567',
      http: { method, path: opts.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'jest' },
      requestId,
      routeKey: route.key,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      authorizer:
        opts.userId === null
          ? undefined
          : {
              principalId: '',
              integrationLatency: 0,
              jwt: {
                claims: {
                  sub: opts.userId,
                  iss: 'https://issuer.example.com/',
                  aud: 'async-ai-pipeline',
                  iat: nowEpoch,
                  exp: nowEpoch + AUTH.tokenValidityHours * 3600,
                },
                scopes: null,
              },
            },
    },
    pathParameters: processId === undefined ? undefined : { processId: decodeURIComponent(processId) },
    isBase64Encoded: opts.isBase64Encoded ?? false,
    body,
  };
  return event as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export type ApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyStructuredResultV2>;

/** Invokes a handler module's `handler` with an event built from `opts` and parses the answer. */
export async function invoke<T = any>(handler: ApiHandler, opts: ApiEventOptions): Promise<ParsedResponse<T>> {
  return parseResponse<T>(await handler(apiEvent(opts)));
}

/** The members of a process in the contract (DESIGN.md §4), and nothing else. */
export const API_PROCESS_KEYS = [
  'processId',
  'type',
  'status',
  'progress',
  'result',
  'error',
  'retryCount',
  'createdAt',
  'updatedAt',
  'completedAt',
];

export interface ParsedResponse<T = any> {
  statusCode: number;
  headers: Record<string, string>;
  body: T;
}

export function parseResponse<T = any>(res: APIGatewayProxyStructuredResultV2): ParsedResponse<T> {
  return {
    statusCode: res.statusCode ?? 0,
    headers: Object.fromEntries(Object.entries(res.headers ?? {}).map(([k, v]) => [k, String(v)])),
    body: res.body ? JSON.parse(res.body) : undefined,
  };
}
