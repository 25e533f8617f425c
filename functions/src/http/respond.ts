/**
 * The one place where errors become the contract's JSON: `{"error": {code, message, requestId}}`.
 * Unknown errors become 500 INTERNAL_ERROR with a generic message (no stack, no SQL); a database
 * that cannot be reached becomes 503 SERVICE_UNAVAILABLE.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DESIGN } from '../../../guide';
import { ApiError, type ApiErrorCode } from '../domain/errors';
import { isDatabaseUnavailable } from '../state/errors';

export const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } as const;

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorBody(code: ApiErrorCode, message: string, requestId: string, details?: unknown) {
  return { error: { code, message, requestId, ...(details !== undefined ? { details } : {}) } };
}

export function errorResponse(err: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  if (err instanceof ApiError) {
    return jsonResponse(err.statusCode, errorBody(err.code, err.message, requestId, err.details), err.headers);
  }
  if (isDatabaseUnavailable(err)) {
    return jsonResponse(503, errorBody('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; try again shortly', requestId), { 'Retry-After': String(DESIGN.unavailableRetryAfterSeconds) });
  }
  return jsonResponse(500, errorBody('INTERNAL_ERROR', 'An internal error occurred', requestId));
}
