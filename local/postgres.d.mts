export interface LocalPostgres {
  url: string;
  port: number;
  dataDir: string;
  pid: number | undefined;
  /** Resolves when the server process exits, for whatever reason (a stop, a crash, a kill). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Fast shutdown (killed after 30 s); nothing when it has exited already. */
  stop(): Promise<void>;
}
export interface ProcessInfo {
  pid: number;
  state: string;
  ppid: number;
  comm: string;
  cwd: string | undefined;
  /** A zombie: dead, not yet reaped by its parent. */
  exited: boolean;
}
export const DURABILITY_SETTINGS: { synchronous_commit: 'on'; fsync: 'on'; full_page_writes: 'on' };
export const WAL_SETTINGS: { wal_compression: 'on'; max_wal_size: '4GB' };
export function inspectProcess(pid: number): ProcessInfo | undefined;
export function freePort(): Promise<number>;
export function startPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  log?: (line: string) => void;
}): Promise<LocalPostgres>;
