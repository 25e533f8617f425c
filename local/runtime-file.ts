/**
 * How `npm run ops` finds a running local runtime: `npm start` writes `<AIP_DATA_DIR>/runtime.json`
 * (its URL, pid, database URL, log file, Step Functions endpoint) once it is ready and removes it
 * when it stops. The environment still wins (PORT, AIP_URL, DATABASE_URL, AIP_PG_PORT).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RuntimeInfo {
  readonly url: string;
  readonly pid: number;
  readonly databaseUrl: string;
  readonly logFile: string;
  readonly stepFunctions: string;
  readonly stateMachineArn: string;
}

export const runtimeFilePath = (dataDir: string): string => join(dataDir, 'runtime.json');

export function writeRuntimeFile(dataDir: string, info: RuntimeInfo): () => Promise<void> {
  const path = runtimeFilePath(dataDir);
  writeFileSync(path, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  return async () => rmSync(path, { force: true });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The runtime that wrote `runtime.json` in `dataDir`, if that process still runs. */
export function readRuntimeFile(dataDir: string): RuntimeInfo | undefined {
  const path = runtimeFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as RuntimeInfo;
    return typeof info.pid === 'number' && alive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}
