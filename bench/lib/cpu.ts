/**
 * CPU time of the processes a measurement involves, from /proc (Linux): the service under test,
 * PostgreSQL (the postmaster, its live backends and the ones it has reaped) and this process (the
 * load generator). On 2 cores they compete, so CPU per request says more than requests/s alone.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { round } from './stats';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Stat {
  ppid: number;
  own: number;
  children: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(f[i]) / TICKS_PER_SECOND;
    return { ppid: Number(f[1]), own: n(11) + n(12), children: n(13) + n(14) };
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process and of the children it has waited for. */
export const processCpu = (pid: number): number => {
  const s = stat(pid);
  return s ? s.own + s.children : 0;
};

function allStats(): Map<number, Stat> {
  const out = new Map<number, Stat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s) out.set(Number(entry), s);
  }
  return out;
}

/** CPU seconds of a process tree one level deep (PostgreSQL: postmaster + backends). */
export function treeCpu(pid: number): number {
  let total = processCpu(pid);
  for (const s of allStats().values()) if (s.ppid === pid) total += s.own;
  return total;
}

/** CPU seconds of a process and all its live descendants (exited ones are in their parents' `children`). */
function familyCpu(root: number): number {
  const stats = allStats();
  const kids = new Map<number, number[]>();
  for (const [pid, s] of stats) kids.set(s.ppid, [...(kids.get(s.ppid) ?? []), pid]);
  let total = 0;
  for (const queue = [root]; queue.length; ) {
    const pid = queue.pop()!;
    const s = stats.get(pid);
    if (s) total += s.own + s.children;
    queue.push(...(kids.get(pid) ?? []));
  }
  return total;
}

/** Busy CPU seconds of the whole machine (all cores), and its core-seconds elapsed. */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0) / TICKS_PER_SECOND;
  return { busy: total - (f[3]! + f[4]!) / TICKS_PER_SECOND, total };
}

/** Above this share of the CPU taken by other processes, a suite's figures are flagged. */
export const OTHER_WORK_WARNING = 0.1;

/**
 * CPU used by work that is not this benchmark (other processes on a shared machine), as a share
 * of all cores over the measured span: figures taken while it is high are flagged, not trusted.
 */
export class OtherWork {
  private readonly start = { machine: machineCpu(), own: familyCpu(process.pid) };

  share(): number | undefined {
    try {
      const m = machineCpu();
      const own = familyCpu(process.pid);
      const elapsed = m.total - this.start.machine.total;
      if (elapsed <= 0) return undefined;
      return Math.max(0, Math.round(((m.busy - this.start.machine.busy - (own - this.start.own)) / elapsed) * 100) / 100);
    } catch {
      return undefined;
    }
  }
}

export interface CpuSample {
  server: number;
  postgres: number;
  loadGenerator: number;
}

export class CpuMeter {
  constructor(
    private readonly serverPid: number,
    private readonly postgresPid: number | undefined,
  ) {}

  sample(): CpuSample {
    const self = process.cpuUsage();
    return {
      server: processCpu(this.serverPid),
      postgres: this.postgresPid ? treeCpu(this.postgresPid) : 0,
      loadGenerator: (self.user + self.system) / 1e6,
    };
  }

  /** CPU milliseconds per unit of work between two samples, rounded for reports. */
  static perUnit(a: CpuSample, b: CpuSample, units: number): CpuSample {
    const per = (k: keyof CpuSample) => (units > 0 ? round(((b[k] - a[k]) * 1000) / units) : NaN);
    return { server: per('server'), postgres: per('postgres'), loadGenerator: per('loadGenerator') };
  }
}
