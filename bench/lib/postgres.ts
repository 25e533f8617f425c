/**
 * One embedded PostgreSQL for the whole run (local/postgres.mjs, as `npm start` uses), in a temp
 * folder removed afterwards, and one database per suite on it.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPool } from '../../functions/src/state/pool';
import { onStop } from './cleanup';

export interface BenchPostgres {
  root: string;
  pid: number | undefined;
  version: string;
  /** Creates (or recreates) a database and returns its URL. */
  database(name: string): Promise<string>;
  /** A pool on a database, closed with the run. */
  pool(url: string, max?: number): pg.Pool;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'aip-bench-'));
  chmodSync(root, 0o755); // the postgres user must reach its data folder below it
  onStop('temp folder', () => rmSync(root, { recursive: true, force: true }));
  const { startPostgres } = await import('../../local/postgres.mjs');
  const server = await startPostgres({ dataDir: join(root, 'pg') });
  onStop('PostgreSQL', () => server.stop());

  const admin = new pg.Client({ connectionString: server.url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  onStop('admin connection', () => admin.end());
  const { rows } = await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v");

  return {
    root,
    pid: server.pid,
    version: `PostgreSQL ${rows[0]!.v}`,
    async database(name) {
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
      return server.url.replace(/\/[^/]+$/, `/${name}`);
    },
    pool(url, max = 4) {
      const pool = createPool({ connectionString: url, max, min: 0 });
      onStop('pool', () => pool.end());
      return pool;
    },
  };
}
