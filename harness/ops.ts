/**
 * What the ops command tests seed: processes and Step Functions executions at exact times, the
 * runtime's log file, and a runtime.json pointing at a database and a local Step Functions server
 * (the runtime's own, over the same PostgreSQL), so `runOps` runs as it does beside `npm start`.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Pool } from 'pg';
import {
  METRIC_DIMENSIONS,
  METRIC_NAMESPACE,
  METRICS,
  type MetricKey,
  type ProcessErrorCode,
  type ProcessStatus,
  type ProcessType,
} from '../guide';
import { buildDefinition } from '../functions/src/workflow/definition';
import { runOps } from '../local/ops/cli';
import { logFilePath } from '../local/log-file';
import { writeRuntimeFile } from '../local/runtime-file';
import { ExecutionStore, type ExecutionStatus } from '../local/sfn-executions';
import { LocalStepFunctions } from '../local/step-functions';
import { startSfnServer } from '../local/sfn-server';

export const STATE_MACHINE_ARN = 'arn:aws:states:ap-northeast-1:000000000000:stateMachine:AIGenerationStateMachine';
const WORKER_ARN = 'arn:aws:lambda:ap-northeast-1:000000000000:function:ai-generation-worker';

export interface SeededProcess {
  readonly type: ProcessType;
  readonly status: ProcessStatus;
  readonly created: string;
  /** When it ended (terminal statuses). */
  readonly ended?: string;
  readonly errorCode?: ProcessErrorCode;
}

export async function seedProcesses(pool: Pool, rows: readonly SeededProcess[]): Promise<string[]> {
  const ids: string[] = [];
  for (const r of rows) {
    const id = randomUUID();
    ids.push(id);
    await pool.query(
      `INSERT INTO processing_state (id, user_id, type, status, input, error_code, created_at, updated_at, started_at, completed_at)
       VALUES ($1, 'user-ops', $2, $3, '{}'::jsonb, $4, $5, $5, $5, $6)`,
      [id, r.type, r.status, r.errorCode ?? null, new Date(r.created), r.ended ? new Date(r.ended) : null],
    );
  }
  return ids;
}

export async function seedExecutions(pool: Pool, rows: readonly { status: ExecutionStatus; started: string }[]): Promise<void> {
  for (const r of rows) {
    const name = randomUUID();
    await pool.query(
      `INSERT INTO local_sfn.execution (execution_arn, state_machine_arn, name, status, input, start_date, stop_date)
       VALUES ($1, $2, $3, $4, '{}', $5, $6)`,
      [
        `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`,
        STATE_MACHINE_ARN,
        name,
        r.status,
        new Date(r.started),
        r.status === 'RUNNING' ? null : new Date(r.started),
      ],
    );
  }
}

/** An EMF line as Powertools prints it, with the service dimension only. */
export const emfLine = (key: MetricKey, value: number, at: string): Record<string, unknown> => ({
  _aws: {
    Timestamp: Date.parse(at),
    CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [['service']], Metrics: [{ Name: METRICS[key].name, Unit: 'Count' }] }],
  },
  service: METRIC_DIMENSIONS.service,
  [METRICS[key].name]: value,
});

export function writeLogLines(dataDir: string, lines: readonly (Record<string, unknown> | string)[]): string {
  const path = logFilePath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

export interface OpsWorld {
  readonly dataDir: string;
  readonly sfnEndpoint: string;
  /** Writes runtime.json as a running runtime does (this process's pid: alive). */
  announce(opts: { url?: string; logFile?: string }): void;
  close(): Promise<void>;
}

/** A data folder, and the local Step Functions server over `pool` (nothing runs in it). */
export async function startOpsWorld(pool: Pool, databaseUrl: string): Promise<OpsWorld> {
  const store = new ExecutionStore(pool);
  await store.init();
  const sfn = new LocalStepFunctions({
    stateMachineArn: STATE_MACHINE_ARN,
    definition: buildDefinition({ workerArn: WORKER_ARN }),
    store,
    tasks: { [WORKER_ARN]: async () => ({}) },
  });
  const server = await startSfnServer(sfn);
  const dataDir = mkdtempSync(join(tmpdir(), 'aip-ops-'));
  return {
    dataDir,
    sfnEndpoint: server.endpoint,
    announce: ({ url = 'http://127.0.0.1:9', logFile = logFilePath(dataDir) }) => {
      void writeRuntimeFile(dataDir, {
        url,
        pid: process.pid,
        databaseUrl,
        logFile,
        stepFunctions: server.endpoint,
        stateMachineArn: STATE_MACHINE_ARN,
      });
    },
    close: async () => {
      await sfn.shutdown();
      await server.close();
    },
  };
}

/** Runs `npm run ops -- …` in this process; what it printed and its exit code. */
export async function ops(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  now?: Date,
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runOps(argv, { env, out: (t) => (out += t), err: (t) => (err += t), ...(now ? { now: () => now } : {}) });
  return { code, out, err };
}
