/** Each function's sizes, concurrency and environment, from the guide and the stack config. */
import { FUNCTIONS, LOG_LEVELS, type FunctionKey } from '../../../guide';
import {
  LAMBDA_CA_BUNDLE, MASTER_USER_FUNCTIONS, appUsesIamAuth, environmentFor, planFunction, planFunctions,
} from '../../../infra/lib/functions-plan';

const fns = { reservedConcurrency: { api: 50, worker: 10 }, provisionedConcurrency: { api: 2, worker: 0 } };
const ctx = {
  stage: 'prod' as const, bedrockModelId: 'model.id-v1:0', stateMachineArn: 'arn:sm',
  db: { host: 'db.host', port: 5432, name: 'aip', masterUser: 'aip_admin', masterSecretArn: 'arn:secret', iamAuth: true },
};
const ALL = Object.keys(FUNCTIONS) as FunctionKey[];
const APP_FUNCTIONS = ALL.filter((k) => !MASTER_USER_FUNCTIONS.includes(k));

describe('planFunction', () => {
  it('keeps the guide memory and timeout (handler 512 MB / 30 s, worker 1024 MB / 300 s)', () => {
    expect(planFunction('asyncProcessingHandler', fns)).toMatchObject({ memoryMb: 512, timeoutSeconds: 30 });
    expect(planFunction('aiGenerationWorker', fns)).toMatchObject({ memoryMb: 1024, timeoutSeconds: 300 });
  });

  it('reserves the stack concurrency for API handlers and the worker only', () => {
    const plans = Object.fromEntries(planFunctions(fns).map((p) => [p.key, p]));
    for (const k of Object.keys(FUNCTIONS) as FunctionKey[]) {
      const role = FUNCTIONS[k].role;
      expect(plans[k]!.reservedConcurrency).toBe(role === 'api' ? 50 : role === 'worker' ? 10 : undefined);
    }
    expect(plans.statusCheckHandler!.provisionedConcurrency).toBe(2);
    expect(plans.processingCleanup!.provisionedConcurrency).toBe(0);
  });

  it('runs the worker under its own role, the master-user functions under the admin role, the rest under AsyncProcessingLambdaRole', () => {
    expect(planFunction('aiGenerationWorker', fns).roleKind).toBe('worker');
    expect(planFunction('queueMonitor', fns).roleKind).toBe('lambda');
    expect(planFunction('statusCheckHandler', fns).roleKind).toBe('lambda');
    expect(planFunction('dbMigrate', fns).roleKind).toBe('dbAdmin');
    expect(planFunction('processingCleanup', fns).roleKind).toBe('dbAdmin');
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
    environmentFor(planFunction(k, fns), { ...ctx, stage, db: { ...ctx.db, iamAuth } });

  it('gives every function the database, stage, log level and the Amazon CA bundle for RDS TLS', () => {
    for (const k of ALL) {
      expect(env(k)).toMatchObject({
        AIP_STAGE: 'prod', LOG_LEVEL: LOG_LEVELS.prod, NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
        DB_HOST: 'db.host', DB_PORT: '5432', DB_NAME: 'aip',
      });
    }
    expect(env('statusCheckHandler', 'dev').LOG_LEVEL).toBe('DEBUG');
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
});
