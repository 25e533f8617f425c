/**
 * Servers under test run as child processes of their own, as they would in production (and so
 * their CPU time can be read apart). Output goes to a log file, not a pipe: a busy benchmark never
 * slows a server that is blocked writing its logs. Ready when a JSON line matches `ready`.
 */
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { onStop } from './cleanup';
import { sleep } from './progress';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface Child<T> {
  pid: number;
  info: T;
  logFile: string;
  /** Spawn to ready, ms (to leave start-up out of a CPU profile). */
  readyMs: number;
  stop(): Promise<void>;
}

export interface ChildOptions<T> {
  name: string;
  args: string[];
  env: Record<string, string | undefined>;
  logFile: string;
  /** Picks the ready line's fields out of one parsed JSON log line. */
  ready: (line: Record<string, unknown>) => T | undefined;
  timeoutMs?: number;
}

const tail = (file: string) => readFileSync(file, 'utf8').slice(-4000);

export async function startChild<T>(opts: ChildOptions<T>): Promise<Child<T>> {
  const fd = openSync(opts.logFile, 'a');
  const logStart = fstatSync(fd).size;
  const t0 = performance.now();
  const child = spawn(process.execPath, opts.args, { cwd: REPO_ROOT, env: opts.env as NodeJS.ProcessEnv, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((r) =>
    child.once('exit', (code) => {
      exitCode = code;
      r();
    }),
  );
  const stop = onStop(opts.name, async () => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
  });

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  // Bytes, not characters (logs hold Japanese); a reused log file is read from where it ended.
  let offset = logStart;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${opts.name} exited with ${exitCode} while starting:\n${tail(opts.logFile)}`);
    const bytes = readFileSync(opts.logFile);
    const complete = bytes.lastIndexOf(0x0a) + 1;
    for (const line of bytes.subarray(Math.min(offset, complete), complete).toString('utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const info = opts.ready(JSON.parse(line) as Record<string, unknown>);
        if (info) return { pid: child.pid!, info, logFile: opts.logFile, readyMs: performance.now() - t0, stop };
      } catch {
        /* not JSON: a pretty line */
      }
    }
    offset = Math.max(offset, complete);
    await sleep(50);
  }
  await stop();
  throw new Error(`${opts.name} did not start within ${(opts.timeoutMs ?? 60_000) / 1000} s:\n${tail(opts.logFile)}`);
}

/**
 * Runs `node <args>` to its end and returns the JSON printed after `marker` on one line, with the
 * wall time from spawn to exit; `undefined` and the output's tail when no such line came.
 */
export function runForResult(
  args: string[],
  marker: string,
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ result?: Record<string, any>; wallMs: number; output: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('exit', () => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(`${marker} `));
      resolve({
        result: line ? JSON.parse(line.slice(marker.length + 1)) : undefined,
        wallMs: performance.now() - t0,
        output: out.slice(-2000),
      });
    });
  });
}
