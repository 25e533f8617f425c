import { Pool, type PoolConfig } from 'pg';
import { DB_POOL } from '../../../guide';

/**
 * A `pg` pool sized by the guide (min 2, max 10). Idle clients can be told to go away when the
 * server restarts (57P01): the error is reported and the pool replaces them on the next query.
 */
export function createPool(config: PoolConfig, onError: (err: Error) => void = () => undefined): Pool {
  const pool = new Pool({
    min: DB_POOL.min,
    max: DB_POOL.max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    ...config,
  });
  pool.on('error', onError);
  return pool;
}
