/**
 * What a measurement runs on: the bench's embedded PostgreSQL, the model recorder, and `npm start`'s
 * program as a child (bench/lib/runtime.ts) reaching the recorder as its Bedrock endpoint.
 * Everything registers with bench/lib/cleanup, so `stopAll()` ends it, also on Ctrl-C.
 */
import type { Pool } from 'pg';
import { onStop } from '../../bench/lib/cleanup';
import { startBenchPostgres, type BenchPostgres } from '../../bench/lib/postgres';
import { startRuntime, type Runtime } from '../../bench/lib/runtime';
import { startRecorder, type Recorder } from './recorder';

export interface Measuring {
  pg: BenchPostgres;
  recorder: Recorder;
  rt: Runtime;
  pool: Pool;
}

export async function startMeasuring(opts: { name: string; env?: Record<string, string> }): Promise<Measuring> {
  const pg = await startBenchPostgres();
  const recorder = await startRecorder();
  onStop('model recorder', () => recorder.close());
  const databaseUrl = await pg.database(`cost_${opts.name}`);
  const rt = await startRuntime({
    root: pg.root, name: opts.name, databaseUrl,
    env: {
      // The runtime treats the recorder as real Bedrock: it keeps BEDROCK_ENDPOINT and signs with these.
      AIP_BEDROCK: 'aws', BEDROCK_ENDPOINT: recorder.endpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
      ...opts.env,
    },
  });
  return { pg, recorder, rt, pool: pg.pool(databaseUrl) };
}
