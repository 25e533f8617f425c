/**
 * The local runtime (`npm start` = local/main.ts) as a child, on a database of the bench
 * PostgreSQL, with the guide's 20 requests/min/user limit lifted for load (AIP_RATE_LIMIT_REQUESTS)
 * and the guide's default timeouts. `cpuProfileDir` runs it under `node --cpu-prof`; `env` adds
 * to its environment.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { issueToken, loadKeys, type LocalKeys } from '../../local/auth';
import { READY_MESSAGE } from '../../local/config';
import { startChild, type Child } from './child';

export const REGION = 'ap-northeast-1';
export const LIFTED_RATE_LIMIT = '1000000000';

export interface RuntimeInfo {
  url: string;
  stepFunctions: string;
  bedrock: string;
}

export interface Runtime extends Child<RuntimeInfo> {
  dataDir: string;
  keys: LocalKeys;
  token(userId: string): Promise<string>;
  setFaults(setting: { mode: string; count?: number; latencyMs?: number }): Promise<void>;
}

export interface RuntimeOptions {
  root: string;
  name: string;
  databaseUrl: string;
  cpuProfileDir?: string;
  /** Extra environment (what-if runs). */
  env?: Record<string, string>;
}

export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const dataDir = join(opts.root, opts.name);
  mkdirSync(dataDir, { recursive: true });
  const profile = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  const child = await startChild<RuntimeInfo>({
    name: `runtime ${opts.name}`,
    args: [...profile, '--import', 'tsx', 'local/main.ts'],
    env: {
      ...process.env,
      PORT: '0',
      AIP_DATA_DIR: dataDir,
      DATABASE_URL: opts.databaseUrl,
      AIP_RATE_LIMIT_REQUESTS: LIFTED_RATE_LIMIT,
      AWS_REGION: REGION,
      AIP_LOG_FORMAT: 'json',
      ...opts.env,
    },
    logFile: join(opts.root, `${opts.name}.log`),
    ready: (l) =>
      l.message === READY_MESSAGE ? { url: String(l.url), stepFunctions: String(l.stepFunctions), bedrock: String(l.bedrock) } : undefined,
  });
  const keys = await loadKeys(dataDir);
  return {
    ...child,
    dataDir,
    keys,
    token: (userId) => issueToken(keys, userId),
    async setFaults(setting) {
      const res = await fetch(`${child.info.url}/_local/ai/faults`, {
        method: 'POST',
        body: JSON.stringify(setting),
        headers: { 'content-type': 'application/json' },
      });
      if (res.status !== 200) throw new Error(`fault control refused ${JSON.stringify(setting)}: ${await res.text()}`);
    },
  };
}
