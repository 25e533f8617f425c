/** Each function's sizes, concurrency and environment, from the guide and the stack config. */
import { DESIGN, FUNCTIONS, LOG_LEVELS, type FunctionKey } from '../../../../guide';
import { loadConfig } from '../../../../functions/src/runtime/config';
import {
  LAMBDA_CA_BUNDLE,
  MASTER_USER_FUNCTIONS,
  OPS_REPORT_FUNCTION,
  appUsesIamAuth,
  environmentFor,
  lambdaSpec,
  lambdaSpecs,
} from '../../../../infra/specs/lambdas';

/** A stack's functions config: the guide's current capacity, two provisioned API instances. */
const fns = {
  reservedConcurrency: {
    api: FUNCTIONS.asyncProcessingHandler.reservedConcurrency.current,
    worker: FUNCTIONS.aiGenerationWorker.reservedConcurrency.current,
  },
  provisionedConcurrency: { api: 2, worker: 0 },
};
const ctx = {
  stage: 'prod' as const,
  bedrockModelId: 'model.id-v1:0',
  stateMachineArn: 'arn:sm',
  reportBucketName: 'reports-bucket',
  db: { host: 'db.host', port: 5432, name: 'aip', masterUser: 'aip_admin', masterSecretArn: 'arn:secret', iamAuth: true },
};
/** Every function that uses the database: all but OpsReport, which reads AWS's APIs only. */
const ALL = (Object.keys(FUNCTIONS) as FunctionKey[]).filter((k) => k !== OPS_REPORT_FUNCTION);
const APP_FUNCTIONS = ALL.filter((k) => !MASTER_USER_FUNCTIONS.includes(k));

describe('lambdaSpec', () => {
  it.each(Object.keys(FUNCTIONS) as FunctionKey[])('keeps the guide memory and timeout of %s', (k) => {
    expect(lambdaSpec(k, fns)).toMatchObject({ memoryMb: FUNCTIONS[k].memoryMb, timeoutSeconds: FUNCTIONS[k].timeoutSeconds });
  });

  it('reserves the stack concurrency for API handlers and the worker only', () => {
    const specs = Object.fromEntries(lambdaSpecs(fns).map((p) => [p.key, p]));
    for (const k of Object.keys(FUNCTIONS) as FunctionKey[]) {
      const role = FUNCTIONS[k].role;
      expect(specs[k]!.reservedConcurrency).toBe(
        role === 'api' ? fns.reservedConcurrency.api : role === 'worker' ? fns.reservedConcurrency.worker : undefined,
      );
    }
    expect(specs.statusCheckHandler!.provisionedConcurrency).toBe(2);
    expect(specs.processingCleanup!.provisionedConcurrency).toBe(0);
  });

  it('runs the worker under its own role, the master-user functions under the admin role, the rest under AsyncProcessingLambdaRole', () => {
    expect(lambdaSpec('aiGenerationWorker', fns).roleKind).toBe('worker');
    expect(lambdaSpec('queueMonitor', fns).roleKind).toBe('lambda');
    expect(lambdaSpec('statusCheckHandler', fns).roleKind).toBe('lambda');
    expect(lambdaSpec('dbMigrate', fns).roleKind).toBe('dbAdmin');
    expect(lambdaSpec('processingCleanup', fns).roleKind).toBe('dbAdmin');
  });
});

describe('appUsesIamAuth', () => {
  it('signs the application in with IAM unless RDS Proxy is in front', () => {
    expect(appUsesIamAuth({ rdsProxy: false })).toBe(true);
    expect(appUsesIamAuth({ rdsProxy: true })).toBe(false);
  });
});

describe('environmentFor', () => {
  const env = (k: FunctionKey, stage: 'dev' | 'prod' = 'prod', iamAuth = true) =>
    environmentFor(lambdaSpec(k, fns), { ...ctx, stage, db: { ...ctx.db, iamAuth } });

  it('gives every function the database, stage, log level and the Amazon CA bundle for RDS TLS', () => {
    for (const k of ALL) {
      expect(env(k)).toMatchObject({
        AIP_STAGE: 'prod',
        LOG_LEVEL: LOG_LEVELS.prod,
        NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
        DB_HOST: 'db.host',
        DB_PORT: '5432',
        DB_NAME: 'aip',
      });
    }
    expect(env('statusCheckHandler', 'dev').LOG_LEVEL).toBe('DEBUG');
  });

  it.each(ALL)("bounds %s's lock waits just past its own timeout, never before it", (k) => {
    const lockMs = Number(env(k).DB_LOCK_TIMEOUT_MS);
    expect(lockMs).toBe(Math.ceil(FUNCTIONS[k].timeoutSeconds * 1000 * DESIGN.lockWaitShareOfFunctionTimeout));
    expect(lockMs).toBeGreaterThan(FUNCTIONS[k].timeoutSeconds * 1000);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/d', ...env(k) } as Record<string, string>).lockTimeoutMs).toBe(lockMs);
  });

  it.each(APP_FUNCTIONS)('signs %s in as aip_app with IAM, without the master secret', (k) => {
    expect(env(k)).toMatchObject({ DB_USER: 'aip_app', DB_IAM_AUTH: 'true' });
    expect(env(k)).not.toHaveProperty('DB_SECRET_ARN');
  });

  it.each(MASTER_USER_FUNCTIONS)('signs %s in as the master user with the secret', (k) => {
    expect(env(k)).toMatchObject({ DB_USER: 'aip_admin', DB_SECRET_ARN: 'arn:secret' });
    expect(env(k)).not.toHaveProperty('DB_IAM_AUTH');
  });

  it('signs every function in with the master secret when IAM auth is off (behind RDS Proxy)', () => {
    for (const k of ALL) {
      expect(env(k, 'prod', false)).toMatchObject({ DB_USER: 'aip_admin', DB_SECRET_ARN: 'arn:secret' });
      expect(env(k, 'prod', false)).not.toHaveProperty('DB_IAM_AUTH');
    }
  });

  it('gives the state machine to API handlers and the queue monitor (it starts lost starts), the model to the worker, nothing more', () => {
    expect(env('asyncProcessingHandler')).toMatchObject({ STATE_MACHINE_ARN: 'arn:sm' });
    expect(env('queueMonitor')).toMatchObject({ STATE_MACHINE_ARN: 'arn:sm' });
    expect(env('asyncProcessingHandler')).not.toHaveProperty('BEDROCK_MODEL_ID');
    expect(env('aiGenerationWorker')).toMatchObject({ BEDROCK_MODEL_ID: 'model.id-v1:0' });
    expect(env('aiGenerationWorker')).not.toHaveProperty('STATE_MACHINE_ARN');
    expect(env('processingCleanup')).not.toHaveProperty('STATE_MACHINE_ARN');
  });

  it('gives OpsReport its bucket and no database at all', () => {
    const opsReport = env(OPS_REPORT_FUNCTION);
    expect(opsReport).toMatchObject({ AIP_STAGE: 'prod', REPORT_BUCKET: 'reports-bucket' });
    expect(Object.keys(opsReport).filter((k) => k.startsWith('DB_') || k === 'STATE_MACHINE_ARN')).toEqual([]);
  });
});
