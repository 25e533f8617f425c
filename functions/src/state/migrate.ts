/**
 * Plain SQL migrations (`functions/migrations/NNNN_name.sql`) with a recorded version table.
 * Each file runs once, in its own transaction, under an advisory lock so concurrent starters
 * (several Lambda cold starts, the local runtime and a test) do not race.
 *
 * Each applied migration keeps the checksum of its file: a file edited after it was applied is an
 * error that names it and says what to do, before anything else runs (the database would
 * otherwise silently differ from the file). Databases migrated before checksums existed get
 * their checksums recorded on the next run, without an error.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';

export const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');
const LOCK_KEY = 7_231_001; // any constant; shared by every migrator of this schema

export interface Migration {
  version: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

/** sha256 of a migration's SQL; line endings do not count (a Windows checkout is not an edit). */
export const checksumOf = (sql: string): string => createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');

export class EditedMigrationError extends Error {
  override readonly name = 'EditedMigrationError';
  constructor(
    readonly versions: readonly string[],
    next: string,
  ) {
    super(
      `${versions.map((v) => `functions/migrations/${v}.sql`).join(', ')} changed after ${versions.length === 1 ? 'it was' : 'they were'} applied to this database. ` +
        `An applied migration never changes: restore ${versions.length === 1 ? 'the file' : 'the files'} (git checkout -- functions/migrations/) ` +
        `and put the change in a new migration, functions/migrations/${next}_<what>.sql. Nothing was migrated.`,
    );
  }
}

/** The number the next migration file takes (`0003`). */
const nextVersion = (migrations: readonly Migration[]): string =>
  String(Math.max(0, ...migrations.map((m) => Number(m.version.slice(0, 4)))) + 1).padStart(4, '0');

/** Compares the recorded checksums with the files; records the missing ones (older databases). */
async function checkApplied(client: PoolClient, migrations: readonly Migration[]): Promise<Set<string>> {
  const { rows } = await client.query<{ version: string; checksum: string | null }>('SELECT version, checksum FROM schema_migrations');
  const files = new Map(migrations.map((m) => [m.version, checksumOf(m.sql)]));
  const edited = rows
    .filter((r) => r.checksum !== null && files.has(r.version) && files.get(r.version) !== r.checksum)
    .map((r) => r.version);
  if (edited.length > 0) throw new EditedMigrationError(edited.sort(), nextVersion(migrations));
  for (const r of rows) {
    if (r.checksum === null && files.has(r.version)) {
      await client.query('UPDATE schema_migrations SET checksum = $2 WHERE version = $1', [r.version, files.get(r.version)]);
    }
  }
  return new Set(rows.map((r) => r.version));
}

/** Applies pending migrations; returns the versions applied now. */
export async function migrate(pool: Pool, migrations: Migration[] = loadMigrations()): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    await client.query('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text');
    const done = await checkApplied(client, migrations);
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [m.version, checksumOf(m.sql)]);
        await client.query('COMMIT');
        applied.push(m.version);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.version} failed: ${(err as Error).message}`, { cause: err });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
