/**
 * The measured profile the cost model reads (`cost/measured/profile.json`, written by
 * `npm run cost -- --measure`): what one process of each type costs in calls, tokens, bytes and
 * local milliseconds, measured on the local runtime. See cost/measure/run.ts for how.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESS_TYPES, type ProcessType } from '../guide';

export interface LogVolume {
  /** Bytes of the JSON lines the function code writes (Powertools logs and EMF metrics), newline included. */
  readonly bytes: number;
  /** Lines (log events); CloudWatch meters a fixed overhead per event. */
  readonly events: number;
}

export interface TypeProfile {
  readonly processes: number;
  readonly completed: number;
  readonly modelCalls: number;
  /** Tokens of the system prompt and the user prompt (tokenizer count, see `tokenizer`). */
  readonly inputTokens: number;
  /** Tokens of the model's answers (tokenizer count of the local model's answers). */
  readonly outputTokens: number;
  /** What the local endpoint reported in `usage` (characters / 4): kept to show the calibration. */
  readonly localUsage: { readonly inputTokens: number; readonly outputTokens: number };
  /** Bytes on the wire per model call (request body, response body), for NAT / endpoint data. */
  readonly modelRequestBytes: number;
  readonly modelResponseBytes: number;
  /** Start → COMPLETED wall time with the model answering at once, processes run one at a time: the worker's billed time besides the model. */
  readonly workerLocalMs: number;
  readonly workerLogs: LogVolume;
  /** Logs of the start handler for this process. */
  readonly startLogs: LogVolume;
  readonly startLatencyMs: number;
  readonly startRequestBytes: number;
  readonly startResponseBytes: number;
  /** PostgreSQL CPU per process (all its statements), ms. */
  readonly databaseCpuMs: number;
  /** WAL written per process: Aurora bills write I/O in 4 KiB units of log. */
  readonly walBytes: number;
  /** Stored size of the process's row (pg_column_size), bytes. */
  readonly rowBytes: number;
}

/** Figures per process (the type profiles are per process too, averaged over the processes measured). */
export interface MeasuredProfile {
  readonly measuredAt: string;
  readonly command: string;
  readonly machine: string;
  readonly tokenizer: string;
  readonly perType: Record<ProcessType, TypeProfile>;
  readonly statusCheck: {
    readonly requests: number;
    readonly latencyMs: number;
    readonly responseBytes: number;
    readonly requestBytes: number;
    readonly logs: LogVolume;
  };
  readonly queueMonitor: { readonly invocations: number; readonly logs: LogVolume };
  /** Custom metric series (name + dimension values) the functions printed as EMF during the run. */
  readonly metricSeries: readonly string[];
  /** Notes on the method, shown in the report. */
  readonly notes: readonly string[];
}

export const PROFILE_FILE = join(__dirname, 'measured', 'profile.json');

export function loadProfile(file = PROFILE_FILE): MeasuredProfile {
  let profile: MeasuredProfile;
  try {
    profile = JSON.parse(readFileSync(file, 'utf8')) as MeasuredProfile;
  } catch (err) {
    throw new Error(`Cannot read the measured profile ${file} (${(err as Error).message}); regenerate it with npm run cost -- --measure`);
  }
  const missing = PROCESS_TYPES.filter((t) => !profile.perType?.[t]);
  if (missing.length)
    throw new Error(`The measured profile ${file} has no figures for ${missing.join(', ')}; regenerate it with npm run cost -- --measure`);
  return profile;
}
