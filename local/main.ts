/**
 * `npm start`: the whole pipeline on one machine. A real PostgreSQL (from npm, or DATABASE_URL),
 * the same handler modules and state-machine definition as on AWS, and the real AWS SDK clients
 * pointed at local Step Functions and Bedrock Runtime endpoints.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS, STATE_MACHINE_NAME } from '../guide';
import { ROUTES } from '../functions/src/http/route-table';
// Handler modules read their configuration on first invocation, after main() has set it.
import * as start from '../functions/src/handlers/async-processing-handler';
import * as status from '../functions/src/handlers/status-check-handler';
import * as retry from '../functions/src/handlers/retry-handler';
import * as cancel from '../functions/src/handlers/cancel-handler';
import * as worker from '../functions/src/handlers/ai-generation-worker';
import * as queueMonitor from '../functions/src/handlers/queue-monitor';
import * as cleanup from '../functions/src/handlers/processing-cleanup';
import { getDependencies } from '../functions/src/runtime/deps';
import { createPool } from '../functions/src/state/pool';
import { migrate } from '../functions/src/state/migrate';
import { buildDefinition } from '../functions/src/workflow/definition';
import { READY_MESSAGE, loadLocalConfig } from './config';
import { installPrettyLogs } from './log-format';
import { loadKeys, issueToken } from './auth';
import { startLocalBedrock, FaultControl, type LocalBedrock } from './bedrock-server';
import { ExecutionStore } from './sfn-executions';
import { LocalStepFunctions } from './step-functions';
import { startSfnServer } from './sfn-server';
import { startApiServer } from './api-server';
import type { LambdaHandler, RouteSpec } from './api-gateway';

const config = loadLocalConfig();
if (config.logFormat === 'pretty') installPrettyLogs();

const say = (message: string, fields: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level: 'INFO', service: 'local-runtime', message, ...fields })}\n`);

async function main() {
  try {
    mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.W_OK);
  } catch (err) {
    throw new Error(`The data folder ${config.dataDir} is not writable (${(err as NodeJS.ErrnoException).code}). Choose another with AIP_DATA_DIR=<folder>, or fix its permissions.`);
  }
  const account = '000000000000';
  const stateMachineArn = `arn:aws:states:${config.region}:${account}:stateMachine:${STATE_MACHINE_NAME}`;
  const workerArn = `arn:aws:lambda:${config.region}:${account}:function:${FUNCTIONS.aiGenerationWorker.name}`;
  const stops: Array<() => Promise<unknown>> = [];

  // 1. PostgreSQL
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const { startPostgres } = await import('./postgres.mjs');
    const pg = await startPostgres({ dataDir: join(config.dataDir, 'pg'), port: config.pgPort, log: (l: string) => say(l) });
    databaseUrl = pg.url;
    stops.unshift(() => pg.stop());
    say('PostgreSQL started', { dataDir: pg.dataDir, port: pg.port });
  }
  const pool = createPool({ connectionString: databaseUrl, max: 4 }, () => undefined);
  stops.unshift(() => pool.end());
  // The handlers' own pool (functions/src/runtime/deps.ts) closes before the server stops.
  stops.unshift(() => getDependencies().then((d) => d.pool.end()));
  const applied = await migrate(pool);
  if (applied.length) say('Migrations applied', { applied });

  // 2. Bedrock Runtime (local unless AIP_BEDROCK=aws)
  const faults = new FaultControl();
  let bedrock: LocalBedrock | undefined;
  if (!config.realBedrock) {
    bedrock = await startLocalBedrock({ faults });
    stops.unshift(() => bedrock!.close());
  }

  // 3. The functions' environment, as the Pulumi program sets it on AWS.
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    STATE_MACHINE_ARN: stateMachineArn,
    AWS_REGION: config.region,
    BEDROCK_MODEL_ID: config.bedrockModelId,
    AIP_STEP_TIMEOUT_SECONDS: String(config.stepTimeoutSeconds),
    AIP_WORKFLOW_TIMEOUT_SECONDS: String(config.workflowTimeoutSeconds),
    AIP_STAGE: 'local',
  });
  if (bedrock) process.env.BEDROCK_ENDPOINT = bedrock.endpoint;
  // The local endpoints ignore signatures, but the SDK signs every request.
  if (!config.realBedrock) {
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  }

  // 4. Step Functions, running the same definition infra deploys.
  const definition = buildDefinition({ workerArn, stepTimeoutSeconds: config.stepTimeoutSeconds, workflowTimeoutSeconds: config.workflowTimeoutSeconds });
  const executions = new ExecutionStore(pool);
  await executions.init();
  const sfn = new LocalStepFunctions({
    stateMachineArn, definition, store: executions, retryIntervalMs: config.retryIntervalMs,
    tasks: { [workerArn]: (input) => worker.handler(input) },
    log: (message, fields) => say(message, fields),
  });
  const sfnServer = await startSfnServer(sfn);
  process.env.SFN_ENDPOINT = sfnServer.endpoint;
  stops.unshift(() => sfnServer.close());
  stops.unshift(() => sfn.shutdown());
  const resumed = await sfn.resume();
  if (resumed.resumed || resumed.timedOut) say('Executions left running by the last run', resumed);

  // 5. The API, as API Gateway would serve it.
  const keys = await loadKeys(config.dataDir);
  // The contract's route table, the one infra deploys; each route invokes its function's module.
  const apiHandlers: Partial<Record<keyof typeof FUNCTIONS, LambdaHandler>> = {
    asyncProcessingHandler: start.handler, statusCheckHandler: status.handler, retryHandler: retry.handler, cancelHandler: cancel.handler,
  };
  const routes: RouteSpec[] = ROUTES.map(({ routeKey, functionKey }) => {
    const [method, path] = routeKey.split(' ') as [string, string];
    const { name, timeoutSeconds } = FUNCTIONS[functionKey];
    const handler = apiHandlers[functionKey];
    if (!handler) throw new Error(`No local handler module for route ${routeKey} (${functionKey})`);
    return { method, path, functionName: name, timeoutSeconds, handler };
  });
  const api = await startApiServer({
    host: config.host, port: config.port, routes, keys, faults,
    health: async () => {
      await pool.query('SELECT 1');
      return { ok: true, database: 'up', stepFunctions: sfnServer.endpoint, stateMachineArn, bedrock: bedrock?.endpoint ?? 'aws', runningExecutions: sfn.runningCount };
    },
    onAuthFailure: (reason) => say('Authentication failed', { level: 'WARN', reason, metric: 'AuthFailures' }),
  });
  stops.unshift(() => api.close());

  // 6. Scheduled maintenance (EventBridge Scheduler on AWS).
  const monitor = setInterval(() => queueMonitor.handler().catch((err) => say('Queue monitor failed', { error: String(err) })), config.queueMonitorSeconds * 1000);
  const daily = setInterval(() => cleanup.handler().catch((err) => say('Cleanup failed', { error: String(err) })), 24 * 3600 * 1000);
  stops.unshift(async () => { clearInterval(monitor); clearInterval(daily); });
  void queueMonitor.handler().catch(() => undefined);

  const token = await issueToken(keys, 'demo-user');
  // From process start, including loading the handler modules and the AWS SDK.
  const startupMs = Math.round(process.uptime() * 1000);
  say(READY_MESSAGE, {
    url: api.url, startupMs, rssMb: Math.round(process.memoryUsage().rss / 1048576),
    stepFunctions: sfnServer.endpoint, bedrock: bedrock?.endpoint ?? 'Amazon Bedrock (AWS credentials)', dataDir: config.dataDir,
  });
  process.stdout.write([
    '',
    `  API        ${api.url}   (health: ${api.url}/health)`,
    `  Started in ${startupMs} ms, ${Math.round(process.memoryUsage().rss / 1048576)} MB resident`,
    '  Try it:',
    `    TOKEN=$(npm run --silent token -- demo-user)`,
    `    curl -s -X POST ${api.url}/v1/processes -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `      -d '{"type":"SUBGOAL_GENERATION","input":{"goal":{"title":"Run a marathon"}}}'`,
    `  A token for demo-user, valid 24 h: ${token}`,
    '',
  ].join('\n') + '\n');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    say(`${signal}: shutting down; running executions resume on the next start`);
    // Nothing may keep the runtime from exiting: a step that hangs is reported, then we exit.
    setTimeout(() => {
      process.stderr.write('Shutdown took longer than 15 s; exiting anyway\n');
      process.exit(1);
    }, 15_000).unref();
    for (const stop of stops) await stop().catch((err) => say('Shutdown step failed', { error: String(err) }));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`async-ai-pipeline could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
