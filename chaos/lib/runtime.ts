/**
 * The runtimes a chaos part starts: `npm start`'s program (local/main.ts) with its own embedded
 * PostgreSQL in a temp folder, in a process group of its own so kill -9 takes the server with
 * it, as a crash would. Every runtime started here is stopped by `disposeAll` (also on Ctrl-C).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { LocalRuntime, freePort } from '../../harness/local-runtime';

/**
 * Timeouts short enough that a chaos run ends in minutes, long enough for 2 busy cores: a step
 * (one model call, a second or so here) gets 10 s, the whole workflow 90 s; the queue monitor
 * runs every 2 s. The workflow's own retry backoff applies (AIP_RETRY_INTERVAL_MS unset).
 */
export const CHAOS_ENV = {
  AIP_STEP_TIMEOUT_SECONDS: '10',
  AIP_WORKFLOW_TIMEOUT_SECONDS: '90',
  AIP_SWEEPER_GRACE_SECONDS: '5',
  AIP_QUEUE_MONITOR_SECONDS: '2',
  AIP_RETRY_INTERVAL_MS: '',
  AIP_RATE_LIMIT_REQUESTS: '1000000000',
  BEDROCK_MAX_ATTEMPTS: '1',
} as const;

export interface ChaosRuntime {
  rt: LocalRuntime;
  pgPort: number;
  /** A pool on the runtime's own database (the embedded server). */
  db: Pool;
  workflowTimeoutSeconds: number;
  sweeperGraceSeconds: number;
}

const live = new Set<ChaosRuntime>();

export async function startChaosRuntime(env: Record<string, string> = {}): Promise<ChaosRuntime> {
  const pgPort = await freePort();
  const merged = { ...CHAOS_ENV, ...env, AIP_PG_PORT: String(pgPort) };
  const rt = await LocalRuntime.start({ ownProcessGroup: true, env: merged });
  const db = new Pool({ connectionString: `postgres://aip:aip@127.0.0.1:${pgPort}/aip`, max: 4 });
  db.on('error', () => undefined); // the server is killed on purpose
  const chaos = {
    rt,
    pgPort,
    db,
    workflowTimeoutSeconds: Number(merged.AIP_WORKFLOW_TIMEOUT_SECONDS),
    sweeperGraceSeconds: Number(merged.AIP_SWEEPER_GRACE_SECONDS),
  };
  live.add(chaos);
  return chaos;
}

/** The pid of the embedded postmaster, from its lock file. */
export function postmasterPid(c: ChaosRuntime): number {
  return Number(readFileSync(join(c.rt.opts.dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

export async function disposeRuntime(c: ChaosRuntime): Promise<void> {
  live.delete(c);
  await c.db.end().catch(() => undefined);
  await c.rt.dispose();
}

export async function disposeAll(): Promise<void> {
  for (const c of [...live]) await disposeRuntime(c).catch(() => undefined);
}
