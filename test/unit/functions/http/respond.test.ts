import { DatabaseError } from 'pg';
import { API } from '../../../../guide';
import {
  IdempotencyKeyReusedError,
  InvalidStateError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  RetryLimitExceededError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
  type ApiError,
} from '../../../../functions/src/domain/errors';
import { errorResponse } from '../../../../functions/src/http/respond';
import { asDomainError } from '../../../../functions/src/runtime/errors';
import { parseResponse } from '../../../helpers/events';

const REQUEST_ID = 'req-123';

function pgError(code: string, message: string): DatabaseError {
  const err = new DatabaseError(message, message.length, 'error');
  err.code = code;
  return err;
}

describe('errorResponse', () => {
  describe.each<[string, ApiError, number, string]>([
    ['ValidationError', new ValidationError('Invalid request: type: Invalid input'), 400, 'VALIDATION_ERROR'],
    ['UnauthorizedError', new UnauthorizedError('Missing or invalid token'), 401, 'UNAUTHORIZED'],
    ['NotFoundError', new NotFoundError(), 404, 'NOT_FOUND'],
    ['InvalidStateError', new InvalidStateError('Only FAILED or TIMEOUT processes can be retried'), 409, 'INVALID_STATE'],
    ['RetryLimitExceededError', new RetryLimitExceededError(`retried ${API.retryCap} times`), 409, 'RETRY_LIMIT_EXCEEDED'],
    ['IdempotencyKeyReusedError', new IdempotencyKeyReusedError(), 422, 'IDEMPOTENCY_KEY_REUSED'],
    ['PayloadTooLargeError', new PayloadTooLargeError('too large'), 413, 'PAYLOAD_TOO_LARGE'],
    ['RateLimitedError', new RateLimitedError(42), 429, 'RATE_LIMITED'],
    ['ServiceUnavailableError', new ServiceUnavailableError('Step Functions unavailable'), 503, 'SERVICE_UNAVAILABLE'],
  ])('when the error is a %s', (_name, error, statusCode, code) => {
    it(`answers ${statusCode} ${code} with the message and the request id`, () => {
      // act
      const res = parseResponse(errorResponse(error, REQUEST_ID));

      // assess
      expect(res.statusCode).toBe(statusCode);
      expect(res.body.error).toMatchObject({ code, message: error.message, requestId: REQUEST_ID });
      expect(res.headers['Content-Type']).toBe('application/json');
    });
  });

  it('carries WWW-Authenticate: Bearer when the error is UnauthorizedError', () => {
    const res = parseResponse(errorResponse(new UnauthorizedError(), REQUEST_ID));
    expect(res.headers['WWW-Authenticate']).toBe('Bearer');
  });

  it('carries Retry-After when the error is RateLimitedError', () => {
    const res = parseResponse(errorResponse(new RateLimitedError(42), REQUEST_ID));
    expect(res.headers['Retry-After']).toBe('42');
  });

  it('carries Retry-After when the error is ServiceUnavailableError', () => {
    const res = parseResponse(errorResponse(new ServiceUnavailableError('down', 7), REQUEST_ID));
    expect(res.headers['Retry-After']).toBe('7');
  });

  it('carries field details when a validation error has them', () => {
    const details = [{ path: 'input.goal.title', message: 'Too small' }];
    const res = parseResponse(errorResponse(new ValidationError('Invalid request', details), REQUEST_ID));
    expect(res.body.error.details).toEqual(details);
  });

  describe.each<[string, unknown]>([
    ['a plain Error', new Error('Cannot read properties of undefined (reading "id") at /var/task/index.js:1:2')],
    ['a SQL error', pgError('42P01', 'relation "processing_state" does not exist')],
    [
      'a constraint violation',
      pgError('23514', 'new row for relation "processing_state" violates check constraint "processing_state_progress_check"'),
    ],
    ['a thrown string', 'SELECT * FROM processing_state WHERE user_id = $1'],
    ['undefined', undefined],
  ])('when the error is %s', (_name, error) => {
    it('answers 500 INTERNAL_ERROR without any internals', () => {
      // act
      const raw = errorResponse(error, REQUEST_ID);
      const res = parseResponse(raw);

      // assess
      expect(res.statusCode).toBe(500);
      expect(res.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'An internal error occurred', requestId: REQUEST_ID } });
      expect(raw.body).not.toMatch(/processing_state|SELECT|relation|constraint|\/var\/task|at |stack/i);
    });
  });

  describe.each<[string, unknown]>([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' })],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    ['a connection terminated by the server', new Error('Connection terminated unexpectedly')],
    ['a server shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a connection failure (08006)', pgError('08006', 'connection failure')],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
  ])('when the database fails with %s', (_name, error) => {
    it('answers 503 SERVICE_UNAVAILABLE with Retry-After and no internals once the runtime has translated it', () => {
      // act
      const raw = errorResponse(asDomainError(error), REQUEST_ID);
      const res = parseResponse(raw);

      // assess
      expect(res.statusCode).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', requestId: REQUEST_ID });
      expect(Number(res.headers['Retry-After'])).toBeGreaterThan(0);
      expect(raw.body).not.toMatch(/ECONN|10\.0\.0\.5|5432|administrator|clients/);
    });
  });
});
