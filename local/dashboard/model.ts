/**
 * A stack's dashboard and alarms as the Pulumi program deploys them: the offline run of the real
 * program (infra/offline/run.ts, under Pulumi's mocks) gives the AsyncProcessing-Dashboard
 * resource's body and every alarm, adapted for the evaluator. The identifiers AWS assigns at
 * deploy time (the API id, the state machine's ARN) are rewritten to the local runtime's, so the
 * widgets and alarms read the metrics the runtime records. The run loads the Pulumi SDK and sets
 * its mocks, so it runs in a child process (model-child.ts), never in the runtime itself.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AlarmDefinition } from '../../observability/evaluator';
import type { DashboardBody } from '../../observability/dashboard/body';

export interface DashboardModel {
  readonly stack: string;
  readonly body: DashboardBody;
  readonly alarms: AlarmDefinition[];
  readonly region: string;
  readonly accountId: string;
}

/** The identifiers the local runtime publishes its AWS metrics under. */
export interface LocalIds {
  readonly apiId: string;
  readonly stage: string;
  readonly stateMachineArn: string;
}

/** Rewrites the dimension values of every metric entry of the body (`[ns, name, k, v, …, {options}]`). */
export function withDimensions(body: DashboardBody, value: (dimension: string, value: string) => string): DashboardBody {
  const entry = (e: unknown[]): unknown[] => {
    if (typeof e[0] !== 'string') return e;
    const out = [...e];
    for (let i = 2; i + 1 < out.length && typeof out[i + 1] === 'string'; i += 2) out[i + 1] = value(String(out[i]), String(out[i + 1]));
    return out;
  };
  return {
    ...body,
    widgets: body.widgets.map((w) =>
      w.type === 'metric' ? { ...w, properties: { ...w.properties, metrics: (w.properties.metrics as unknown[][]).map(entry) } } : w,
    ),
  };
}

export const localDimension = (ids: LocalIds) => {
  const local: Record<string, string> = { ApiId: ids.apiId, Stage: ids.stage, StateMachineArn: ids.stateMachineArn };
  return (dimension: string, value: string): string => local[dimension] ?? value;
};

/** Runs the offline program for `stack` in a child process; rejects naming what failed. */
export function loadDashboardModel(stack: string, ids: LocalIds): Promise<DashboardModel> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'model-child.ts'), stack, JSON.stringify(ids)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PULUMI_NODEJS_SKIP_UPDATE_CHECK: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`The offline run of stack ${stack} failed (exit ${code}): ${err.trim().slice(-2000)}`));
      try {
        resolve(JSON.parse(out.slice(out.indexOf('{"stack"'))) as DashboardModel);
      } catch (e) {
        reject(new Error(`The offline run of stack ${stack} printed no model: ${(e as Error).message}`));
      }
    });
  });
}
