/**
 * The local runtime's log file: every line the runtime writes (the handlers' JSON logs, the EMF
 * metric lines, the runtime's own lines) also goes to `<AIP_DATA_DIR>/logs/runtime.jsonl`, as
 * CloudWatch Logs would keep them. `npm run ops -- logs` and the local reports read it. The file
 * is appended across restarts; at start a file past ROTATE_BYTES moves to `runtime.jsonl.1`.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ROTATE_BYTES = 64 * 1024 * 1024;

export const logFilePath = (dataDir: string): string => join(dataDir, 'logs', 'runtime.jsonl');

/** Copies stdout and stderr to `path`, as written (install after the pretty printer: the file keeps JSON). */
export function teeLogs(path: string): { close(): Promise<void> } {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) && statSync(path).size > ROTATE_BYTES) renameSync(path, `${path}.1`);
  const file = createWriteStream(path, { flags: 'a' });
  file.on('error', () => undefined);
  const restore: (() => void)[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    (stream as unknown as { write: typeof write }).write = (chunk: unknown, ...rest: unknown[]) => {
      file.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array));
      return write(chunk, ...rest);
    };
    restore.push(() => ((stream as unknown as { write: typeof write }).write = write));
  }
  return {
    close: () =>
      new Promise((res) => {
        for (const r of restore) r();
        file.end(res);
      }),
  };
}

/** The JSON lines of a log file (and its rotated predecessor), oldest first; other lines are skipped. */
export function readLogDocuments(path: string): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  for (const p of [`${path}.1`, path]) {
    if (!existsSync(p)) continue;
    for (const line of readFileSync(p, 'utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const doc = JSON.parse(line) as unknown;
        if (doc && typeof doc === 'object' && !Array.isArray(doc)) docs.push(doc as Record<string, unknown>);
      } catch {
        // A line cut short by a crash: CloudWatch would show it as text; it has no fields to match.
      }
    }
  }
  return docs;
}
