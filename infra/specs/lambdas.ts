/**
 * What each Lambda function gets, from the guide's FUNCTIONS and the stack config: sizes, reserved
 * and provisioned concurrency, and the environment its code reads (functions/src/runtime/config.ts).
 */
import { FUNCTIONS, INFRA, LOG_LEVELS, METRIC_DIMENSIONS, type FunctionKey, type FunctionSpec } from '../../guide';
import type { Stage, StackConfig } from '../config/stack';
import { lockTimeoutMsFor } from '../../functions/src/runtime/config';

/** Amazon's CA bundle in the Node.js runtimes: Node 20+ no longer loads it, and RDS TLS needs it. */
export const LAMBDA_CA_BUNDLE = '/var/runtime/ca-cert.pem';

/** The alias API Gateway and Step Functions call when provisioned concurrency is on. */
export const LIVE_ALIAS = 'live';

/**
 * The functions that sign in as the database's master user (the RDS-managed secret): DbMigrate
 * changes the schema, and ProcessingCleanup's weekly REINDEX / VACUUM need table ownership (the
 * MAINTAIN privilege that would avoid it arrives in PostgreSQL 17). They run as the database
 * admin role, the only one that may read the secret; every other function signs in as the
 * application role (INFRA.database.appUsername) with IAM authentication.
 */
export const MASTER_USER_FUNCTIONS: readonly FunctionKey[] = ['processingCleanup', 'dbMigrate', 'drValidation'];

export type RoleKind = 'lambda' | 'worker' | 'dbAdmin' | 'drValidation' | 'opsReport';

/**
 * The DR test's check signs in as the master user too (the restore knows no other password than
 * the source's), but under a role of its own: it also reads AWS Backup's restore jobs.
 */
export const DR_VALIDATION_FUNCTION: FunctionKey = 'drValidation';

/** The operator's reports: AWS's APIs only, never the database (its own role, no sign-in). */
export const OPS_REPORT_FUNCTION: FunctionKey = 'opsReport';

/** The IAM role a function runs as. */
export function roleKindOf(key: FunctionKey): RoleKind {
  if (key === DR_VALIDATION_FUNCTION) return 'drValidation';
  if (key === OPS_REPORT_FUNCTION) return 'opsReport';
  if (MASTER_USER_FUNCTIONS.includes(key)) return 'dbAdmin';
  return FUNCTIONS[key].role === 'worker' ? 'worker' : 'lambda';
}

/** What one Lambda function of a stack gets: the guide's FunctionSpec resolved against the stack config. */
export interface LambdaSpec {
  readonly key: FunctionKey;
  readonly spec: FunctionSpec;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Undefined: the function uses the account's unreserved pool. */
  readonly reservedConcurrency?: number;
  /** 0: none (no alias is published). */
  readonly provisionedConcurrency: number;
  readonly roleKind: RoleKind;
}

/** The concurrency settings a function's spec reads from the stack config. */
export type FunctionSettings = Pick<StackConfig['functions'], 'reservedConcurrency' | 'provisionedConcurrency'>;

export function lambdaSpec(key: FunctionKey, fns: FunctionSettings): LambdaSpec {
  const spec: FunctionSpec = FUNCTIONS[key];
  const group = spec.role === 'worker' ? 'worker' : spec.role === 'api' ? 'api' : undefined;
  return {
    key,
    spec,
    memoryMb: spec.memoryMb,
    timeoutSeconds: spec.timeoutSeconds,
    reservedConcurrency: group && spec.reservedConcurrency ? fns.reservedConcurrency[group] : undefined,
    provisionedConcurrency: group ? fns.provisionedConcurrency[group] : 0,
    roleKind: roleKindOf(key),
  };
}

export const lambdaSpecs = (fns: FunctionSettings): LambdaSpec[] =>
  (Object.keys(FUNCTIONS) as FunctionKey[]).map((k) => lambdaSpec(k, fns));

export interface DatabaseAccess<T> {
  readonly host: T;
  readonly port: number;
  readonly name: string;
  readonly masterUser: string;
  readonly masterSecretArn: T;
  /** Whether the application role signs in with IAM (`appUsesIamAuth`). */
  readonly iamAuth: boolean;
}

/**
 * Whether the functions outside MASTER_USER_FUNCTIONS sign in as aip_app with IAM. Behind RDS Proxy
 * they keep the master secret, as the proxy knows no other credentials: IAM to the database
 * through the proxy needs the proxy's end-to-end IAM mode (`defaultAuthScheme: IAM_AUTH`) and
 * rds-db:connect on the proxy's own resource id, not done yet.
 */
export const appUsesIamAuth = (database: Pick<StackConfig['database'], 'rdsProxy'>): boolean => !database.rdsProxy;

export interface EnvironmentContext<T> {
  readonly stage: Stage;
  readonly bedrockModelId: string;
  readonly db: DatabaseAccess<T>;
  readonly stateMachineArn: T;
  /** The reports bucket (infra/components/ops-reports.ts names it from the stage and account). */
  readonly reportBucketName: T;
}

/**
 * The functions that start or stop executions (and run as AsyncProcessingLambdaRole, which may):
 * the API handlers, and the queue monitor, which starts the executions whose start was lost.
 */
export const startsExecutions = (key: FunctionKey): boolean => FUNCTIONS[key].role === 'api' || key === 'queueMonitor';

/** How a function signs in: as aip_app with IAM, or as the master user with the secret. */
function databaseEnvironment<T>(lambda: LambdaSpec, db: DatabaseAccess<T>): Record<string, T | string> {
  // A timed-out invocation's backend stops waiting on a held row just after it (guide: DESIGN.lockWaitShareOfFunctionTimeout).
  const where = {
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_NAME: db.name,
    DB_LOCK_TIMEOUT_MS: String(lockTimeoutMsFor(lambda.timeoutSeconds)),
  };
  if (db.iamAuth && !MASTER_USER_FUNCTIONS.includes(lambda.key))
    return { ...where, DB_USER: INFRA.database.appUsername, DB_IAM_AUTH: 'true' };
  return { ...where, DB_USER: db.masterUser, DB_SECRET_ARN: db.masterSecretArn };
}

/** Environment of one function: each gets only what its code reads. */
export function environmentFor<T>(lambda: LambdaSpec, ctx: EnvironmentContext<T>): Record<string, T | string> {
  const env: Record<string, T | string> = {
    AIP_STAGE: ctx.stage,
    LOG_LEVEL: LOG_LEVELS[ctx.stage],
    POWERTOOLS_SERVICE_NAME: METRIC_DIMENSIONS.service,
    NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
  };
  // The report reads the rest of what it needs from its bucket (program/stack.json), and no database.
  if (lambda.key === OPS_REPORT_FUNCTION) return { ...env, REPORT_BUCKET: ctx.reportBucketName };
  Object.assign(env, databaseEnvironment(lambda, ctx.db));
  if (lambda.spec.role === 'worker') env.BEDROCK_MODEL_ID = ctx.bedrockModelId;
  if (startsExecutions(lambda.key)) env.STATE_MACHINE_ARN = ctx.stateMachineArn;
  return env;
}

export const LAMBDA_RUNTIME = INFRA.lambda.runtime;
export const LAMBDA_ARCHITECTURE = INFRA.lambda.architecture;
