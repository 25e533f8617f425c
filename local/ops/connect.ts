/**
 * Connections the ops commands open, each failing with the address and the setting to change
 * (targets.ts): PostgreSQL, and Step Functions (the local runtime's endpoint, or AWS when
 * STATE_MACHINE_ARN is set).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { Pool } from 'pg';
import type { StateMachineRef } from '../../functions/src/reports/executions';
import { OpsError } from './args';
import { type Env, type Targets, unreachable } from './targets';

/** A pool that has answered once; an unreachable server becomes the error that says what to do. */
export async function openDatabase(t: Targets): Promise<Pool> {
  const pool = new Pool({ connectionString: t.database.value, max: 4, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    if ((err as { code?: string }).code === '3D000' || (err as { code?: string }).code === '28P01') {
      throw new OpsError(
        `PostgreSQL at ${t.database.value.replace(/\/\/[^@]*@/, '//')} refused the connection: ${(err as Error).message} (the URL comes from ${t.database.from}).`,
      );
    }
    throw unreachable(err, 'PostgreSQL', t.database);
  }
  return pool;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The state machine to list: AWS with STATE_MACHINE_ARN, else the local runtime's endpoint. */
export async function stateMachine(t: Targets, env: Env): Promise<StateMachineRef & { label: string }> {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'ap-northeast-1';
  if (env.STATE_MACHINE_ARN)
    return { client: new SFNClient({ region }), stateMachineArn: env.STATE_MACHINE_ARN, label: 'AWS Step Functions' };
  let endpoint: string;
  let stateMachineArn: string;
  if (t.runtime && t.runtime.url === t.api.value) {
    ({ stepFunctions: endpoint, stateMachineArn } = t.runtime);
  } else {
    let health: { stepFunctions?: string; stateMachineArn?: string };
    try {
      health = (await (await fetch(`${t.api.value}/health`, { signal: AbortSignal.timeout(5_000) })).json()) as typeof health;
    } catch (err) {
      throw unreachable(err, 'the local runtime', t.api);
    }
    if (!health.stepFunctions || !health.stateMachineArn) {
      throw new OpsError(
        `${t.api.value}/health does not name a Step Functions endpoint: is this the local runtime (npm start)? The address comes from ${t.api.from}.`,
      );
    }
    ({ stepFunctions: endpoint, stateMachineArn } = health as { stepFunctions: string; stateMachineArn: string });
  }
  const client = new SFNClient({ endpoint, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const guarded = {
    send: async (command: Parameters<SFNClient['send']>[0]) => {
      try {
        return await client.send(command);
      } catch (err) {
        throw unreachable(err, 'Step Functions', { value: endpoint, from: t.runtime ? 'the running runtime' : `${t.api.value}/health` });
      }
    },
  } as Pick<SFNClient, 'send'>;
  return { client: guarded, stateMachineArn, label: `local Step Functions ${endpoint}` };
}
