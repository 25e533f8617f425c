/**
 * The DR test's validation on a real PostgreSQL: a "source" database and a "restored" one that is a
 * physical copy of it taken at the recovery point (CREATE DATABASE … TEMPLATE, what a snapshot
 * restore gives), then damaged the ways a bad restore would be.
 */
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { BACKUP, DR } from '../../../guide';
import { validateRestore, validationMessage, type DrMeasurements } from '../../../functions/src/usecases/dr-validation';
import { missingInRestore } from '../../../functions/src/state/dr-validation';
import { createTestDatabase, serverUrl, type TestDatabase } from '../../../harness/test-database';

const HOUR = 3600_000;

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: serverUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A copy of `source` as it is now: the restore of a recovery point taken at this moment. */
async function restoreOf(source: TestDatabase): Promise<{ pool: Pool; drop(): Promise<void> }> {
  const sourceName = new URL(source.url).pathname.slice(1);
  const name = `r_${randomBytes(6).toString('hex')}`;
  await admin(async (c) => {
    // A template must have no other sessions: close the source's idle connections for the copy.
    await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [sourceName]);
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${sourceName}`);
  });
  const url = new URL(source.url);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 4 });
  pool.on('error', () => undefined);
  return {
    pool,
    drop: async () => {
      await pool.end();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function insertProcesses(pool: Pool, count: number, createdAt: Date, spreadSeconds = 1): Promise<void> {
  await pool.query(
    `INSERT INTO processing_state (id, user_id, type, input, created_at, updated_at)
     SELECT gen_random_uuid(), 'dr-user-' || (g % 7), 'TASK_GENERATION', '{}'::jsonb,
            $2::timestamptz - ((g % $3) || ' seconds')::interval, $2::timestamptz
       FROM generate_series(1, $1) g`,
    [count, createdAt, spreadSeconds],
  );
}

function recorder() {
  const published: DrMeasurements[] = [];
  return { published, metrics: { publish: (m: DrMeasurements) => void published.push(m) } };
}

describe('DR validation of a restored database', () => {
  let source: TestDatabase;
  let restored: { pool: Pool; drop(): Promise<void> };
  /** The recovery point: the moment of the copy. */
  let recoveryPointAt: Date;
  const restoreStartedAt = () => new Date(recoveryPointAt.getTime() + 1.5 * HOUR);
  const deps = (clockAt: Date, metrics = recorder().metrics) => ({
    source: source.pool,
    restored: restored.pool,
    clock: { now: () => clockAt },
    metrics,
  });

  beforeEach(async () => {
    source = await createTestDatabase();
    recoveryPointAt = new Date(Date.now() - 2 * HOUR);
    // The schema was deployed long before the backup (the test database was migrated just now).
    await source.pool.query(`UPDATE schema_migrations SET applied_at = $1`, [new Date(recoveryPointAt.getTime() - 24 * HOUR)]);
    await insertProcesses(source.pool, 300, new Date(recoveryPointAt.getTime() - 10 * 60_000), 86_400);
    restored = await restoreOf(source);
    // After the recovery point the source goes on: these are not in the backup and must not be asked for.
    await insertProcesses(source.pool, 20, new Date(recoveryPointAt.getTime() + 30 * 60_000), 60);
  });

  afterEach(async () => {
    await restored.drop();
    await source.drop();
  });

  it('passes a complete restore and publishes the restore time and the recovery point age', async () => {
    const { published, metrics } = recorder();
    const validatedAt = new Date(restoreStartedAt().getTime() + 40 * 60_000);

    const report = await validateRestore(deps(validatedAt, metrics), { restoreStartedAt: restoreStartedAt(), recoveryPointAt });

    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      catalogCompared: true,
      rows: { sourceBeforeCutoff: 300, restoredBeforeCutoff: 300, missing: 0 },
    });
    expect(report.migrations.expected).toEqual([
      '0001_processing_state',
      '0002_app_role',
      '0003_maintenance_runs',
      '0004_rate_limit_unlogged',
    ]);
    expect(published).toEqual([{ ...published[0], restoreSeconds: 40 * 60, recoveryPointAgeSeconds: 1.5 * 3600, failed: false }]);
    expect(validationMessage(report)).toMatch(
      /^Restore validated: .*restore 0\.67 h \(RTO 4 h\), recovery point 1\.50 h old \(RPO 24 h\)$/,
    );
  });

  it('fails when rows created before the recovery point are missing, and names them', async () => {
    const gone = await restored.pool.query<{ id: string }>(
      'DELETE FROM processing_state WHERE id IN (SELECT id FROM processing_state ORDER BY created_at LIMIT 3) RETURNING id',
    );
    const { published, metrics } = recorder();

    const report = await validateRestore(deps(restoreStartedAt(), metrics), { restoreStartedAt: restoreStartedAt(), recoveryPointAt });

    expect(report.ok).toBe(false);
    expect(report.rows).toMatchObject({ sourceBeforeCutoff: 300, restoredBeforeCutoff: 297, missing: 3 });
    expect([...report.rows.missingSample].sort()).toEqual(gone.rows.map((r) => r.id).sort());
    expect(report.problems).toEqual([expect.stringMatching(/^3 of 300 processes created before .* are missing from the restore/)]);
    expect(published[0]!.failed).toBe(true);
  });

  it('finds a missing row even when another extra row keeps the counts equal', async () => {
    await restored.pool.query('DELETE FROM processing_state WHERE id = (SELECT id FROM processing_state ORDER BY created_at DESC LIMIT 1)');
    await insertProcesses(restored.pool, 1, new Date(recoveryPointAt.getTime() - 5 * 60_000));

    const report = await validateRestore(deps(restoreStartedAt()), { restoreStartedAt: restoreStartedAt(), recoveryPointAt });

    expect(report.rows).toMatchObject({ sourceBeforeCutoff: 300, restoredBeforeCutoff: 300, missing: 1 });
    expect(report.ok).toBe(false);
  });

  it('fails when the restore misses a migration and an index, and says which', async () => {
    await restored.pool.query(`DELETE FROM schema_migrations WHERE version = '0002_app_role'`);
    await restored.pool.query('DROP INDEX processing_state_active_idx');

    const report = await validateRestore(deps(restoreStartedAt()), { restoreStartedAt: restoreStartedAt(), recoveryPointAt });

    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      'migrations missing from the restore: 0002_app_role',
      'indexes missing from the restore: processing_state.processing_state_active_idx',
    ]);
  });

  it('passes when the source deleted old rows after the recovery point (weekly cleanup)', async () => {
    await source.pool.query('DELETE FROM processing_state WHERE id IN (SELECT id FROM processing_state ORDER BY created_at LIMIT 50)');

    const report = await validateRestore(deps(restoreStartedAt()), { restoreStartedAt: restoreStartedAt(), recoveryPointAt });

    expect(report).toMatchObject({ ok: true, rows: { sourceBeforeCutoff: 250, restoredBeforeCutoff: 300, missing: 0 } });
  });

  it('does not require rows created within the commit margin before the recovery point', async () => {
    await insertProcesses(source.pool, 2, new Date(recoveryPointAt.getTime() - (DR.commitMarginSeconds / 2) * 1000));

    const report = await validateRestore(deps(restoreStartedAt()), { restoreStartedAt: restoreStartedAt(), recoveryPointAt });

    expect(report.ok).toBe(true);
  });

  it('compares migrations only when the source migrated after the recovery point', async () => {
    await source.pool.query(`INSERT INTO schema_migrations (version, applied_at) VALUES ('0003_later', $1)`, [
      new Date(recoveryPointAt.getTime() + HOUR),
    ]);
    await source.pool.query('CREATE TABLE later_feature (id int PRIMARY KEY)');

    const report = await validateRestore(deps(restoreStartedAt()), { restoreStartedAt: restoreStartedAt(), recoveryPointAt });

    expect(report).toMatchObject({ ok: true, catalogCompared: false, missingTables: [] });
    expect(report.migrations.expected).not.toContain('0003_later');
  });

  it('fails a restore slower than the RTO and a recovery point older than the RPO', async () => {
    const startedLate = new Date(recoveryPointAt.getTime() + (BACKUP.rpoHours + 1) * HOUR);
    const validatedAt = new Date(startedLate.getTime() + (BACKUP.rtoHours + 0.5) * HOUR);

    const report = await validateRestore(deps(validatedAt), { restoreStartedAt: startedLate, recoveryPointAt });

    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      `restore took ${(BACKUP.rtoHours + 0.5).toFixed(2)} h, over the RTO of ${BACKUP.rtoHours} h`,
      `the recovery point was ${(BACKUP.rpoHours + 1).toFixed(2)} h old when the restore started, over the RPO of ${BACKUP.rpoHours} h`,
    ]);
    expect(validationMessage(report)).toMatch(/^Restore FAILED validation: restore took/);
  });
});

describe('missingInRestore', () => {
  it('walks past rows that share a timestamp down to the microsecond, in batches, exactly', async () => {
    const source = await createTestDatabase();
    const restored = await createTestDatabase();
    try {
      const at = new Date(Date.now() - HOUR);
      // 120 rows with one created_at (microseconds included), 30 more spread: keyset paging must not loop or skip.
      await source.pool.query(
        `INSERT INTO processing_state (id, user_id, type, input, created_at)
         SELECT gen_random_uuid(), 'u', 'SUBGOAL_GENERATION', '{}'::jsonb, $1::timestamptz + interval '123 microseconds' FROM generate_series(1, 120)`,
        [at],
      );
      await insertProcesses(source.pool, 30, at, 600);
      const all = await source.pool.query<{ id: string; created_at: Date; input: object }>(
        'SELECT id, created_at, user_id, type, input FROM processing_state',
      );
      const keep = all.rows.slice(0, 143);
      for (const r of keep) {
        await restored.pool.query(
          `INSERT INTO processing_state (id, user_id, type, input, created_at) SELECT id, user_id, type, input, created_at FROM json_populate_record(null::processing_state, $1)`,
          [JSON.stringify(r)],
        );
      }

      const missing = await missingInRestore(source.pool, restored.pool, new Date(Date.now()), { batchSize: 16, sampleSize: 10 });

      expect(missing.count).toBe(7);
      expect([...missing.sample].sort()).toEqual(
        all.rows
          .slice(143)
          .map((r) => r.id)
          .sort(),
      );
    } finally {
      await restored.drop();
      await source.drop();
    }
  });
});
