/**
 * The local runtime's database: the embedded PostgreSQL under its supervisor (restarted when it
 * dies), or the server DATABASE_URL names (which the runtime cannot restart: it reports it
 * unreachable and recovers when it is back, as the pools reconnect by themselves). And what
 * /health says about it: `{ ok: false, database: 'restarting' | 'down' | 'unreachable', … }` while
 * it is away, so the API answers 503.
 */
import { join } from 'node:path';
import type { Pool } from 'pg';
import type { LocalConfig } from './config';
import { PostgresSupervisor, type SupervisedServer } from './postgres-supervisor';

export interface LocalDatabase {
  url: string;
  /** Only for the embedded server. */
  supervisor?: PostgresSupervisor<SupervisedServer>;
  stop(): Promise<void>;
}

export type Say = (message: string, fields?: Record<string, unknown>) => void;

/** How long /health waits for `SELECT 1` before it calls the database unreachable. */
const HEALTH_QUERY_TIMEOUT_MS = 2_000;

export async function startDatabase(config: LocalConfig, say: Say): Promise<LocalDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => undefined };
  const { startPostgres } = await import('./postgres.mjs');
  const supervisor = new PostgresSupervisor({
    start: () => startPostgres({ dataDir: join(config.dataDir, 'pg'), port: config.pgPort, log: (l: string) => say(l) }),
    log: say,
  });
  const pg = await supervisor.begin();
  say('PostgreSQL started', { dataDir: pg.dataDir, port: pg.port, pid: pg.pid });
  return { url: pg.url, supervisor, stop: () => supervisor.stop() };
}

export type DatabaseHealth =
  | { ok: true; database: 'up'; restarts?: number }
  | { ok: false; database: 'restarting'; attempt: number; downSince: string; lastError?: string }
  | { ok: false; database: 'down' | 'unreachable'; error: string };

export async function databaseHealth(db: LocalDatabase, pool: Pool): Promise<DatabaseHealth> {
  const status = db.supervisor?.status();
  if (status?.state === 'restarting') {
    const { attempt, downSince, lastError } = status;
    return { ok: false, database: 'restarting', attempt, downSince, ...(lastError ? { lastError } : {}) };
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pool.query('SELECT 1'),
      new Promise(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_QUERY_TIMEOUT_MS} ms`)), HEALTH_QUERY_TIMEOUT_MS)),
      ),
    ]);
    return { ok: true, database: 'up', ...(status?.restarts ? { restarts: status.restarts } : {}) };
  } catch (err) {
    // The embedded server may have just died (its supervisor is about to say so); an external one cannot be restarted from here.
    return { ok: false, database: db.supervisor ? 'down' : 'unreachable', error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
