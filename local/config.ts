/**
 * The local runtime's settings, from the environment. Defaults give the guide's behaviour;
 * tests shorten the workflow's timeouts. A bad value fails naming the variable and the fix.
 */
import { resolve } from 'node:path';
import { DESIGN } from '../guide';
import { intFromEnv, timeScaleFromEnv } from '../functions/src/runtime/config';

/** The log message that says the runtime is ready; its line carries `url` and the endpoints. */
export const READY_MESSAGE = 'async-ai-pipeline is running';

export interface LocalConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  pgPort: number;
  stepTimeoutSeconds: number;
  workflowTimeoutSeconds: number;
  /** Wait before each workflow retry, instead of the definition's backoff (tests). */
  retryIntervalMs: number | undefined;
  queueMonitorSeconds: number;
  /**
   * Scenario seconds per real second (AIP_TIME_SCALE, default 1; `npm run scenarios` sets it): the
   * durations the runtime and the functions wait for (timeouts, the monitor's interval, retry
   * waits) are the settings above divided by it (`scaled`), so a scenario plays an hour in a
   * minute. What the runtime measures (latencies, durations) stays real.
   */
  timeScale: number;
  logFormat: 'json' | 'pretty';
  /** Use real Amazon Bedrock (normal AWS credential chain) instead of the local model. */
  realBedrock: boolean;
  bedrockModelId: string;
  region: string;
  /** Whose dashboard body and alarms the local dashboard shows (the offline run of that stack). */
  dashboardStack: 'dev' | 'prod';
}

type Env = Record<string, string | undefined>;

const int = (env: Env, key: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  intFromEnv(env, key, fallback, { min, max });

export function loadLocalConfig(env: Env = process.env): LocalConfig {
  const logFormat = env.AIP_LOG_FORMAT ?? 'json';
  if (logFormat !== 'json' && logFormat !== 'pretty')
    throw new Error(`AIP_LOG_FORMAT=${JSON.stringify(logFormat)} must be "json" or "pretty"`);
  const stepTimeoutSeconds = int(env, 'AIP_STEP_TIMEOUT_SECONDS', DESIGN.workflow.stepTimeoutSeconds);
  const workflowTimeoutSeconds = int(env, 'AIP_WORKFLOW_TIMEOUT_SECONDS', DESIGN.workflow.workflowTimeoutSeconds);
  if (workflowTimeoutSeconds <= stepTimeoutSeconds) {
    throw new Error(
      `AIP_WORKFLOW_TIMEOUT_SECONDS (${workflowTimeoutSeconds}) must be greater than AIP_STEP_TIMEOUT_SECONDS (${stepTimeoutSeconds})`,
    );
  }
  const dashboardStack = env.AIP_DASHBOARD_STACK ?? 'prod';
  if (dashboardStack !== 'dev' && dashboardStack !== 'prod')
    throw new Error(`AIP_DASHBOARD_STACK=${JSON.stringify(dashboardStack)} must be "dev" or "prod" (a stack of Pulumi.<stack>.yaml)`);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: '127.0.0.1',
    dataDir: resolve(env.AIP_DATA_DIR ?? '.local'),
    databaseUrl: env.DATABASE_URL || undefined,
    pgPort: int(env, 'AIP_PG_PORT', 54329, 1, 65535),
    stepTimeoutSeconds,
    workflowTimeoutSeconds,
    retryIntervalMs: env.AIP_RETRY_INTERVAL_MS ? int(env, 'AIP_RETRY_INTERVAL_MS', 0, 0, 600_000) : undefined,
    queueMonitorSeconds: int(env, 'AIP_QUEUE_MONITOR_SECONDS', DESIGN.queueMonitorEveryMinutes * 60),
    timeScale: timeScaleFromEnv(env),
    logFormat,
    realBedrock: env.AIP_BEDROCK === 'aws',
    bedrockModelId: env.BEDROCK_MODEL_ID ?? 'anthropic.claude-3-haiku-20240307-v1:0',
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'ap-northeast-1',
    dashboardStack,
  };
}

/** A configured duration on the runtime's clock (seconds; fractions where the clock is compressed). */
export const scaled = (config: Pick<LocalConfig, 'timeScale'>, seconds: number): number => seconds / config.timeScale;
