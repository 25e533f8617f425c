/**
 * The SQL of the DR test's validation (災害復旧手順のテスト): what a restored database must hold,
 * read from the source database it was backed up from. Read-only on both sides.
 */
import type { Pool } from 'pg';
import { DR } from '../../../guide';

export interface AppliedMigration {
  readonly version: string;
  readonly appliedAt: Date;
}

export async function appliedMigrations(pool: Pool): Promise<AppliedMigration[]> {
  const exists = await pool.query(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present`);
  if (!exists.rows[0].present) return [];
  const { rows } = await pool.query<{ version: string; applied_at: Date }>(
    'SELECT version, applied_at FROM schema_migrations ORDER BY version',
  );
  return rows.map((r) => ({ version: r.version, appliedAt: r.applied_at }));
}

export interface Catalog {
  /** Tables of the public schema. */
  readonly tables: string[];
  /** Indexes of the public schema, as `table.index`. */
  readonly indexes: string[];
}

export async function catalog(pool: Pool): Promise<Catalog> {
  const tables = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const indexes = await pool.query<{ name: string }>(
    `SELECT tablename || '.' || indexname AS name FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`,
  );
  return { tables: tables.rows.map((r) => r.name), indexes: indexes.rows.map((r) => r.name) };
}

export const countCreatedBefore = async (pool: Pool, cutoff: Date): Promise<number> =>
  (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM processing_state WHERE created_at < $1', [cutoff])).rows[0]!.n;

export interface MissingRows {
  /** Source rows created before the cutoff that the restore lacks. */
  readonly count: number;
  /** The first few of them, for the report. */
  readonly sample: string[];
}

/**
 * Walks the source's processes created before `cutoff` in (created_at, id) order, a batch at a
 * time, and looks each batch up in the restore by primary key. Exact: a row deleted from the
 * source after the recovery point (weekly cleanup) simply is not asked for, and one missing from
 * the restore is found even when another row makes the counts equal.
 */
export async function missingInRestore(
  source: Pool,
  restored: Pool,
  cutoff: Date,
  { batchSize = DR.compareBatchSize as number, sampleSize = 5 } = {},
): Promise<MissingRows> {
  // created_at travels as text: a JS Date keeps milliseconds only, PostgreSQL keeps microseconds,
  // and a truncated key would fetch the last row of a page again, forever.
  let after: { createdAt: string; id: string } | undefined;
  let count = 0;
  const sample: string[] = [];
  for (;;) {
    const page = await source.query<{ id: string; created_at: string }>(
      after
        ? `SELECT id, created_at::text AS created_at FROM processing_state
            WHERE created_at < $1 AND (created_at, id) > ($2::timestamptz, $3::uuid) ORDER BY created_at, id LIMIT $4`
        : `SELECT id, created_at::text AS created_at FROM processing_state WHERE created_at < $1 ORDER BY created_at, id LIMIT $2`,
      after ? [cutoff, after.createdAt, after.id, batchSize] : [cutoff, batchSize],
    );
    if (page.rows.length === 0) return { count, sample };
    const ids = page.rows.map((r) => r.id);
    const found = await restored.query<{ id: string }>('SELECT id FROM processing_state WHERE id = ANY($1::uuid[])', [ids]);
    const present = new Set(found.rows.map((r) => r.id));
    for (const id of ids) {
      if (present.has(id)) continue;
      count++;
      if (sample.length < sampleSize) sample.push(id);
    }
    const last = page.rows[page.rows.length - 1]!;
    after = { createdAt: last.created_at, id: last.id };
  }
}
