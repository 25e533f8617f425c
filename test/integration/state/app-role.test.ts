/**
 * The application role (0002_app_role.sql): what the functions on IAM auth sign in as. It can do
 * everything the traffic and queue-monitor code does, and no more: no DDL, no index rebuild, no
 * migration table. Privileges are checked by running the code under that role (`SET ROLE`).
 */
import { Pool } from 'pg';
import { INFRA, RETENTION } from '../../../guide';
import { ProcessingStateService } from '../../../functions/src/state/processing-state-service';
import { RateLimiter } from '../../../functions/src/state/rate-limiter';
import { PgMaintenanceStore } from '../../../functions/src/state/maintenance-store';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';
import { newUserId, seedProcess } from '../../../harness/processes';

const APP = INFRA.database.appUsername;
const DAY = 24 * 3600 * 1000;

let db: TestDatabase;
let app: Pool;
beforeAll(async () => {
  db = await createTestDatabase();
  app = new Pool({ connectionString: db.url, options: `-c role=${APP}`, max: 4 });
  app.on('error', () => undefined);
});
afterAll(async () => {
  await app.end();
  await db.drop();
});

async function refusal(sql: string): Promise<{ code?: string; message: string }> {
  try {
    await app.query(sql);
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error(`${APP} was allowed: ${sql}`);
}

describe(`${APP} role`, () => {
  it('signs in without a password and holds no administrative attribute', async () => {
    const { rows } = await db.pool.query(
      'SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolpassword FROM pg_authid WHERE rolname = $1',
      [APP],
    );
    expect(rows).toEqual([
      { rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolbypassrls: false, rolpassword: null },
    ]);
  });

  it('holds exactly SELECT, INSERT, UPDATE and DELETE on processing_state and api_rate_limit, and reads the maintenance heartbeat', async () => {
    // act
    const { rows } = await db.pool.query(
      `SELECT t.tablename || ':' || p AS grant FROM pg_tables t,
              unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
        WHERE t.schemaname = 'public' AND has_table_privilege($1, format('public.%I', t.tablename), p)
        ORDER BY 1`,
      [APP],
    );

    // assess
    expect(rows.map((r) => r.grant)).toEqual([
      'api_rate_limit:DELETE',
      'api_rate_limit:INSERT',
      'api_rate_limit:SELECT',
      'api_rate_limit:UPDATE',
      // The queue monitor reads the heartbeat and creates a task's first row; only ProcessingCleanup (master) records a success.
      'maintenance_runs:INSERT',
      'maintenance_runs:SELECT',
      'processing_state:DELETE',
      'processing_state:INSERT',
      'processing_state:SELECT',
      'processing_state:UPDATE',
    ]);
  });

  it('runs every statement of the state service and the rate limiter', async () => {
    // prepare
    const store = new ProcessingStateService(app);
    const now = new Date();

    // act + assess: create, record, start, complete, fail, cancel, retry, sweep, count, delete
    const completed = await seedProcess(store, { status: 'COMPLETED' });
    const failed = await seedProcess(store, { status: 'FAILED' });
    await seedProcess(store, { status: 'CANCELLED' });
    const stale = await seedProcess(store, { status: 'PROCESSING', now: new Date(now.getTime() - DAY) });
    expect(await store.getForUser(completed.id, completed.userId)).toMatchObject({ status: 'COMPLETED' });
    expect((await store.beginRetry(failed.id, failed.userId, 3, now)).kind).toBe('retried');
    expect((await store.sweepStale(60, now)).map((p) => p.id)).toContain(stale.id);
    expect(await store.queueDepth(now)).toMatchObject({ pending: expect.any(Number) });
    const unstarted = await seedProcess(store, { withExecution: false });
    expect(await store.discardUnstarted(unstarted.id)).toBe(true);
    await expect(new RateLimiter(app).consume(newUserId(), now)).resolves.toMatchObject({ count: 1 });
    await expect(new PgMaintenanceStore(app).runs(['weekly-maintenance'], () => now)).resolves.toEqual([
      expect.objectContaining({ task: 'weekly-maintenance' }),
    ]);
  });

  it('deletes expired rows the way the cleanup does', async () => {
    const old = await seedProcess(new ProcessingStateService(db.pool), {
      status: 'COMPLETED',
      now: new Date(Date.now() - (RETENTION.processingRecordsDays + 1) * DAY),
    });
    const { rowCount } = await app.query('DELETE FROM processing_state WHERE id = $1', [old.id]);
    expect(rowCount).toBe(1);
  });

  it.each([
    ['create a table', 'CREATE TABLE app_owned (id int)'],
    ['change a table', 'ALTER TABLE processing_state ADD COLUMN extra text'],
    ['drop a table', 'DROP TABLE api_rate_limit'],
    ['empty a table at once', 'TRUNCATE processing_state'],
    ['rebuild indexes (why processing-cleanup signs in as the master user)', 'REINDEX TABLE processing_state'],
    ['read the migration history', 'SELECT * FROM schema_migrations'],
  ])('may not %s', async (_what, sql) => {
    expect(await refusal(sql)).toMatchObject({ code: '42501' });
  });
});
