/**
 * Starts `npm start`'s program (local/main.ts) as a child process, as a user would, and talks to
 * it over HTTP. Each runtime gets its own data folder; by default its own database on the test
 * server (DATABASE_URL), or the embedded PostgreSQL with `embeddedPostgres: true`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProcessStatus } from '../guide';
import { isTerminal as isTerminalStatus } from '../functions/src/domain/process';
import { issueToken, loadKeys } from '../local/auth';
import { READY_MESSAGE } from '../local/config';
import { createTestDatabase, type TestDatabase } from './test-database';

const ROOT = resolve(__dirname, '..');

/** Short workflow timeouts and retry waits so failure paths finish in seconds. */
export const FAST_ENV = {
  AIP_STEP_TIMEOUT_SECONDS: '2',
  AIP_WORKFLOW_TIMEOUT_SECONDS: '30',
  AIP_RETRY_INTERVAL_MS: '20',
  AIP_QUEUE_MONITOR_SECONDS: '1',
  BEDROCK_MAX_ATTEMPTS: '1',
  // The e2e tests poll often; the rate limit has its own tests (and one e2e test sets it back).
  AIP_RATE_LIMIT_REQUESTS: '100000',
};

export interface RuntimeOptions {
  databaseUrl?: string;
  dataDir?: string;
  env?: Record<string, string>;
  /** Run it in a process group of its own, so `crash()` takes its embedded PostgreSQL down with it. */
  ownProcessGroup?: boolean;
}

export class LocalRuntime {
  url = '';
  sfnEndpoint = '';
  output = '';
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  constructor(readonly opts: RuntimeOptions & { dataDir: string }) {}

  static async start(opts: RuntimeOptions = {}): Promise<LocalRuntime> {
    const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'aip-runtime-'));
    const rt = new LocalRuntime({ ...opts, dataDir });
    await rt.boot();
    return rt;
  }

  /** Starts the program and waits for its "running" line. */
  async boot(): Promise<void> {
    this.output = '';
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...FAST_ENV,
      PORT: '0',
      AIP_DATA_DIR: this.opts.dataDir,
      ...this.opts.env,
    };
    delete env.DATABASE_URL;
    if (this.opts.databaseUrl) env.DATABASE_URL = this.opts.databaseUrl;
    // What `npm start` runs, without npm in between, so signals reach the runtime itself.
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'local', 'main.ts')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.opts.ownProcessGroup,
    });
    this.child = child;
    this.exited = new Promise((res) => child.once('exit', res));
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`runtime did not start in 60 s:\n${this.output}`)), 60_000);
      let ready = false;
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (ready) return;
        for (const line of this.output.split('\n')) {
          if (!line.includes(READY_MESSAGE)) continue;
          const info = JSON.parse(line);
          this.url = info.url;
          this.sfnEndpoint = info.stepFunctions;
          clearTimeout(timer);
          ready = true;
          res();
          return;
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`runtime exited with ${code} during start-up:\n${this.output}`));
      });
    });
  }

  /** Stops the program with a signal and waits for it to exit; returns its exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill(signal);
    return this.exited!;
  }

  /** kill -9 of the runtime and everything it started (its process group), as a crash or an OOM kill would. */
  async crash(): Promise<void> {
    if (!this.opts.ownProcessGroup) throw new Error('crash() needs ownProcessGroup: true, or it would kill the test runner too');
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    process.kill(-this.child.pid!, 'SIGKILL');
    await this.exited;
  }

  /** Whether the program is running (false after it exited, whyever). */
  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The process id of the runtime (its group's id with ownProcessGroup). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await this.boot();
  }

  async dispose(): Promise<void> {
    await this.stop('SIGTERM');
    rmSync(this.opts.dataDir, { recursive: true, force: true });
  }

  async token(userId: string, opts?: Parameters<typeof issueToken>[2]): Promise<string> {
    return issueToken(await loadKeys(this.opts.dataDir), userId, opts);
  }

  async request(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  async setFaults(setting: { mode: string; count?: number; latencyMs?: number }) {
    const res = await this.request('POST', '/_local/ai/faults', { body: setting });
    if (res.status !== 200) throw new Error(`fault control refused: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Polls the status route until `until` holds; returns every status seen. */
  async poll(token: string, processId: string, until: (p: any) => boolean, timeoutMs = 30_000): Promise<any[]> {
    const seen: any[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.request('GET', `/v1/processes/${processId}`, { token });
      if (res.status !== 200) throw new Error(`status ${res.status}: ${JSON.stringify(res.body)}`);
      seen.push(res.body);
      if (until(res.body)) return seen;
      if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(res.body)}\n${this.output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A TCP port free on 127.0.0.1 right now (for the embedded PostgreSQL of a runtime). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** For `poll`: the process (as the API shows it) has ended. */
export const isTerminal = (p: { status: ProcessStatus }) => isTerminalStatus(p.status);

export interface RuntimeFixture {
  readonly rt: LocalRuntime;
  readonly db: TestDatabase;
}

/**
 * For an end-to-end test file: one runtime on its own database for the whole file, faults
 * cleared after each test. Call at the top level of a describe block.
 */
export function useLocalRuntime(env: Record<string, string> = {}): RuntimeFixture {
  let db: TestDatabase | undefined;
  let rt: LocalRuntime | undefined;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    rt = await LocalRuntime.start({ databaseUrl: db.url, env });
  });
  afterAll(async () => {
    await rt?.dispose();
    await db?.drop();
  });
  afterEach(() => rt?.setFaults({ mode: 'none', latencyMs: 0 }));
  return {
    get rt() {
      return rt!;
    },
    get db() {
      return db!;
    },
  };
}
