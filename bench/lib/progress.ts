/**
 * One progress line on stderr for long runs: rewritten in place on a terminal, printed every few
 * seconds otherwise (CI logs), so a run never looks hung.
 */
const TTY = process.stderr.isTTY === true;
const EVERY_MS = 5_000;

export class Progress {
  private last = 0;
  private shown = false;
  private readonly t0 = Date.now();

  constructor(private readonly label: string) {}

  update(text: string): void {
    const line = `  ${this.label}: ${text} (${((Date.now() - this.t0) / 1000).toFixed(0)} s)`;
    if (TTY) {
      process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 120) - 1)}`);
      this.shown = true;
    } else if (Date.now() - this.last >= EVERY_MS) {
      process.stderr.write(`${line}\n`);
      this.last = Date.now();
    }
  }

  done(text: string): void {
    if (TTY && this.shown) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`  ${this.label}: ${text}\n`);
  }
}

export const say = (text: string): void => void process.stderr.write(`${text}\n`);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
