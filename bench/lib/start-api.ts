/**
 * The start API alone, as children: Step Functions paused (sfn-stub.ts), the runtime's API without
 * its workflows (api-only-server.ts, optionally under `node --cpu-prof`) and the baseline doing the
 * same statements (baseline-server.ts), all on one database of their own.
 */
import { join } from 'node:path';
import { STATE_MACHINE_NAME } from '../../guide';
import { startChild, type Child } from './child';
import { LIFTED_RATE_LIMIT, REGION } from './runtime';

export interface StartApiStack {
  sfn: Child<{ url: string }>;
  api: Child<{ url: string }>;
  baseline: Child<{ url: string }>;
  stop(): Promise<void>;
}

const tsx = (file: string) => ['--import', 'tsx', file];
export const readyUrl = (message: string) => (l: Record<string, unknown>) => (l.message === message ? { url: String(l.url) } : undefined);

/** Environment of a server calling the stub: its endpoint and the state machine the handlers start. */
export const stubEnv = (sfnUrl: string) => ({
  SFN_ENDPOINT: sfnUrl,
  STATE_MACHINE_ARN: `arn:aws:states:${REGION}:000000000000:stateMachine:${STATE_MACHINE_NAME}`,
  AWS_REGION: REGION,
});

export async function startSfnStub(root: string): Promise<Child<{ url: string }>> {
  return startChild({
    name: 'step functions stub',
    args: tsx('bench/lib/sfn-stub.ts'),
    env: process.env,
    logFile: join(root, 'sfn-stub.log'),
    ready: readyUrl('step functions stub listening'),
  });
}

export async function startBaseline(root: string, name: string, databaseUrl: string, sfnUrl: string): Promise<Child<{ url: string }>> {
  return startChild({
    name,
    args: tsx('bench/lib/baseline-server.ts'),
    env: { ...process.env, ...stubEnv(sfnUrl), DATABASE_URL: databaseUrl },
    logFile: join(root, `${name.replace(/\W+/g, '-')}.log`),
    ready: readyUrl('baseline listening'),
  });
}

export async function startStartApi(opts: {
  root: string;
  databaseUrl: string;
  keysDir: string;
  cpuProfileDir?: string;
}): Promise<StartApiStack> {
  const sfn = await startSfnStub(opts.root);
  const baseline = await startBaseline(opts.root, 'start baseline', opts.databaseUrl, sfn.info.url);
  const profile = opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : [];
  const api = await startChild({
    name: 'start API alone',
    args: [...profile, ...tsx('bench/lib/api-only-server.ts')],
    env: {
      ...process.env,
      ...stubEnv(sfn.info.url),
      DATABASE_URL: opts.databaseUrl,
      AIP_DATA_DIR: opts.keysDir,
      AIP_RATE_LIMIT_REQUESTS: LIFTED_RATE_LIMIT,
      AIP_LOG_FORMAT: 'json',
    },
    logFile: join(opts.root, 'api-only.log'),
    ready: readyUrl('api-only server listening'),
  });
  return {
    sfn,
    api,
    baseline,
    async stop() {
      for (const child of [api, baseline, sfn]) await child.stop();
    },
  };
}
