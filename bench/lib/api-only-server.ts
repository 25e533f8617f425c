/**
 * The local runtime's API alone: the same edge (local/api-server.ts: token check, body limits,
 * spans), the same route table and handler modules as `npm start`, on the same database and with
 * the same signing keys (AIP_DATA_DIR of the running runtime), but with Step Functions pointed at
 * SFN_ENDPOINT (lib/sfn-stub.ts, another process). No workflow runs in this process, so its CPU
 * and latency are the start API's own.
 * Run as a child: `node --import tsx bench/lib/api-only-server.ts` with DATABASE_URL,
 * SFN_ENDPOINT, STATE_MACHINE_ARN, AIP_DATA_DIR, AWS_REGION.
 */
import { join } from 'node:path';
import { loadKeys } from '../../local/auth';
import { FaultControl } from '../../local/bedrock-server';
import { startApiServer } from '../../local/api-server';
import { apiRoutes } from '../../local/api-routes';
import { registerTracing } from '../../local/tracing';
import { getDependencies } from '../../functions/src/runtime/deps';
import { migrate } from '../../functions/src/state/migrate';
import { createPool } from '../../functions/src/state/pool';

async function main(): Promise<void> {
  for (const key of ['DATABASE_URL', 'SFN_ENDPOINT', 'STATE_MACHINE_ARN', 'AIP_DATA_DIR', 'AWS_REGION']) {
    if (!process.env[key]) throw new Error(`${key} is not set`);
  }
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AIP_STAGE ??= 'local';
  // As in the runtime: the functions' spans go to a TraceStore and its file.
  const tracing = registerTracing({ dataDir: join(process.env.AIP_DATA_DIR!, 'api-only') });
  const owner = createPool({ connectionString: process.env.DATABASE_URL, max: 1 });
  await migrate(owner);
  await owner.end();
  const keys = await loadKeys(process.env.AIP_DATA_DIR!);
  const api = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    routes: apiRoutes(),
    keys,
    faults: new FaultControl(),
    health: async () => ({ status: 'ok' }) as never,
  });
  process.stdout.write(`${JSON.stringify({ message: 'api-only server listening', url: api.url })}\n`);
  process.on('SIGTERM', () => {
    void api
      .close()
      .then(() => getDependencies().then((d) => d.pool.end()))
      .finally(() => tracing.shutdown().finally(() => process.exit(0)));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`api-only server failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
