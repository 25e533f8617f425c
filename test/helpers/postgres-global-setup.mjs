// Starts one real PostgreSQL for the integration tests (or uses DATABASE_URL when set).
// Each test file then creates its own database on it (test/helpers/db.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../../local/postgres.mjs';

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'aip-test-'));
  const server = await startPostgres({ dataDir: join(root, 'pg') });
  globalThis.__AIP_TEST_PG__ = { server, root };
  process.env.TEST_DATABASE_URL = server.url;
}
