/**
 * Function configuration from the environment, validated once. A missing or wrong value fails
 * with a message that names the variable and says how to fix it.
 */
import { AUTH, DESIGN } from '../../../guide';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type DatabaseConfig =
  | { kind: 'url'; url: string }
  | { kind: 'secret'; host: string; port: number; database: string; secretArn: string; ssl: boolean }
  /** IAM database authentication: a fresh token (valid 15 min) is the password of each new connection; TLS is required. */
  | { kind: 'iam'; host: string; port: number; database: string; user: string };

export interface FunctionConfig {
  region: string | undefined;
  database: DatabaseConfig;
  stateMachineArn: string | undefined;
  sfnEndpoint: string | undefined;
  bedrockEndpoint: string | undefined;
  bedrockModelId: string | undefined;
  /**
   * One worker step's time, ms on the real clock (the state machine's task TimeoutSeconds, divided
   * by the time scale): a model call may use it all but the outcome margin (usecases/worker.ts modelDeadline).
   */
  stepTimeoutMs: number;
  modelMaxAttempts: number;
  /** The state machine's TimeoutSeconds; the queue monitor ends attempts older than this. */
  workflowTimeoutSeconds: number;
  /** How long after the workflow timeout the queue monitor ends a still-active attempt. */
  sweeperGraceSeconds: number;
  /** Requests per user per window; the guide's 20/min unless a local test raises it. */
  rateLimit: { requests: number; windowSeconds: number };
  /**
   * Scenario seconds per real second (AIP_TIME_SCALE; the local runtime's compressed clock, never
   * set on AWS): the timeouts above are the configured ones divided by it. @default 1
   */
  timeScale: number;
  /**
   * PostgreSQL's lock_timeout for the function's sessions, ms (DB_LOCK_TIMEOUT_MS, which the Pulumi
   * program sets from each function's timeout: lockTimeoutMsFor). Unset: the server's (no limit).
   */
  lockTimeoutMs: number | undefined;
}

/**
 * A function's lock_timeout, ms on the real clock: its timeout × DESIGN.lockWaitShareOfFunctionTimeout,
 * divided by the local runtime's time scale. A wait outlives the invocation that started it only
 * just, so a timed-out invocation's backend does not keep waiting on a held row.
 */
export function lockTimeoutMsFor(functionTimeoutSeconds: number, timeScale = 1): number {
  return Math.ceil((functionTimeoutSeconds * 1000 * DESIGN.lockWaitShareOfFunctionTimeout) / timeScale);
}

type Env = Record<string, string | undefined>;

/** An integer setting in [min, max]; unset or empty gives `fallback`. Errors name the key and the fix. */
export function intFromEnv(env: Env, key: string, fallback: number, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${key}=${JSON.stringify(raw)} must be an integer ${range}; unset it for the default (${fallback})`);
  }
  return n;
}

const positiveInt = (env: Env, key: string, fallback: number): number => intFromEnv(env, key, fallback);

function endpoint(env: Env, key: string): string | undefined {
  const raw = env[key];
  if (!raw) return undefined;
  try {
    new URL(raw);
  } catch {
    throw new ConfigError(`${key}=${JSON.stringify(raw)} is not a URL; set it to e.g. http://127.0.0.1:8083 or unset it to use AWS`);
  }
  return raw;
}

function flag(env: Env, key: string): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${key}=${JSON.stringify(raw)} is not true or false; set it to true or unset it`);
}

function databaseConfig(env: Env): DatabaseConfig {
  if (env.DATABASE_URL) return { kind: 'url', url: env.DATABASE_URL };
  const port = () => positiveInt(env, 'DB_PORT', 5432);
  const database = env.DB_NAME || 'postgres';
  if (flag(env, 'DB_IAM_AUTH')) {
    if (env.DB_SECRET_ARN)
      throw new ConfigError(
        'DB_IAM_AUTH=true and DB_SECRET_ARN are both set; unset DB_SECRET_ARN to sign in with IAM, or DB_IAM_AUTH to use the secret',
      );
    const host = required(env.DB_HOST || undefined, 'DB_HOST', 'set it to the database endpoint to sign in with IAM (DB_IAM_AUTH=true)');
    const user = required(
      env.DB_USER || undefined,
      'DB_USER',
      'set it to the database role to sign in as with IAM (DB_IAM_AUTH=true), e.g. aip_app',
    );
    return { kind: 'iam', host, port: port(), database, user };
  }
  if (env.DB_HOST && env.DB_SECRET_ARN) {
    return { kind: 'secret', host: env.DB_HOST, port: port(), database, secretArn: env.DB_SECRET_ARN, ssl: env.DB_SSL !== 'false' };
  }
  throw new ConfigError(
    'No database configured: set DATABASE_URL (postgres://user:pass@host:5432/db), or DB_HOST and DB_SECRET_ARN (an RDS-managed secret), or DB_HOST, DB_USER and DB_IAM_AUTH=true (IAM authentication)',
  );
}

/** AIP_TIME_SCALE: a number of at least 1 (scenario seconds per real second); unset is real time. */
export function timeScaleFromEnv(env: Env): number {
  const raw = env.AIP_TIME_SCALE;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 1)
    throw new ConfigError(
      `AIP_TIME_SCALE=${JSON.stringify(raw)} must be a number of at least 1 (scenario seconds per real second); unset it for real time`,
    );
  return n;
}

export function loadConfig(env: Env = process.env): FunctionConfig {
  const database = databaseConfig(env);
  const timeScale = timeScaleFromEnv(env);
  const stepTimeoutSeconds = positiveInt(env, 'AIP_STEP_TIMEOUT_SECONDS', DESIGN.workflow.stepTimeoutSeconds) / timeScale;
  const modelMaxAttempts = positiveInt(env, 'BEDROCK_MAX_ATTEMPTS', 2);
  return {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    database,
    stateMachineArn: env.STATE_MACHINE_ARN || undefined,
    sfnEndpoint: endpoint(env, 'SFN_ENDPOINT'),
    bedrockEndpoint: endpoint(env, 'BEDROCK_ENDPOINT'),
    bedrockModelId: env.BEDROCK_MODEL_ID || undefined,
    stepTimeoutMs: Math.floor(stepTimeoutSeconds * 1000),
    modelMaxAttempts,
    workflowTimeoutSeconds: positiveInt(env, 'AIP_WORKFLOW_TIMEOUT_SECONDS', DESIGN.workflow.workflowTimeoutSeconds) / timeScale,
    sweeperGraceSeconds: positiveInt(env, 'AIP_SWEEPER_GRACE_SECONDS', DESIGN.sweeperGraceSeconds) / timeScale,
    rateLimit: {
      requests: positiveInt(env, 'AIP_RATE_LIMIT_REQUESTS', AUTH.rateLimit.requests),
      windowSeconds: AUTH.rateLimit.windowSeconds,
    },
    timeScale,
    lockTimeoutMs: env.DB_LOCK_TIMEOUT_MS ? positiveInt(env, 'DB_LOCK_TIMEOUT_MS', 1) : undefined,
  };
}

export function required<T>(value: T | undefined, key: string, fix: string): T {
  if (value === undefined) throw new ConfigError(`${key} is not set; ${fix}`);
  return value;
}
