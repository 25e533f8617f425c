/**
 * The maintenance use cases' store on PostgreSQL: the weekly cleanup (cleanup.ts), index upkeep,
 * and the figures capacity planning reads. All of maintenance's SQL lives here.
 */
import type { Pool } from 'pg';
import type { CapacityReport, CleanupReport, CleanupRun, MaintenanceHeartbeats, MaintenanceRun, MaintenanceStore } from '../ports';
import { cleanupExpiredProcesses } from './cleanup';

/** The tables whose indexes the weekly window rebuilds. */
const MAINTAINED_TABLES = ['processing_state', 'api_rate_limit'] as const;

export class PgMaintenanceStore implements MaintenanceStore, MaintenanceHeartbeats {
  constructor(private readonly pool: Pool) {}

  cleanupExpired(run: CleanupRun): Promise<CleanupReport> {
    return cleanupExpiredProcesses(this.pool, run);
  }

  /** REINDEX CONCURRENTLY does not block writers; VACUUM (ANALYZE) refreshes the planner's statistics. */
  async optimiseIndexes(): Promise<string[]> {
    for (const table of MAINTAINED_TABLES) {
      await this.pool.query(`REINDEX TABLE CONCURRENTLY ${table}`);
      await this.pool.query(`VACUUM (ANALYZE) ${table}`);
    }
    return [...MAINTAINED_TABLES];
  }

  /** The heartbeat (migration 0003): ProcessingCleanup signs in as the master user, which may update. */
  async recordSuccess(task: string, at: Date, due: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO maintenance_runs (task, succeeded_at, due_at) VALUES ($1, $2, $3)
       ON CONFLICT (task) DO UPDATE SET succeeded_at = EXCLUDED.succeeded_at, due_at = EXCLUDED.due_at`,
      [task, at, due],
    );
  }

  /** The queue monitor signs in as aip_app: SELECT and INSERT (a task's first row) only. */
  async runs(tasks: readonly string[], firstDue: (task: string) => Date): Promise<MaintenanceRun[]> {
    for (const task of tasks) {
      await this.pool.query('INSERT INTO maintenance_runs (task, due_at) VALUES ($1, $2) ON CONFLICT (task) DO NOTHING', [
        task,
        firstDue(task),
      ]);
    }
    const { rows } = await this.pool.query<{ task: string; succeeded_at: Date | null; due_at: Date }>(
      'SELECT task, succeeded_at, due_at FROM maintenance_runs WHERE task = ANY($1) ORDER BY task',
      [tasks],
    );
    return rows.map((r) => ({ task: r.task, succeededAt: r.succeeded_at, dueAt: r.due_at }));
  }

  async capacity(): Promise<CapacityReport> {
    const sizes = await this.pool.query(
      `SELECT pg_table_size('processing_state')::float AS table_bytes, pg_indexes_size('processing_state')::float AS index_bytes,
              (SELECT min(created_at) FROM processing_state) AS oldest`,
    );
    const counts = await this.pool.query('SELECT status, count(*)::int AS n FROM processing_state GROUP BY status');
    return {
      tableBytes: sizes.rows[0].table_bytes,
      indexBytes: sizes.rows[0].index_bytes,
      rowsByStatus: Object.fromEntries(counts.rows.map((r) => [r.status, r.n])),
      oldestCreatedAt: sizes.rows[0].oldest ? new Date(sizes.rows[0].oldest).toISOString() : null,
    };
  }
}
