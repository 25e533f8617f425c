import { SpanKind, context, trace } from '@opentelemetry/api';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { DB_POOL } from '../../../guide';
import { withSpan } from '../observability/tracing';

/** The statement's first keyword (SELECT, INSERT, WITH, …): a span name that groups alike statements. */
const operationOf = (text: string): string => /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';

/**
 * Every statement becomes a span (OpenTelemetry's database conventions: the SQL text, never its
 * parameters, which hold users' data) when it runs inside one: a request's or an execution's. A
 * statement outside any (the queue monitor's own loop) opens none, so it adds no trace of its own.
 */
function traced<T extends { query: (...args: any[]) => any }>(target: T): T {
  const query = target.query.bind(target) as (...args: any[]) => any;
  target.query = ((...args: any[]) => {
    const parent = trace.getSpan(context.active());
    const text = typeof args[0] === 'string' ? args[0] : String(args[0]?.text ?? '');
    // pg's callback form is left as it is (nothing of ours uses it).
    if (!parent || typeof args[args.length - 1] === 'function') return query(...args);
    const operation = operationOf(text);
    return withSpan(
      `pg.query ${operation}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system': 'postgresql',
          'db.operation': operation,
          'db.statement': text.replace(/\s+/g, ' ').trim().slice(0, 2000),
        },
      },
      async (span) => {
        const result = await query(...args);
        if (typeof result?.rowCount === 'number') span.setAttribute('db.rows', result.rowCount);
        return result;
      },
    );
  }) as T['query'];
  return target;
}

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
  // Transactions run on a checked-out client: its statements are traced too.
  pool.on('connect', (client: PoolClient) => void traced(client));
  return traced(pool);
}
