/**
 * Appends lines to a JSONL file of the local runtime (its metrics, its spans) in one write per turn
 * of the event loop, on a file descriptor kept open. A request records several metric samples and
 * spans; a synchronous `appendFileSync` each (open, write, close) cost the API more CPU than its
 * own handler (bench/results/NOTES.md). Readers see the lines one turn later; a crash loses at most
 * that turn's lines, and a process that exits normally writes them first.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class JsonlAppender {
  private fd: number | undefined;
  private pending: string[] = [];
  private scheduled = false;
  private readonly flushOnExit = () => this.flush();

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  /** Queues complete lines (each ending in a newline) for this turn's write. */
  append(text: string): void {
    this.pending.push(text);
    if (this.scheduled) return;
    this.scheduled = true;
    process.once('exit', this.flushOnExit);
    setImmediate(() => this.flush());
  }

  /** Drops the lines not yet written (the file is being rewritten whole). */
  discard(): void {
    this.pending = [];
  }

  /** Writes the queued lines now. The file is opened in append mode, so a rewrite of it (trim) keeps working. */
  flush(): void {
    if (this.scheduled) process.removeListener('exit', this.flushOnExit);
    this.scheduled = false;
    if (!this.pending.length) return;
    const text = this.pending.join('');
    this.pending = [];
    this.fd ??= openSync(this.file, 'a');
    const bytes = Buffer.from(text, 'utf8');
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
