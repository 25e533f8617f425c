import { DatabaseError } from 'pg';
import { DatabaseUnavailableError, ServiceUnavailableError, ValidationError } from '../../../../functions/src/domain/errors';
import { asDomainError, isDatabaseRejection } from '../../../../functions/src/runtime/errors';

function pgError(code: string, message: string): DatabaseError {
  const err = new DatabaseError(message, message.length, 'error');
  err.code = code;
  return err;
}

describe('asDomainError', () => {
  it.each<[string, unknown]>([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' })],
    ['a server shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
  ])('turns %s into DatabaseUnavailableError (503), keeping the driver error as its cause', (_name, error) => {
    // act
    const translated = asDomainError(error);

    // assess
    expect(translated).toBeInstanceOf(DatabaseUnavailableError);
    expect(translated).toBeInstanceOf(ServiceUnavailableError);
    expect((translated as Error).cause).toBe(error);
  });

  it.each<[string, unknown]>([
    ['a domain error', new ValidationError('bad')],
    ['a statement the database refused', pgError('22P05', 'unsupported Unicode escape sequence')],
    ['a bug', new TypeError('x is undefined')],
  ])('returns %s unchanged', (_name, error) => {
    expect(asDomainError(error)).toBe(error);
  });
});

describe('isDatabaseRejection', () => {
  it.each([
    ['22P05 (a character it cannot store)', pgError('22P05', 'unsupported Unicode escape sequence'), true],
    ['23514 (a check constraint)', pgError('23514', 'violates check constraint'), true],
    ['57P01 (shutting down: unavailable, not a rejection)', pgError('57P01', 'terminating connection'), false],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), false],
    ['a plain Error with a SQLSTATE-like code', Object.assign(new Error('x'), { code: '23505' }), false],
  ])('is %s → %s', (_name, error, expected) => {
    expect(isDatabaseRejection(error)).toBe(expected);
  });
});
