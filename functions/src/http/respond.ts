/**
 * The one place where errors become the contract's JSON: `{"error": {code, message, requestId}}`.
 * Domain errors (`ApiError`) carry their status, code and headers; anything else becomes 500
 * INTERNAL_ERROR with a generic message (no stack, no SQL). Infrastructure failures are turned
 * into domain errors before they get here (`runtime/errors.ts`: a database that cannot be
 * reached is DatabaseUnavailableError, 503 with Retry-After).
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ApiError, type ApiErrorCode } from '../domain/errors';

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
  return jsonResponse(500, errorBody('INTERNAL_ERROR', 'An internal error occurred', requestId));
}
