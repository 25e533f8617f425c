export interface LocalPostgres {
  url: string;
  port: number;
  dataDir: string;
  pid: number | undefined;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startPostgres(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  log?: (line: string) => void;
}): Promise<LocalPostgres>;
