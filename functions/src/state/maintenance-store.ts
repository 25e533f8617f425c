/**
 * The maintenance use cases' store on PostgreSQL: the weekly cleanup (cleanup.ts), index upkeep,
 * and the figures capacity planning reads. All of maintenance's SQL lives here.
 */
import type { Pool } from 'pg';
import type { CapacityReport, CleanupReport, CleanupRun, MaintenanceStore } from '../ports';
import { cleanupExpiredProcesses } from './cleanup';

/** The tables whose indexes the weekly window rebuilds. */
const MAINTAINED_TABLES = ['processing_state', 'api_rate_limit'] as const;

export class PgMaintenanceStore implements MaintenanceStore {
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
