/**
 * What API Gateway (HTTP API, JWT authorizer, Lambda proxy v2) does in front of the handlers:
 * match the route, verify the token, build the v2 event, invoke the handler with a Lambda
 * context, and turn its result into the HTTP response.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { JWTPayload } from 'jose';

export type LambdaHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface RouteSpec {
  method: string;
  /** API Gateway route path, e.g. `/v1/processes/{processId}`. */
  path: string;
  functionName: string;
  timeoutSeconds: number;
  handler: LambdaHandler;
}

/**
 * The route for a method and a raw (still percent-encoded) path, with its raw path parameters.
 * Matching never decodes, so it cannot fail: a malformed escape is the route's problem, found
 * after the token check (`decodePathParameters`), as API Gateway orders it (404, then 401, then 400).
 */
export function matchRoute(
  routes: RouteSpec[],
  method: string,
  path: string,
): { route: RouteSpec; rawPathParameters: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      `^${route.path.replace(/\{(\w+)\}/g, (_, n: string) => {
        names.push(n);
        return '([^/]+)';
      })}$`,
    );
    const m = pattern.exec(path);
    if (m) return { route, rawPathParameters: Object.fromEntries(names.map((n, i) => [n, m[i + 1]!])) };
  }
  return undefined;
}

/** Decodes path parameters as API Gateway passes them; a malformed escape (`%zz`, a lone surrogate's bytes) gives `undefined`. */
export function decodePathParameters(raw: Record<string, string>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return out;
}

export function buildEvent(args: {
  route: RouteSpec;
  pathParameters: Record<string, string>;
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  claims: JWTPayload;
  requestId: string;
  sourceIp: string;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(args.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const now = new Date();
  const claims: Record<string, string | number | boolean | string[]> = {};
  for (const [k, v] of Object.entries(args.claims)) {
    claims[k] = Array.isArray(v) ? v.map(String) : typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
  }
  const routeKey = `${args.route.method} ${args.route.path}`;
  const text = args.body.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(args.body);
  return {
    version: '2.0',
    routeKey,
    rawPath: args.rawPath,
    rawQueryString: args.rawQuery,
    headers,
    queryStringParameters: args.rawQuery ? Object.fromEntries(new URLSearchParams(args.rawQuery)) : undefined,
    pathParameters: Object.keys(args.pathParameters).length ? args.pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: args.method,
        path: args.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: args.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: args.requestId,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: args.body.length ? (isText ? text : args.body.toString('base64')) : undefined,
    isBase64Encoded: args.body.length > 0 && !isText,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export function lambdaContext(functionName: string, requestId: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '0',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The handler ran past its Lambda timeout (Lambda reports `Task timed out after N seconds`). */
export class TaskTimedOut extends Error {
  override readonly name = 'TaskTimedOut';
}

/** Runs a handler with its Lambda timeout, as the Lambda service would. */
export async function invokeWithTimeout<T>(fn: () => Promise<T>, timeoutSeconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TaskTimedOut(`Task timed out after ${timeoutSeconds} seconds`)), timeoutSeconds * 1000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
