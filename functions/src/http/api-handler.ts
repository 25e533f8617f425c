/**
 * Adapts an API Gateway HTTP API (v2) event with a JWT authorizer to a route: user from the
 * `sub` claim, per-user rate limit, body size and JSON parsing, one place for errors, and the
 * request's log keys and metrics scoped to this invocation.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { API } from '../../../guide';
import { PayloadTooLargeError, RateLimitedError, UnauthorizedError, ValidationError } from '../domain/errors';
import { isValidUserId } from '../domain/schemas';
import { createObserver, type Observer } from '../observability/observer';
import { getDependencies, type Dependencies } from '../runtime/deps';
import { asDomainError } from '../runtime/errors';
import { errorResponse, jsonResponse } from './respond';

export interface ApiRequest {
  userId: string;
  requestId: string;
  pathParameters: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body (undefined when there is none). */
  body: unknown;
}

export interface RouteResult {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Route = ((req: ApiRequest, deps: Dependencies, observer: Observer) => Promise<RouteResult>) & {
  /**
   * The route counts the request against the rate limit itself, in its own first statement (the
   * status check: one round trip), so apiHandler does not. A request refused before the route
   * runs (a body it cannot read) is still counted by apiHandler.
   */
  readonly countsRateLimit?: boolean;
};

function readBody(event: APIGatewayProxyEventV2WithJWTAuthorizer): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > API.maxBodyBytes) {
    throw new PayloadTooLargeError(`The request body is ${raw.byteLength} bytes; the limit is ${API.maxBodyBytes} bytes`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError('The request body is not valid JSON');
  }
}

function lowerCaseHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

export function apiHandler(route: Route, routeName: string) {
  return async (event: APIGatewayProxyEventV2WithJWTAuthorizer, _context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const sub = event.requestContext?.authorizer?.jwt?.claims?.sub;
    const userId = isValidUserId(sub) ? sub : undefined;
    const observer = createObserver({ requestId, userId, route: routeName, processId: event.pathParameters?.processId });
    try {
      // API Gateway's JWT authorizer rejects a missing subject before us; a handler invoked otherwise
      // must too, and so must a subject that is not a user id we can store (isValidUserId).
      if (!userId) {
        observer.metrics.add('authFailures', 1);
        throw new UnauthorizedError();
      }
      const deps = await getDependencies();
      if (!route.countsRateLimit) await deps.rateLimiter.consume(userId, deps.clock.now());
      let body: unknown;
      try {
        body = readBody(event);
      } catch (err) {
        if (route.countsRateLimit) await deps.rateLimiter.consume(userId, deps.clock.now());
        throw err;
      }
      const req: ApiRequest = {
        userId,
        requestId,
        pathParameters: event.pathParameters ?? {},
        headers: lowerCaseHeaders(event.headers),
        body,
      };
      const result = await route(req, deps, observer);
      return jsonResponse(result.statusCode, result.body, result.headers);
    } catch (caught) {
      // Only a real limit hit counts: a database outage is not a security signal.
      if (caught instanceof RateLimitedError) {
        observer.metrics.add('rateLimited', 1);
        observer.logger.warn('Rate limit exceeded', { userId });
      }
      const err = asDomainError(caught);
      const response = errorResponse(err, requestId);
      const statusCode = response.statusCode ?? 500;
      if (statusCode >= 500) observer.logger.error(`Request failed with ${statusCode}`, { statusCode, error: caught as Error });
      else observer.logger.info(`Request refused with ${statusCode}`, { statusCode, reason: (err as Error).message });
      return response;
    } finally {
      observer.metrics.flush();
    }
  };
}
