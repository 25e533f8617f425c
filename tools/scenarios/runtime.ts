/**
 * One local runtime for one scenario: its own embedded PostgreSQL (behind a proxy that can freeze
 * it), its own data folder, `npm start`'s program as a child process with a compressed clock
 * (AIP_TIME_SCALE), and the metrics it writes (<dataDir>/metrics.jsonl) read back at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { issueToken, loadKeys } from '../../local/auth';
import { READY_MESSAGE } from '../../local/config';
import { METRICS_FILE, readMetricsFile } from '../../local/metrics';
import type { MetricSample } from '../../observability/evaluator';
import { startDbProxy, type DbProxy } from './db-proxy';

const ROOT = resolve(__dirname, '..', '..');

export interface ScenarioRuntime {
  readonly url: string;
  readonly sfnEndpoint: string;
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** Real time (ms) the runtime was ready: the scenario clock's origin. */
  readonly readyAt: number;
  readonly db: DbProxy;
  token(userId: string, opts?: Parameters<typeof issueToken>[2]): Promise<string>;
  request(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Record<string, string> }>;
  samples(): MetricSample[];
  output(): string;
  stop(): Promise<void>;
}

/** A database for one runtime: its URL and how to drop it. */
export interface ScenarioDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  readonly timeScale: number;
  readonly env?: Record<string, string>;
  /**
   * Where the runtime's database comes from. @default an embedded PostgreSQL of its own (jest,
   * which cannot load local/postgres.mjs, passes a fresh database on its test server instead)
   */
  readonly database?: () => Promise<ScenarioDatabase>;
}

async function startDatabase(root: string): Promise<ScenarioDatabase> {
  const { startPostgres, freePort } = await import('../../local/postgres.mjs');
  const server = await startPostgres({ dataDir: join(root, 'pg'), port: await freePort() });
  return { url: server.url, stop: () => server.stop() };
}

export async function startScenarioRuntime(opts: RuntimeOptions): Promise<ScenarioRuntime> {
  const root = mkdtempSync(join(tmpdir(), 'aip-scenario-'));
  chmodSync(root, 0o755); // the postgres user must reach its data folder below it
  const dataDir = join(root, 'data');
  const database = await (opts.database ? opts.database() : startDatabase(root));
  const db = await startDbProxy(database.url);
  let out = '';
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: '0',
    AIP_DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    AIP_TIME_SCALE: String(opts.timeScale),
    // Users here are scripted: the per-user rate limit has its own tests.
    AIP_RATE_LIMIT_REQUESTS: '1000000',
    ...opts.env,
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'local', 'main.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const ready = await new Promise<{ url: string; stepFunctions: string }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the runtime did not start in 90 s:\n${out.slice(-4000)}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.length > 2_000_000) out = out.slice(-1_000_000);
      const line = out.split('\n').find((l) => l.includes(READY_MESSAGE));
      if (line) {
        clearTimeout(timer);
        ok(JSON.parse(line));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the runtime exited (${code}) during start-up:\n${out.slice(-4000)}`));
    });
  });
  const keys = await loadKeys(dataDir);
  return {
    url: ready.url,
    sfnEndpoint: ready.stepFunctions,
    databaseUrl: database.url,
    dataDir,
    readyAt: Date.now(),
    db,
    token: (userId, o) => issueToken(keys, userId, o),
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | undefined;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(`${ready.url}${path}`, { method, headers, body, signal: AbortSignal.timeout(120_000) });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed, headers: Object.fromEntries(res.headers.entries()) };
    },
    samples: () => readMetricsFile(join(dataDir, METRICS_FILE)),
    output: () => out,
    async stop() {
      db.unfreeze();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((ok) => setTimeout(ok, 20_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await db.close();
      await database.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A direct connection to the runtime's database (not through the proxy), for what a scenario does to it. */
export async function connectDatabase(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}
