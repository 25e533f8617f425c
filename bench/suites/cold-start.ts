/**
 * Cold-start proxy: each Lambda entry bundled (lib/bundle.ts), then, per repetition, a fresh
 * `node` process loads it and serves one representative event against the running local
 * runtime's database and endpoints (lib/cold-start-child.cjs). Reported: bundle size, Node's own
 * boot, require time, first invocation, and spawn-to-answer wall time; medians over repetitions,
 * next to an empty handler as the floor.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { FUNCTIONS, MAINTENANCE_EVENTS, STATE_MACHINE_NAME, type FunctionKey } from '../../guide';
import { buildEvent, lambdaContext, type RouteSpec } from '../../local/api-gateway';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/auth';
import { bundleEntries, emptyBundle, type Bundle } from '../lib/bundle';
import { REPO_ROOT, runForResult } from '../lib/child';
import { Progress } from '../lib/progress';
import { LIFTED_RATE_LIMIT, REGION, type Runtime } from '../lib/runtime';
import { median, round } from '../lib/stats';
import { insertProcess, startBody } from '../lib/processes';

export interface ColdStartRow {
  function: string;
  bytes: number;
  gzipBytes: number;
  largest: [string, number][];
  /** The X-Ray tracer shipped beside the bundle, which only a Lambda with tracing on loads (infra/build/bundle.ts). */
  xrayBytes?: number;
  bootMs: number;
  requireMs: number;
  firstInvokeMs: number;
  /** Spawn of `node` to the first answer: what a cold request waits for, minus Lambda's own sandbox set-up. */
  totalMs: number;
  rssMb: number;
  /** What the first invocation answered (HTTP status or ok/error), so a failing handler is not timed as fast. */
  outcome: string;
  event: string;
}

export type Fixture = { event: unknown; about: string };
const USER = 'cold-start-user';

function apiEvent(key: FunctionKey, method: string, path: string, params: Record<string, string>, body = ''): unknown {
  const now = Math.floor(Date.now() / 1000);
  const route: RouteSpec = {
    method,
    path,
    functionName: FUNCTIONS[key].name,
    timeoutSeconds: FUNCTIONS[key].timeoutSeconds,
    handler: async () => ({}),
  };
  return buildEvent({
    route,
    pathParameters: params,
    method,
    rawPath: path.replace('{processId}', params.processId ?? ''),
    rawQuery: '',
    headers: { 'content-type': 'application/json', host: 'api.example.com' },
    body: Buffer.from(body),
    requestId: randomUUID(),
    sourceIp: '127.0.0.1',
    claims: { sub: USER, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now, exp: now + 3600, scope: 'processes' },
  });
}

/** One representative first request per function; fresh rows per repetition. */
export const FIXTURES: Record<FunctionKey, (pool: Pool) => Promise<Fixture>> = {
  asyncProcessingHandler: async () => ({
    event: apiEvent('asyncProcessingHandler', 'POST', '/v1/processes', {}, startBody(1)),
    about: 'POST /v1/processes (starts a workflow)',
  }),
  statusCheckHandler: async (pool) => ({
    event: apiEvent('statusCheckHandler', 'GET', '/v1/processes/{processId}', { processId: await insertProcess(pool, USER, 'PROCESSING') }),
    about: 'GET a PROCESSING process',
  }),
  retryHandler: async (pool) => ({
    event: apiEvent('retryHandler', 'POST', '/v1/processes/{processId}/retry', { processId: await insertProcess(pool, USER, 'FAILED') }),
    about: 'retry a FAILED process (starts a workflow)',
  }),
  cancelHandler: async (pool) => ({
    event: apiEvent('cancelHandler', 'POST', '/v1/processes/{processId}/cancel', {
      processId: await insertProcess(pool, USER, 'PENDING', {
        executionArn: `arn:aws:states:${REGION}:000000000000:execution:${STATE_MACHINE_NAME}:gone-${randomUUID()}`,
      }),
    }),
    about: 'cancel a PENDING process (StopExecution answers ExecutionDoesNotExist)',
  }),
  aiGenerationWorker: async (pool) => ({
    event: {
      action: 'generate',
      processId: await insertProcess(pool, USER, 'PROCESSING'),
      userId: USER,
      type: 'SUBGOAL_GENERATION',
      attempt: 1,
    },
    about: 'generate: one model call + one slice stored',
  }),
  processingCleanup: async () => ({ event: MAINTENANCE_EVENTS.weekly, about: 'weekly cleanup (nothing expired)' }),
  queueMonitor: async () => ({ event: {}, about: 'queue depth + sweeper' }),
  dbMigrate: async () => ({ event: {}, about: 'apply migrations (none pending)' }),
  // A real run needs AWS Backup's restore job and a restored cluster: the cold start loads the bundle and refuses the event.
  drValidation: async () => ({ event: {}, about: 'refuses an event without a restore job (a real run needs AWS Backup)' }),
};

/** One fresh `node` process: load the bundle, serve the event, report. */
export async function runOnce(
  bundle: Bundle,
  eventFile: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<Record<string, any> & { totalMs: number }> {
  const run = await runForResult(
    [...nodeArgs, join(__dirname, '..', 'lib', 'cold-start-child.cjs'), bundle.file, eventFile],
    'COLD_START',
    { env, timeoutMs: 60_000 },
  );
  if (!run.result) throw new Error(`${bundle.name}: no result from the cold-start process:\n${run.output}`);
  return { ...run.result, totalMs: run.wallMs };
}

/** What Lambda would set for the functions, pointed at the running local runtime. */
export function coldStartEnv(rt: Runtime, databaseUrl: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DATABASE_URL: databaseUrl,
    SFN_ENDPOINT: rt.info.stepFunctions,
    BEDROCK_ENDPOINT: rt.info.bedrock,
    STATE_MACHINE_ARN: `arn:aws:states:${REGION}:000000000000:stateMachine:${STATE_MACHINE_NAME}`,
    BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0',
    AIP_RATE_LIMIT_REQUESTS: LIFTED_RATE_LIMIT,
    AIP_STAGE: 'local',
  };
}

const handlerFile = (k: FunctionKey) => join(REPO_ROOT, 'functions', 'src', 'handlers', `${FUNCTIONS[k].entry}.ts`);
export const COLD_START_DIR = join(REPO_ROOT, 'bench', '.build', 'cold-start');

/** Bundles the Lambda entries that exist (the guide may list one not written yet). */
export function bundleFunctions(
  keys = (Object.keys(FUNCTIONS) as FunctionKey[]).filter((k) => existsSync(handlerFile(k))),
): { key: FunctionKey; bundle: Bundle }[] {
  const bundles = bundleEntries(Object.fromEntries(keys.map((k) => [FUNCTIONS[k].name, handlerFile(k)])), COLD_START_DIR, REPO_ROOT);
  // As deployed: db-migrate ships the SQL files beside its bundle.
  if (keys.includes('dbMigrate'))
    cpSync(join(REPO_ROOT, 'functions', 'migrations'), join(COLD_START_DIR, FUNCTIONS.dbMigrate.name, 'migrations'), { recursive: true });
  return keys.map((key, i) => ({ key, bundle: bundles[i]! }));
}

/** Writes a fixture's event and Lambda context for one cold start; returns the file and what it does. */
export async function writeEvent(
  pool: Pool,
  dir: string,
  name: string,
  fixture: (pool: Pool) => Promise<Fixture>,
  timeoutS: number,
): Promise<{ file: string; about: string }> {
  const f = await fixture(pool);
  const file = join(dir, `event-${name.replace(/\W/g, '')}-${randomUUID()}.json`);
  const context = lambdaContext(name, randomUUID(), timeoutS);
  writeFileSync(file, JSON.stringify({ event: f.event, context: { fields: context, timeoutMs: timeoutS * 1000 } }));
  return { file, about: f.about };
}

export async function coldStartSuite(
  ctx: { rt: Runtime; pool: Pool; root: string; databaseUrl: string },
  opts: { repetitions: number },
): Promise<ColdStartRow[]> {
  const env = coldStartEnv(ctx.rt, ctx.databaseUrl);
  const targets: { bundle: Bundle; fixture: (pool: Pool) => Promise<Fixture>; timeoutS: number }[] = [
    { bundle: emptyBundle(COLD_START_DIR), fixture: async () => ({ event: {}, about: 'returns at once' }), timeoutS: 30 },
    ...bundleFunctions().map(({ key, bundle }) => ({ bundle, fixture: FIXTURES[key], timeoutS: FUNCTIONS[key].timeoutSeconds })),
  ];

  const rows: ColdStartRow[] = [];
  const progress = new Progress('cold start');
  for (const { bundle, fixture, timeoutS } of targets) {
    const runs: (Record<string, any> & { totalMs: number })[] = [];
    let about = '';
    for (let r = 0; r < opts.repetitions; r++) {
      progress.update(`${bundle.name} ${r + 1}/${opts.repetitions}`);
      const event = await writeEvent(ctx.pool, ctx.root, bundle.name, fixture, timeoutS);
      about = event.about;
      runs.push(await runOnce(bundle, event.file, env));
    }
    const m = (k: string) => round(median(runs.map((x) => Number(x[k]))));
    const last = runs[runs.length - 1]!;
    rows.push({
      function: bundle.name,
      bytes: bundle.bytes,
      gzipBytes: bundle.gzipBytes,
      largest: bundle.largest,
      xrayBytes: bundle.xrayBytes,
      bootMs: m('bootMs'),
      requireMs: m('requireMs'),
      firstInvokeMs: m('firstInvokeMs'),
      totalMs: m('totalMs'),
      rssMb: m('rssMb'),
      outcome: last.ok ? (last.statusCode ? `HTTP ${last.statusCode}` : 'ok') : `error: ${last.error}`,
      event: about,
    });
  }
  progress.done(rows.map((r) => `${r.function} ${r.totalMs} ms`).join(', '));
  return rows;
}
