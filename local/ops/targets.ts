/**
 * Where the ops commands find the local runtime, each setting with where it came from, so an error
 * can name the address and the setting to change. The environment wins (DATABASE_URL, AIP_PG_PORT,
 * AIP_URL, PORT, the same settings as `npm start`); then the running runtime's runtime.json
 * (local/runtime-file.ts); then `npm start`'s defaults.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { intFromEnv } from '../../functions/src/runtime/config';
import { logFilePath } from '../log-file';
import { readRuntimeFile, runtimeFilePath, type RuntimeInfo } from '../runtime-file';
import { OpsError } from './args';

export type Env = Readonly<Record<string, string | undefined>>;

/** `npm start`'s defaults (local/config.ts): the embedded PostgreSQL and the API port. */
export const DEFAULT_PG_PORT = 54329;
export const DEFAULT_PORT = 3000;

export interface Setting {
  readonly value: string;
  /** Where it came from, in words: "DATABASE_URL", "the running runtime (.local/runtime.json)", "the default (set AIP_PG_PORT)". */
  readonly from: string;
}

export interface Targets {
  readonly dataDir: string;
  /** The runtime that wrote runtime.json, when it still runs. */
  readonly runtime: RuntimeInfo | undefined;
  readonly database: Setting;
  readonly api: Setting;
  /** The runtime's log file, when there is one. */
  readonly logFile: string | undefined;
}

const setting = (value: string, from: string): Setting => ({ value, from });

export function resolveTargets(env: Env): Targets {
  const dataDir = resolve(env.AIP_DATA_DIR ?? '.local');
  const runtime = readRuntimeFile(dataDir);
  const fromFile = `the running runtime (${runtimeFilePath(dataDir)})`;
  let database: Setting;
  let api: Setting;
  try {
    const pgPort = intFromEnv(env, 'AIP_PG_PORT', DEFAULT_PG_PORT, { min: 1, max: 65535 });
    const port = intFromEnv(env, 'PORT', DEFAULT_PORT, { min: 1, max: 65535 });
    database = env.DATABASE_URL
      ? setting(env.DATABASE_URL, 'DATABASE_URL')
      : env.AIP_PG_PORT
        ? setting(`postgres://aip:aip@127.0.0.1:${pgPort}/aip`, 'AIP_PG_PORT')
        : runtime
          ? setting(runtime.databaseUrl, fromFile)
          : setting(`postgres://aip:aip@127.0.0.1:${pgPort}/aip`, `the default port ${DEFAULT_PG_PORT} (set AIP_PG_PORT or DATABASE_URL)`);
    api = env.AIP_URL
      ? setting(env.AIP_URL.replace(/\/+$/, ''), 'AIP_URL')
      : env.PORT
        ? setting(`http://127.0.0.1:${port}`, 'PORT')
        : runtime
          ? setting(runtime.url, fromFile)
          : setting(`http://127.0.0.1:${DEFAULT_PORT}`, `the default port ${DEFAULT_PORT} (set PORT or AIP_URL)`);
  } catch (err) {
    throw new OpsError((err as Error).message);
  }
  const file = runtime?.logFile ?? logFilePath(dataDir);
  return { dataDir, runtime, database, api, logFile: existsSync(file) ? file : undefined };
}

/** The address a URL points at, for messages (no password). */
export function addressOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : u.protocol.startsWith('postgres') ? 5432 : 80)}`;
  } catch {
    return url;
  }
}

const START_HINT = 'start the runtime with `npm start` (in another terminal)';

/** The error a refused or unreachable connection becomes: which service, which address, which setting. */
export function unreachable(err: unknown, what: 'PostgreSQL' | 'the local runtime' | 'Step Functions', target: Setting): Error {
  const code = (err as NodeJS.ErrnoException)?.code ?? (err as { cause?: NodeJS.ErrnoException })?.cause?.code;
  if (!['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ETIMEDOUT'].includes(code ?? '')) return err as Error;
  const address = addressOf(target.value);
  return new OpsError(
    `Could not reach ${what} at ${address} (${code}); the address comes from ${target.from}. Nothing is running there: ${START_HINT}, or point at where it runs with ${
      what === 'PostgreSQL' ? 'DATABASE_URL or AIP_PG_PORT' : 'PORT or AIP_URL'
    }.`,
  );
}

/** The running runtime, or an error that says to start one. */
export function requireRuntime(t: Targets, command: string): RuntimeInfo {
  if (t.runtime) return t.runtime;
  throw new OpsError(
    `No local runtime is running for the data folder ${t.dataDir} (no live ${runtimeFilePath(t.dataDir)}), and \`ops ${command}\` needs one: ${START_HINT}, or name its data folder with AIP_DATA_DIR.`,
  );
}
