/**
 * The adapters a function needs, built once per container from the environment and reused by
 * warm invocations. Tests may replace them with `setDependencies`; the local runtime, which runs
 * every function in one process, gives each function its own with `runWithDependencies`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolConfig } from 'pg';
import { FUNCTIONS } from '../../../guide';
import { rootLogger } from '../observability/logger';
import {
  systemClock,
  type AiModel,
  type Clock,
  type MaintenanceHeartbeats,
  type MaintenanceStore,
  type StateStore,
  type WorkflowStarter,
} from '../ports';
import { PgMaintenanceStore } from '../state/maintenance-store';
import { createPool } from '../state/pool';
import { ProcessingStateService } from '../state/processing-state-service';
import { RateLimiter } from '../state/rate-limiter';
import { loadConfig, required, type DatabaseConfig, type FunctionConfig } from './config';
import { captureClient } from './trace-clients';

export { XRAY_CAPTURE_MODULE } from './trace-clients';

export interface Dependencies {
  /** For what only the database's owner does (migrations, maintenance); use cases take the stores. */
  pool: Pool;
  store: StateStore;
  /** The maintenance's SQL and its heartbeat record (the queue monitor reads it; ProcessingCleanup, the owner, writes it). */
  maintenance: MaintenanceStore & MaintenanceHeartbeats;
  rateLimiter: RateLimiter;
  clock: Clock;
  /** Built on first use: only start/retry/cancel need Step Functions, only the worker needs Bedrock. */
  workflow: () => WorkflowStarter;
  model: () => AiModel;
  /** A worker step's time, ms (FunctionConfig.stepTimeoutMs): the model call's deadline is taken from it. */
  stepTimeoutMs: number;
}

/*
 * The AWS SDK clients and the X-Ray tracer are loaded on first use (`require` inside the
 * factories): a status check never pays for loading the Step Functions or Bedrock client, and
 * outside a traced Lambda the X-Ray SDK (whose async hooks slow every await) is never loaded at all.
 */

export async function poolConfig(db: DatabaseConfig, region: string | undefined): Promise<PoolConfig> {
  if (db.kind === 'url') return { connectionString: db.url };
  if (db.kind === 'iam') {
    const { RdsIamTokens } = require('../adapters/rds-iam-token') as typeof import('../adapters/rds-iam-token');
    const tokens = new RdsIamTokens({
      hostname: db.host,
      port: db.port,
      username: db.user,
      region: required(region, 'AWS_REGION', "Lambda sets it; elsewhere set it to the database's region"),
    });
    // pg asks for the password on every new connection: each gets a token signed now (valid 15 min).
    return {
      host: db.host,
      port: db.port,
      database: db.database,
      user: db.user,
      password: () => tokens.token(),
      ssl: { rejectUnauthorized: true },
    };
  }
  const { GetSecretValueCommand, SecretsManagerClient } =
    require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
  const sm = captureClient()(new SecretsManagerClient({ region }));
  const secret = await sm.send(new GetSecretValueCommand({ SecretId: db.secretArn }));
  const { username, password } = JSON.parse(secret.SecretString ?? '{}') as { username?: string; password?: string };
  return {
    host: db.host,
    port: db.port,
    database: db.database,
    user: username,
    password,
    ssl: db.ssl ? { rejectUnauthorized: true } : undefined,
  };
}

const MODEL_SOCKETS = FUNCTIONS.aiGenerationWorker.reservedConcurrency.max;

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export interface BuildOptions {
  /** The pool's most connections. @default DB_POOL.max, the guide's per container */
  readonly poolMax?: number;
  /** PostgreSQL's lock_timeout for its sessions, ms. @default config.lockTimeoutMs (DB_LOCK_TIMEOUT_MS), else the server's */
  readonly lockTimeoutMs?: number;
}

export async function buildDependencies(config: FunctionConfig = loadConfig(), opts: BuildOptions = {}): Promise<Dependencies> {
  const connection = await poolConfig(config.database, config.region);
  const pool = createPool(
    {
      ...connection,
      ...(opts.poolMax === undefined ? {} : { max: opts.poolMax }),
      ...((opts.lockTimeoutMs ?? config.lockTimeoutMs) === undefined ? {} : { lock_timeout: opts.lockTimeoutMs ?? config.lockTimeoutMs }),
    },
    (err) => rootLogger.warn('Idle database connection lost; it will be replaced', { error: err.message }),
  );
  const store = new ProcessingStateService(pool);
  return {
    pool,
    store,
    maintenance: new PgMaintenanceStore(pool),
    rateLimiter: new RateLimiter(pool, config.rateLimit),
    clock: systemClock,
    stepTimeoutMs: config.stepTimeoutMs,
    workflow: once(() => {
      const arn = required(config.stateMachineArn, 'STATE_MACHINE_ARN', 'set it to the ARN of AIGenerationStateMachine');
      const { SFNClient } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
      const { StepFunctionsWorkflow } = require('../adapters/sfn-workflow') as typeof import('../adapters/sfn-workflow');
      const client = captureClient()(new SFNClient({ region: config.region, endpoint: config.sfnEndpoint }));
      return new StepFunctionsWorkflow(client, arn);
    }),
    model: once(() => {
      const modelId = required(
        config.bedrockModelId,
        'BEDROCK_MODEL_ID',
        'set it to a Bedrock model id, e.g. anthropic.claude-3-haiku-20240307-v1:0',
      );
      const { BedrockRuntimeClient } = require('@aws-sdk/client-bedrock-runtime') as typeof import('@aws-sdk/client-bedrock-runtime');
      const { NodeHttpHandler } = require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');
      const { BedrockModel } = require('../adapters/bedrock-model') as typeof import('../adapters/bedrock-model');
      const client = captureClient()(
        new BedrockRuntimeClient({
          region: config.region,
          endpoint: config.bedrockEndpoint,
          maxAttempts: config.modelMaxAttempts,
          requestHandler: new NodeHttpHandler({
            // No per-attempt request timeout: each call carries its step's deadline, shared by the
            // attempts (BedrockModel), so a slow answer the step allows is never cut short.
            connectionTimeout: 5_000,
            // A Lambda container makes one model call at a time, but the local runtime runs every
            // worker invocation in one process on this one client: the SDK's default of 50 sockets
            // would queue the 51st concurrent call, and the wait counts against its deadline.
            // The worker's concurrency cap bounds the calls instead.
            httpAgent: { keepAlive: true, maxSockets: MODEL_SOCKETS },
            httpsAgent: { keepAlive: true, maxSockets: MODEL_SOCKETS },
          }),
        }),
      );
      return new BedrockModel(client, modelId);
    }),
  };
}

let current: Promise<Dependencies> | undefined;
const scoped = new AsyncLocalStorage<() => Promise<Dependencies>>();

/**
 * Runs `fn` (and all it awaits) with `deps` as getDependencies' answer. On AWS every function has
 * containers of its own, hence connections of its own; the local runtime runs every function in
 * one process and wraps each invocation in its function's dependencies this way, so one
 * function's stuck statements cannot use up another's connections.
 */
export function runWithDependencies<T>(deps: () => Promise<Dependencies>, fn: () => T): T {
  return scoped.run(deps, fn);
}

/** The container's dependencies (or those runWithDependencies gave), built on first call. A failed build is retried next time. */
export function getDependencies(): Promise<Dependencies> {
  const scope = scoped.getStore();
  if (scope) return scope();
  current ??= buildDependencies().catch((err) => {
    current = undefined;
    throw err;
  });
  return current;
}

/** Replaces the dependencies (local runtime, tests). */
export function setDependencies(deps: Dependencies | Promise<Dependencies> | undefined): void {
  current = deps === undefined ? undefined : Promise.resolve(deps);
}
