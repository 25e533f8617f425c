/** The maintenance handlers on a real PostgreSQL: the schedules' events and the deploy-time migration. */
import { MAINTENANCE_EVENTS, RETENTION } from '../../../guide';
import { handler as dbMigrate } from '../../../functions/src/handlers/db-migrate';
import { handler as processingCleanup } from '../../../functions/src/handlers/processing-cleanup';
import { createTestDatabase } from '../../../harness/test-database';
import { useWiredDatabase, wireDependencies } from '../../helpers/dependencies';
import { seedProcess } from '../../../harness/processes';

const DAY = 24 * 3600 * 1000;

describe('ProcessingCleanup handler', () => {
  const ctx = useWiredDatabase();

  it('deletes expired terminal processes and rebuilds the indexes on the weekly event', async () => {
    // prepare
    const now = Date.now();
    const old = await seedProcess(ctx.deps.store, {
      status: 'COMPLETED',
      now: new Date(now - (RETENTION.processingRecordsDays + 1) * DAY),
    });
    const young = await seedProcess(ctx.deps.store, { status: 'FAILED', now: new Date(now - DAY) });
    const active = await seedProcess(ctx.deps.store, { status: 'PROCESSING', now: new Date(now - 200 * DAY) });

    // act
    const result = await processingCleanup(MAINTENANCE_EVENTS.weekly);

    // assess
    expect(result.task).toBe('weekly-maintenance');
    expect(result.cleanup).toMatchObject({ ran: true, deleted: 1 });
    expect(result.indexes.reindexed).toContain('processing_state');
    expect(result).not.toHaveProperty('capacity');
    expect(await ctx.row(old.id)).toBeUndefined();
    expect(await ctx.row(young.id)).toBeDefined();
    expect(await ctx.row(active.id)).toBeDefined();
  });

  it('adds a capacity report on the monthly event', async () => {
    await seedProcess(ctx.deps.store, { status: 'COMPLETED' });

    const result = await processingCleanup(MAINTENANCE_EVENTS.monthly);

    expect(result.capacity!.tableBytes).toBeGreaterThan(0);
    expect(result.capacity!.rowsByStatus.COMPLETED).toBeGreaterThanOrEqual(1);
  });

  it('records the heartbeat of what succeeded: the weekly work on the weekly event, both tasks on the monthly one', async () => {
    // prepare
    await ctx.db.pool.query('TRUNCATE maintenance_runs');
    const runs = async () => (await ctx.db.pool.query('SELECT task, succeeded_at, due_at FROM maintenance_runs ORDER BY task')).rows;

    // act + assess: due again at the end of the next window, after now
    await processingCleanup(MAINTENANCE_EVENTS.weekly);
    expect((await runs()).map((r) => r.task)).toEqual(['weekly-maintenance']);
    await processingCleanup(MAINTENANCE_EVENTS.monthly);
    const both = await runs();
    expect(both.map((r) => r.task)).toEqual(['monthly-maintenance', 'weekly-maintenance']);
    for (const r of both) expect(r.due_at.getTime()).toBeGreaterThan(r.succeeded_at.getTime());
  });

  it('refuses an unknown task by name', async () => {
    await expect(processingCleanup({ task: 'spring-cleaning' as never })).rejects.toThrow(/Unknown maintenance task "spring-cleaning"/);
  });
});

describe('DbMigrate handler', () => {
  const ctx = useWiredDatabase();

  it('applies nothing on a migrated database and records every migration', async () => {
    const result = await dbMigrate();

    const { rows } = await ctx.db.pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(result.applied).toEqual([]);
    expect(rows.map((r) => r.version)).toContain('0001_processing_state');
  });

  it('creates the schema on an empty database', async () => {
    const empty = await createTestDatabase({ migrate: false });
    try {
      wireDependencies(empty.pool);

      const result = await dbMigrate();

      expect(result.applied).toEqual(['0001_processing_state', '0002_app_role', '0003_maintenance_runs', '0004_rate_limit_unlogged']);
      expect((await empty.pool.query('SELECT count(*)::int AS n FROM processing_state')).rows[0].n).toBe(0);
    } finally {
      await empty.drop();
    }
  });
});
