/**
 * One error hierarchy. API errors carry the contract's HTTP status and code and are mapped to
 * JSON in one place (`http/respond.ts`); anything else becomes 500 INTERNAL_ERROR there.
 * Workflow errors carry a `name` the state machine's Retry/Catch match on.
 */

import { DESIGN } from '../../../guide';

export type ApiErrorCode =
  | 'VALIDATION_ERROR'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'INVALID_STATE'
  | 'RETRY_LIMIT_EXCEEDED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export abstract class ApiError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: ApiErrorCode;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Record<string, string> = {};
  /** Field-level details for validation errors; safe to show to the client. */
  readonly details?: unknown;
}

export class ValidationError extends ApiError {
  readonly statusCode = 400;
  readonly code = 'VALIDATION_ERROR';
  constructor(
    message: string,
    override readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Every 401 tells the client which scheme to use (RFC 6750), as API Gateway's JWT authorizer does. */
export class UnauthorizedError extends ApiError {
  readonly statusCode = 401;
  readonly code = 'UNAUTHORIZED';
  constructor(message = 'Missing or invalid token') {
    super(message);
    this.headers['WWW-Authenticate'] = 'Bearer';
  }
}

export class NotFoundError extends ApiError {
  readonly statusCode = 404;
  readonly code = 'NOT_FOUND';
  constructor(message = 'Process not found') {
    super(message);
  }
}

export class InvalidStateError extends ApiError {
  readonly statusCode = 409;
  readonly code = 'INVALID_STATE';
}

export class RetryLimitExceededError extends ApiError {
  readonly statusCode = 409;
  readonly code = 'RETRY_LIMIT_EXCEEDED';
}

export class IdempotencyKeyReusedError extends ApiError {
  readonly statusCode = 422;
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('This Idempotency-Key was already used with a different request body');
  }
}

export class PayloadTooLargeError extends ApiError {
  readonly statusCode = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class RateLimitedError extends ApiError {
  readonly statusCode = 429;
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds} s`);
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}

export class ServiceUnavailableError extends ApiError {
  readonly statusCode = 503;
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message: string, retryAfterSeconds: number = DESIGN.unavailableRetryAfterSeconds) {
    super(message);
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}

/**
 * The database cannot be reached (connection refused or lost, server shutting down, too many
 * clients). Raised by the runtime's translation of driver errors (`runtime/errors.ts`), so the
 * HTTP layer maps domain errors only; the driver's error stays as `cause` for the logs.
 */
export class DatabaseUnavailableError extends ServiceUnavailableError {
  constructor(options?: { cause?: unknown }) {
    super('The service is temporarily unavailable; try again shortly');
    if (options && 'cause' in options) this.cause = options.cause;
  }
}

/**
 * Errors the worker throws for the state machine. Their `name` is the Step Functions error name
 * (Lambda reports it as `errorType`), so `workflow/definition.ts` retries or catches by name.
 */
export const WORKFLOW_ERRORS = {
  /** Bedrock throttled the call: retry with backoff and jitter. */
  modelThrottled: 'ModelThrottled',
  /** Bedrock is unavailable, failed internally or took too long: retry with backoff. */
  modelUnavailable: 'ModelUnavailable',
  /** The model answered with output that fails its schema: not retried, ends VALIDATION_ERROR. */
  modelOutputInvalid: 'ModelOutputInvalid',
  /** Access denied, unknown model, bad request: not retried, ends AI_ERROR. */
  modelRejected: 'ModelRejected',
  /**
   * The model call used up the step's time (the SDK's attempts share it) and was given up just
   * before Step Functions' own step timeout: the step ran out of its time, so it ends like
   * States.Timeout (not retried, the process ends TIMEOUT with TIMEOUT_ERROR).
   */
  stepTimedOut: 'StepTimedOut',
  /** The database could not be reached: retried like a Lambda service error, then ends DATABASE_ERROR. */
  database: 'DatabaseError',
  /**
   * The database refused a statement (a constraint, a value it cannot store): the same statement
   * will be refused again, so it is not retried and ends DATABASE_ERROR.
   */
  databaseRejected: 'DatabaseRejected',
} as const;
export type WorkflowErrorName = (typeof WORKFLOW_ERRORS)[keyof typeof WORKFLOW_ERRORS];

export class WorkflowError extends Error {
  constructor(
    override readonly name: WorkflowErrorName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
