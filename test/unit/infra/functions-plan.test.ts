/** Each function's sizes, concurrency and environment, from the guide and the stack config. */
import { FUNCTIONS, LOG_LEVELS, type FunctionKey } from '../../../guide';
import { LAMBDA_CA_BUNDLE, environmentFor, planFunction, planFunctions } from '../../../infra/lib/functions-plan';

const fns = { reservedConcurrency: { api: 50, worker: 10 }, provisionedConcurrency: { api: 2, worker: 0 } };
const ctx = {
  stage: 'prod' as const, bedrockModelId: 'model.id-v1:0', stateMachineArn: 'arn:sm',
  db: { host: 'db.host', port: 5432, name: 'aip', user: 'aip_admin', secretArn: 'arn:secret' },
};

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

  it('runs the worker under its own role and everything else under AsyncProcessingLambdaRole', () => {
    expect(planFunction('aiGenerationWorker', fns).roleKind).toBe('worker');
    expect(planFunction('queueMonitor', fns).roleKind).toBe('lambda');
  });
});

describe('environmentFor', () => {
  const env = (k: FunctionKey, stage: 'dev' | 'prod' = 'prod') => environmentFor(planFunction(k, fns), { ...ctx, stage });

  it('gives every function the database, stage, log level and the Amazon CA bundle for RDS TLS', () => {
    for (const k of Object.keys(FUNCTIONS) as FunctionKey[]) {
      expect(env(k)).toMatchObject({
        AIP_STAGE: 'prod', LOG_LEVEL: LOG_LEVELS.prod, NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
        DB_HOST: 'db.host', DB_PORT: '5432', DB_NAME: 'aip', DB_USER: 'aip_admin', DB_SECRET_ARN: 'arn:secret',
      });
    }
    expect(env('statusCheckHandler', 'dev').LOG_LEVEL).toBe('DEBUG');
  });

  it('gives the state machine to API handlers and the model to the worker, nothing more', () => {
    expect(env('asyncProcessingHandler')).toMatchObject({ STATE_MACHINE_ARN: 'arn:sm' });
    expect(env('asyncProcessingHandler')).not.toHaveProperty('BEDROCK_MODEL_ID');
    expect(env('aiGenerationWorker')).toMatchObject({ BEDROCK_MODEL_ID: 'model.id-v1:0' });
    expect(env('aiGenerationWorker')).not.toHaveProperty('STATE_MACHINE_ARN');
    expect(env('processingCleanup')).not.toHaveProperty('STATE_MACHINE_ARN');
  });
});
