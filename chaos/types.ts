// chaos/types.ts
export interface PartOptions {
  /** A short run for `npm test` (seconds) instead of the full one. */
  quick: boolean;
  /** Seed for anything random, so a failing run can be repeated. */
  seed: number;
  log: (line: string) => void;
}
export interface PartResult {
  /** e.g. 'fuzz', 'kill-runtime', 'kill-postgres', 'races', 'retries', 'faults' */
  name: string;
  tried: number;
  passed: number;
  failed: number;
  /** The figures the issue asks for, by name (e.g. { requests: 12000, status5xx: 0, crashes: 0, outsideEnvelope: 0 }). */
  counts: Record<string, number>;
  /** Up to 20 examples of what failed, each one line that lets a person reproduce it. */
  failures: string[];
  durationMs: number;
}
export type ChaosPart = (opts: PartOptions) => Promise<PartResult>;
