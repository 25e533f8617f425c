/**
 * What a measurement runs on: a PostgreSQL (the bench's embedded one, or `databaseUrl`), the model
 * recorder, and `npm start`'s program as a child (bench/lib/runtime.ts) reaching the recorder as
 * its Bedrock endpoint. Everything registers with bench/lib/cleanup, so `stopAll()` ends it, also
 * on Ctrl-C.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { createPool } from '../../functions/src/state/pool';
import { onStop } from '../../bench/lib/cleanup';
import { startBenchPostgres } from '../../bench/lib/postgres';
import { startRuntime, type Runtime } from '../../bench/lib/runtime';
import { startRecorder, type Recorder } from './recorder';

export interface Measuring {
  /** PostgreSQL's postmaster when this run started it (its CPU is measured); undefined on `databaseUrl`. */
  postgresPid?: number;
  recorder: Recorder;
  rt: Runtime;
  pool: Pool;
}

async function database(name: string, databaseUrl?: string): Promise<{ root: string; url: string; pid?: number; pool: Pool }> {
  if (!databaseUrl) {
    const pg = await startBenchPostgres();
    const url = await pg.database(`cost_${name}`);
    return { root: pg.root, url, pid: pg.pid, pool: pg.pool(url) };
  }
  const root = mkdtempSync(join(tmpdir(), 'aip-cost-'));
  chmodSync(root, 0o755);
  onStop('temp folder', () => rmSync(root, { recursive: true, force: true }));
  const pool = createPool({ connectionString: databaseUrl, max: 4, min: 0 });
  onStop('pool', () => pool.end());
  return { root, url: databaseUrl, pool };
}

export async function startMeasuring(opts: { name: string; env?: Record<string, string>; databaseUrl?: string }): Promise<Measuring> {
  const db = await database(opts.name, opts.databaseUrl);
  const recorder = await startRecorder();
  onStop('model recorder', () => recorder.close());
  const rt = await startRuntime({
    root: db.root,
    name: opts.name,
    databaseUrl: db.url,
    env: {
      // The runtime treats the recorder as real Bedrock: it keeps BEDROCK_ENDPOINT and signs with these.
      AIP_BEDROCK: 'aws',
      BEDROCK_ENDPOINT: recorder.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      ...opts.env,
    },
  });
  return { postgresPid: db.pid, recorder, rt, pool: db.pool };
}
