/**
 * What each Lambda function gets, from the guide's FUNCTIONS and the stack config: sizes, reserved
 * and provisioned concurrency, and the environment its code reads (functions/src/runtime/config.ts).
 */
import { FUNCTIONS, INFRA, LOG_LEVELS, METRIC_DIMENSIONS, type FunctionKey, type FunctionSpec } from '../../guide';
import type { Stage, StackConfig } from '../config';

/** Amazon's CA bundle in the Node.js runtimes: Node 20+ no longer loads it, and RDS TLS needs it. */
export const LAMBDA_CA_BUNDLE = '/var/runtime/ca-cert.pem';

/** The alias API Gateway and Step Functions call when provisioned concurrency is on. */
export const LIVE_ALIAS = 'live';

export interface FunctionPlan {
  readonly key: FunctionKey;
  readonly spec: FunctionSpec;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Undefined: the function uses the account's unreserved pool. */
  readonly reservedConcurrency?: number;
  /** 0: none (no alias is published). */
  readonly provisionedConcurrency: number;
  readonly roleKind: 'lambda' | 'worker';
}

export function planFunction(key: FunctionKey, fns: StackConfig['functions']): FunctionPlan {
  const spec: FunctionSpec = FUNCTIONS[key];
  const group = spec.role === 'worker' ? 'worker' : spec.role === 'api' ? 'api' : undefined;
  return {
    key, spec,
    memoryMb: spec.memoryMb,
    timeoutSeconds: spec.timeoutSeconds,
    reservedConcurrency: group && spec.reservedConcurrency ? fns.reservedConcurrency[group] : undefined,
    provisionedConcurrency: group ? fns.provisionedConcurrency[group] : 0,
    roleKind: spec.role === 'worker' ? 'worker' : 'lambda',
  };
}

export const planFunctions = (fns: StackConfig['functions']): FunctionPlan[] =>
  (Object.keys(FUNCTIONS) as FunctionKey[]).map((k) => planFunction(k, fns));

export interface EnvironmentContext<T> {
  readonly stage: Stage;
  readonly bedrockModelId: string;
  readonly db: { readonly host: T; readonly port: number; readonly name: string; readonly user: string; readonly secretArn: T };
  readonly stateMachineArn: T;
}

/** Environment of one function: each gets only what its code reads. */
export function environmentFor<T>(plan: FunctionPlan, ctx: EnvironmentContext<T>): Record<string, T | string> {
  const env: Record<string, T | string> = {
    AIP_STAGE: ctx.stage,
    LOG_LEVEL: LOG_LEVELS[ctx.stage],
    POWERTOOLS_SERVICE_NAME: METRIC_DIMENSIONS.service,
    NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
    DB_HOST: ctx.db.host,
    DB_PORT: String(ctx.db.port),
    DB_NAME: ctx.db.name,
    DB_USER: ctx.db.user,
    DB_SECRET_ARN: ctx.db.secretArn,
  };
  if (plan.spec.role === 'worker') env.BEDROCK_MODEL_ID = ctx.bedrockModelId;
  // Only the API handlers start and stop executions.
  if (plan.spec.role === 'api') env.STATE_MACHINE_ARN = ctx.stateMachineArn;
  return env;
}

export const LAMBDA_RUNTIME = INFRA.lambda.runtime;
export const LAMBDA_ARCHITECTURE = INFRA.lambda.architecture;
