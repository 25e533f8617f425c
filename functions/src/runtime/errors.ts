/**
 * Driver errors as the domain's errors. The state layer throws what `pg` throws; the handlers
 * pass every failure through here, so the HTTP mapping (`http/respond.ts`) and the worker's
 * error names see the domain's hierarchy only.
 */
import { DatabaseError } from 'pg';
import { DatabaseUnavailableError } from '../domain/errors';
import { isDatabaseUnavailable } from '../state/errors';

/** A database that cannot be reached becomes DatabaseUnavailableError (503 with Retry-After); anything else is returned as it is. */
export function asDomainError(err: unknown): unknown {
  return isDatabaseUnavailable(err) ? new DatabaseUnavailableError({ cause: err }) : err;
}

/** PostgreSQL answered and refused the statement (it carries a SQLSTATE): a constraint, a value it cannot store, a bug in SQL. */
export function isDatabaseRejection(err: unknown): err is DatabaseError {
  return err instanceof DatabaseError && !isDatabaseUnavailable(err);
}
