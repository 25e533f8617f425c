/**
 * `npm start`: the whole pipeline on one machine. A real PostgreSQL (from npm, or DATABASE_URL),
 * the same handler modules and state-machine definition as on AWS, and the real AWS SDK clients
 * pointed at local Step Functions and Bedrock Runtime endpoints. main() reads as its steps.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { DESIGN, FUNCTIONS, STATE_MACHINE_NAME } from '../guide';
// Handler modules read their configuration on first invocation, after main() has set it.
import * as worker from '../functions/src/handlers/ai-generation-worker';
import * as queueMonitor from '../functions/src/handlers/queue-monitor';
import * as cleanup from '../functions/src/handlers/processing-cleanup';
import { createPool } from '../functions/src/state/pool';
import { migrate } from '../functions/src/state/migrate';
import { buildDefinition } from '../functions/src/workflow/definition';
import { metricFilterSpecs } from '../observability/metric-filters';
import { apiAccessLogGroupName } from '../infra/specs/api-naming';
import { AUTH_FAILURE_MESSAGE, READY_MESSAGE, loadLocalConfig, scaled, type LocalConfig } from './config';
import { compressedClock } from './clock';
import { databaseHealth, startDatabase, type LocalDatabase } from './database';
import { installPrettyLogs } from './log-format';
import { logFilePath, teeLogs } from './log-file';
import { writeRuntimeFile } from './runtime-file';
import { loadKeys, issueToken, type LocalKeys } from './auth';
import { startLocalBedrock, FaultControl, type LocalBedrock } from './bedrock-server';
import { ExecutionStore } from './sfn-executions';
import { LocalStepFunctions } from './step-functions';
import { startSfnServer } from './sfn-server';
import { startApiServer } from './api-server';
import { apiRoutes } from './api-routes';
import { registerTracing, type TraceStore } from './tracing';
import { createLocalMetrics, readMetricsFile, METRICS_FILE, type LocalMetrics } from './metrics';
import { startDashboard, DASHBOARD_PATH, type LocalDashboard } from './dashboard';
import { OpsStore } from '../functions/src/state/ops-store';
import { FunctionDependencies, localPoolSizes, RUNTIME_POOL_MAX } from './function-dependencies';

const say = (message: string, fields: Record<string, unknown> = {}) =>
  process.stdout.write(
    `${JSON.stringify({ timestamp: new Date().toISOString(), level: 'INFO', service: 'local-runtime', message, ...fields })}\n`,
  );

/** What shuts the runtime down, last started first. */
type Stops = Array<() => Promise<unknown>>;

const ACCOUNT = '000000000000';
/** The API id and stage the local API Gateway's metrics carry (the deployed stack's are AWS's). */
const LOCAL_API_IDS = { apiId: 'local', stage: '$default' } as const;
const arnsFor = (region: string) => ({
  stateMachineArn: `arn:aws:states:${region}:${ACCOUNT}:stateMachine:${STATE_MACHINE_NAME}`,
  workerArn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${FUNCTIONS.aiGenerationWorker.name}`,
});

function prepareDataDir(config: LocalConfig): void {
  try {
    mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.W_OK);
  } catch (err) {
    throw new Error(
      `The data folder ${config.dataDir} is not writable (${(err as NodeJS.ErrnoException).code}). Choose another with AIP_DATA_DIR=<folder>, or fix its permissions.`,
    );
  }
}

/**
 * 0. What CloudWatch would hold (local/metrics, also <dataDir>/metrics.jsonl): the functions' EMF
 * lines, and what API Gateway (with the stack's access-log metric filters), Lambda and Step
 * Functions publish for the traffic the runtime serves. The last thing to stop.
 */
function startMetrics(config: LocalConfig, stops: Stops): LocalMetrics {
  const stage = '$default';
  const accessLogFilters = metricFilterSpecs({
    api: { id: 'local', stage, accessLogGroupName: apiAccessLogGroupName('local') },
    functions: [],
  });
  const metrics = createLocalMetrics({
    dataDir: config.dataDir,
    api: { apiId: 'local', stage, accessLogFilters },
    stateMachineArn: arnsFor(config.region).stateMachineArn,
  });
  stops.push(async () => metrics.close());
  return metrics;
}

/** A function's handler as Lambda runs it (lambdaRunner). */
type AsLambda = <A extends unknown[], R>(key: keyof typeof FUNCTIONS, handler: (...args: A) => Promise<R>) => (...args: A) => Promise<R>;

/**
 * A function's handler as Lambda runs it: with its own dependencies (its own connection pool, as
 * its own containers have on AWS), its timeout and its AWS/Lambda metrics, on the runtime's clock
 * (local/clock.ts): the worker's time is the model's, a wait the clock compresses; the API
 * handlers' and maintenance functions' is work at real speed, but for what does not answer.
 */
const lambdaRunner =
  (config: LocalConfig, metrics: LocalMetrics, functions: FunctionDependencies): AsLambda =>
  (key, handler) => {
    const { name, role, timeoutSeconds } = FUNCTIONS[key];
    return metrics.lambda(name, functions.wrap(key, handler), {
      timeoutMs: timeoutSeconds * 1000,
      clock: compressedClock(config.timeScale, role === 'worker' ? 'waits' : 'work'),
    });
  };

/**
 * 1. PostgreSQL (embedded and supervised, or DATABASE_URL), its schema, the runtime's own pool,
 * and a pool per function, sized to what the server accepts.
 */
async function connectDatabase(
  config: LocalConfig,
  stops: Stops,
): Promise<{ db: LocalDatabase; pool: Pool; functions: FunctionDependencies }> {
  const db = await startDatabase(config, say);
  stops.unshift(() => db.stop());
  const pool = createPool({ connectionString: db.url, max: RUNTIME_POOL_MAX }, () => undefined);
  stops.unshift(() => pool.end());
  const { rows } = await pool.query<{ max_connections: string }>('SHOW max_connections');
  const functions = new FunctionDependencies(localPoolSizes(Number(rows[0]!.max_connections)));
  // The functions' pools close before the server stops.
  stops.unshift(() => functions.end());
  const applied = await migrate(pool);
  if (applied.length) say('Migrations applied', { applied });
  return { db, pool, functions };
}

/** 2. Bedrock Runtime: the local endpoint, unless AIP_BEDROCK=aws. */
async function startBedrock(config: LocalConfig, faults: FaultControl, stops: Stops): Promise<LocalBedrock | undefined> {
  if (config.realBedrock) return undefined;
  const bedrock = await startLocalBedrock({ faults });
  stops.unshift(() => bedrock.close());
  return bedrock;
}

/** 3. The functions' environment, as the Pulumi program sets it on AWS. */
function setFunctionEnvironment(config: LocalConfig, databaseUrl: string, bedrock: LocalBedrock | undefined): void {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    STATE_MACHINE_ARN: arnsFor(config.region).stateMachineArn,
    AWS_REGION: config.region,
    BEDROCK_MODEL_ID: config.bedrockModelId,
    AIP_STEP_TIMEOUT_SECONDS: String(config.stepTimeoutSeconds),
    AIP_WORKFLOW_TIMEOUT_SECONDS: String(config.workflowTimeoutSeconds),
    AIP_QUEUE_MONITOR_SECONDS: String(config.queueMonitorSeconds),
    AIP_TIME_SCALE: String(config.timeScale),
    AIP_STAGE: 'local',
  });
  if (bedrock) process.env.BEDROCK_ENDPOINT = bedrock.endpoint;
  // The local endpoints ignore signatures, but the SDK signs every request.
  if (!config.realBedrock) {
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  }
}

/** 4. Step Functions, running the same definition infra deploys; executions left running resume. */
async function startStepFunctions(config: LocalConfig, pool: Pool, metrics: LocalMetrics, asLambda: AsLambda, stops: Stops) {
  const { stateMachineArn, workerArn } = arnsFor(config.region);
  const definition = buildDefinition({
    workerArn,
    stepTimeoutSeconds: scaled(config, config.stepTimeoutSeconds),
    workflowTimeoutSeconds: scaled(config, config.workflowTimeoutSeconds),
  });
  // A compressed clock replaces the definition's backoff by its first wait, compressed (the emulator takes one interval).
  const retryIntervalMs =
    config.retryIntervalMs ??
    (config.timeScale > 1 ? Math.round(scaled(config, DESIGN.workflow.modelRetry.intervalSeconds) * 1000) : undefined);
  const store = new ExecutionStore(pool);
  await store.init();
  const sfn = new LocalStepFunctions({
    stateMachineArn,
    definition,
    store,
    retryIntervalMs,
    tasks: {
      [workerArn]: asLambda('aiGenerationWorker', (input: Parameters<typeof worker.handler>[0]) => worker.handler(input)),
    },
    executions: metrics.executions,
    log: (message, fields) => say(message, fields),
  });
  const server = await startSfnServer(sfn);
  process.env.SFN_ENDPOINT = server.endpoint;
  stops.unshift(() => server.close());
  stops.unshift(() => sfn.shutdown());
  const resumed = await sfn.resume();
  if (resumed.resumed || resumed.timedOut) say('Executions left running by the last run', resumed);
  return { sfn, endpoint: server.endpoint };
}

/** What earlier runs wrote to `<dataDir>/metrics.jsonl` in the last day: the dashboard's history (read before this run's store opens the file). */
function metricsHistory(config: LocalConfig): ReturnType<typeof readMetricsFile> {
  const since = Date.now() - 24 * 3600_000;
  return readMetricsFile(join(config.dataDir, METRICS_FILE)).filter((s) => s.timestamp >= since);
}

/** The live dashboard (/dashboard): the stack's body and alarms over the runtime's metrics and traces. */
function createDashboard(
  config: LocalConfig,
  ctx: { pool: Pool; traces: TraceStore; metrics: { store: LocalMetrics['store']; history: ReturnType<typeof readMetricsFile> } },
  stops: Stops,
): LocalDashboard {
  const { stateMachineArn } = arnsFor(config.region);
  const dashboard = startDashboard({
    stack: config.dashboardStack,
    ids: { ...LOCAL_API_IDS, stateMachineArn },
    metrics: ctx.metrics.store,
    history: ctx.metrics.history,
    ops: new OpsStore(ctx.pool),
    traces: ctx.traces,
    log: (message, fields) => say(message, fields),
  });
  stops.unshift(async () => dashboard.close());
  return dashboard;
}

/** 5. The API, as API Gateway would serve it; /health is degraded (503) while the database is away. */
async function startApi(
  config: LocalConfig,
  ctx: {
    keys: LocalKeys;
    faults: FaultControl;
    db: LocalDatabase;
    pool: Pool;
    sfn: LocalStepFunctions;
    sfnEndpoint: string;
    bedrock?: LocalBedrock;
    metrics: LocalMetrics;
    asLambda: AsLambda;
    maintenance: (task: string) => Promise<unknown>;
    dashboard: LocalDashboard;
  },
  stops: Stops,
) {
  const api = await startApiServer({
    host: config.host,
    port: config.port,
    // The integration waits for the function, whose own timeout (the same 30 s) is on the runtime's
    // clock: in real time the integration's is a backstop that a compressed clock never reaches first.
    routes: apiRoutes((key, handler) => ctx.asLambda(key, handler)),
    keys: ctx.keys,
    faults: ctx.faults,
    pages: ctx.dashboard.serve,
    onRequest: ctx.metrics.apiRequest,
    maintenance: ctx.maintenance,
    health: async () => ({
      ...(await databaseHealth(ctx.db, ctx.pool)),
      stepFunctions: ctx.sfnEndpoint,
      stateMachineArn: arnsFor(config.region).stateMachineArn,
      bedrock: ctx.bedrock?.endpoint ?? 'aws',
      runningExecutions: ctx.sfn.runningCount,
    }),
    onAuthFailure: (reason) => say(AUTH_FAILURE_MESSAGE, { level: 'WARN', reason, metric: 'AuthFailures' }),
  });
  stops.unshift(() => api.close());
  return api;
}

/** The maintenance function as its schedules invoke it (`{ task }`), with its Lambda metrics. */
const maintenanceOf = (asLambda: AsLambda) =>
  asLambda('processingCleanup', (task?: string) => cleanup.handler(task ? { task: task as never } : undefined));

/** 6. Scheduled maintenance (EventBridge Scheduler on AWS); the queue monitor also runs once now. */
function startSchedules(config: LocalConfig, asLambda: AsLambda, runCleanup: () => Promise<unknown>, stops: Stops): void {
  const monitorOnce = asLambda('queueMonitor', () => queueMonitor.handler());
  const runMonitor = () => monitorOnce().catch((err) => say('Queue monitor failed', { level: 'WARN', error: String(err) }));
  const monitor = setInterval(runMonitor, scaled(config, config.queueMonitorSeconds) * 1000);
  const daily = setInterval(
    () => runCleanup().catch((err) => say('Cleanup failed', { level: 'WARN', error: String(err) })),
    scaled(config, 24 * 3600) * 1000,
  );
  stops.unshift(async () => {
    clearInterval(monitor);
    clearInterval(daily);
  });
  void runMonitor();
}

/** 7. The ready line (scripts and tests wait for it) and a ready-to-paste example. */
async function printReady(
  config: LocalConfig,
  url: string,
  keys: LocalKeys,
  endpoints: { stepFunctions: string; bedrock?: string },
): Promise<void> {
  const token = await issueToken(keys, 'demo-user');
  // From process start, including loading the handler modules and the AWS SDK.
  const startupMs = Math.round(process.uptime() * 1000);
  const rssMb = Math.round(process.memoryUsage().rss / 1048576);
  say(READY_MESSAGE, {
    url,
    startupMs,
    rssMb,
    stepFunctions: endpoints.stepFunctions,
    bedrock: endpoints.bedrock ?? 'Amazon Bedrock (AWS credentials)',
    dataDir: config.dataDir,
  });
  process.stdout.write(
    [
      '',
      `  API        ${url}   (health: ${url}/health)`,
      `  Dashboard  ${url}${DASHBOARD_PATH}   (the ${config.dashboardStack} stack's widgets and alarms, live)`,
      `  Started in ${startupMs} ms, ${rssMb} MB resident`,
      '  Try it:',
      `    TOKEN=$(npm run --silent token -- demo-user)`,
      `    curl -s -X POST ${url}/v1/processes -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
      `      -d '{"type":"SUBGOAL_GENERATION","input":{"goal":{"title":"Run a marathon"}}}'`,
      `  A token for demo-user, valid 24 h: ${token}`,
      '',
    ].join('\n') + '\n',
  );
}

/** 8. SIGINT/SIGTERM stop everything in reverse order; running executions resume on the next start. */
function handleSignals(stops: Stops): void {
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

async function main(stops: Stops): Promise<void> {
  const config = loadLocalConfig();
  if (config.logFormat === 'pretty') installPrettyLogs();
  handleSignals(stops);
  prepareDataDir(config);
  // After the pretty printer: the file keeps the JSON lines, as CloudWatch Logs would (npm run ops -- logs).
  const logFile = logFilePath(config.dataDir);
  const logs = teeLogs(logFile);
  stops.push(() => logs.close());
  const tracing = registerTracing({ dataDir: config.dataDir });
  stops.push(() => tracing.shutdown());
  const history = metricsHistory(config);
  const metrics = startMetrics(config, stops);
  const { db, pool, functions } = await connectDatabase(config, stops);
  const asLambda = lambdaRunner(config, metrics, functions);
  const faults = new FaultControl();
  const bedrock = await startBedrock(config, faults, stops);
  setFunctionEnvironment(config, db.url, bedrock);
  const { sfn, endpoint: sfnEndpoint } = await startStepFunctions(config, pool, metrics, asLambda, stops);
  const keys = await loadKeys(config.dataDir);
  const maintenance = maintenanceOf(asLambda);
  const dashboard = createDashboard(config, { pool, traces: tracing.store, metrics: { store: metrics.store, history } }, stops);
  const api = await startApi(
    config,
    { keys, faults, db, pool, sfn, sfnEndpoint, bedrock, metrics, asLambda, maintenance, dashboard },
    stops,
  );
  startSchedules(config, asLambda, () => maintenance(), stops);
  // How `npm run ops` finds this runtime, there before the ready line; removed on shutdown.
  stops.unshift(
    writeRuntimeFile(config.dataDir, {
      url: api.url,
      pid: process.pid,
      databaseUrl: db.url,
      logFile,
      stepFunctions: sfnEndpoint,
      stateMachineArn: arnsFor(config.region).stateMachineArn,
    }),
  );
  await printReady(config, api.url, keys, { stepFunctions: sfnEndpoint, bedrock: bedrock?.endpoint });
}

const stops: Stops = [];
main(stops).catch(async (err) => {
  // A start-up error is the user's to fix (a setting, a port, a folder): its message says how; no stack trace.
  process.stderr.write(`async-ai-pipeline could not start: ${(err as Error).message}\n`);
  // Leave nothing running (an embedded PostgreSQL in particular) behind.
  for (const stop of stops) await stop().catch(() => undefined);
  process.exit(1);
});
