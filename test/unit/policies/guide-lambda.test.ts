/** Lambda against the guide: sizes, reserved and provisioned concurrency, log groups. */
import { FUNCTIONS } from '../../../guide';
import { T, lambdaFunction, logGroup } from './helpers/happy-path';
import { mutate, resource, violations } from './helpers/policy-harness';

describe('lambda-guide-sizes', () => {
  it.each(Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[])("passes %s at the guide's memory and timeout", async (key) => {
    expect(await violations('lambda-guide-sizes', resource(T.function, lambdaFunction(key)))).toEqual([]);
  });

  it("fails when the handler's memory differs from the guide", async () => {
    const fn = mutate(lambdaFunction(), 'memorySize', 256);
    expect(await violations('lambda-guide-sizes', resource(T.function, fn))).toEqual([
      `Lambda "async-processing-handler" (AsyncProcessingHandler) has 256 MB of memory; the guide sets ${FUNCTIONS.asyncProcessingHandler.memoryMb} MB (FUNCTIONS.asyncProcessingHandler).`,
    ]);
  });

  it("fails when the worker's timeout is left at Lambda's default", async () => {
    const fn = mutate(lambdaFunction('aiGenerationWorker'), 'timeout', undefined);
    expect(await violations('lambda-guide-sizes', resource(T.function, fn))).toEqual([
      `Lambda "ai-generation-worker" (AIGenerationWorker) has a 3 s timeout; the guide sets ${FUNCTIONS.aiGenerationWorker.timeoutSeconds} s (FUNCTIONS.aiGenerationWorker).`,
    ]);
  });

  it('fails for a function the guide does not know', async () => {
    const fn = mutate(lambdaFunction(), 'name', 'ad-hoc');
    expect(await violations('lambda-guide-sizes', resource(T.function, fn))).toEqual([
      'Lambda "ad-hoc" is not in the guide\'s FUNCTIONS (guide/index.ts): add it there with its memory and timeout.',
    ]);
  });
});

describe('lambda-reserved-concurrency', () => {
  it("passes the guide's current capacity, and ignores functions the table does not plan", async () => {
    expect(
      await violations('lambda-reserved-concurrency', [
        resource(T.function, lambdaFunction()),
        resource(T.function, lambdaFunction('processingCleanup')),
      ]),
    ).toEqual([]);
  });

  it("fails above the guide's upper limit", async () => {
    const fn = mutate(lambdaFunction('aiGenerationWorker'), 'reservedConcurrentExecutions', 101);
    expect(await violations('lambda-reserved-concurrency', resource(T.function, fn))).toEqual([
      'Lambda "ai-generation-worker" (AIGenerationWorker) reserves 101 concurrent executions, above the guide\'s upper limit of 100.',
    ]);
  });

  it('fails without a reservation', async () => {
    const fn = mutate(lambdaFunction(), 'reservedConcurrentExecutions', undefined);
    expect(await violations('lambda-reserved-concurrency', resource(T.function, fn))).toEqual([
      'Lambda "async-processing-handler" (AsyncProcessingHandler) reserves no concurrency; the guide plans 50 (current) to 500 (upper limit).',
    ]);
  });

  it('fails below the configured level (prod: current), and passes it with minimumLevel none (dev)', async () => {
    const fn = resource(T.function, mutate(lambdaFunction(), 'reservedConcurrentExecutions', 5));
    expect(await violations('lambda-reserved-concurrency', fn, { minimumLevel: 'current' })).toEqual([
      'Lambda "async-processing-handler" (AsyncProcessingHandler) reserves 5 concurrent executions; this stack requires at least the guide\'s current capacity of 50.',
    ]);
    expect(await violations('lambda-reserved-concurrency', fn, { minimumLevel: 'none' })).toEqual([]);
  });

  it('fails at 0, which stops the function', async () => {
    const fn = mutate(lambdaFunction(), 'reservedConcurrentExecutions', 0);
    expect(await violations('lambda-reserved-concurrency', resource(T.function, fn), { minimumLevel: 'none' })).toEqual([
      'Lambda "async-processing-handler" (AsyncProcessingHandler) reserves 0 concurrent executions, which stops it from running.',
    ]);
  });
});

describe('lambda-provisioned-concurrency (stack)', () => {
  const provisioned = (functionName: string, n: number) =>
    resource(T.provisioned, { functionName, qualifier: 'live', provisionedConcurrentExecutions: n });

  it("passes provisioned concurrency within a planned function's reservation", async () => {
    expect(
      await violations('lambda-provisioned-concurrency', [
        resource(T.function, lambdaFunction()),
        provisioned('async-processing-handler', 10),
      ]),
    ).toEqual([]);
  });

  it("fails above the function's reserved concurrency", async () => {
    expect(
      await violations('lambda-provisioned-concurrency', [
        resource(T.function, lambdaFunction()),
        provisioned('async-processing-handler', 60),
      ]),
    ).toEqual([
      'Lambda "async-processing-handler" (AsyncProcessingHandler) provisions 60 concurrent executions, more than the 50 it reserves.',
    ]);
  });

  it('fails on a function the capacity table does not plan', async () => {
    expect(
      await violations('lambda-provisioned-concurrency', [
        resource(T.function, lambdaFunction('queueMonitor')),
        provisioned('queue-monitor', 1),
      ]),
    ).toEqual([
      'Lambda "queue-monitor" (QueueMonitor) has provisioned concurrency, but the guide plans capacity for the API handlers and the worker only.',
    ]);
  });

  it('fails on a function outside the stack', async () => {
    expect(await violations('lambda-provisioned-concurrency', [provisioned('elsewhere', 1)])).toEqual([
      'Provisioned concurrency on "elsewhere", which is not a Lambda function of this stack.',
    ]);
  });
});

describe('lambda-log-groups (stack)', () => {
  it('passes a function whose /aws/lambda/<name> group the stack creates', async () => {
    expect(await violations('lambda-log-groups', [resource(T.function, lambdaFunction()), resource(T.logGroup, logGroup())])).toEqual([]);
  });

  it('fails when the stack does not create the group', async () => {
    expect(await violations('lambda-log-groups', [resource(T.function, lambdaFunction())])).toEqual([
      'Lambda "async-processing-handler" logs to /aws/lambda/async-processing-handler, which this stack does not create: Lambda would create it with no retention.',
    ]);
  });

  it('fails when the function logs to another group', async () => {
    const fn = mutate(lambdaFunction(), 'loggingConfig.logGroup', '/shared/logs');
    expect(await violations('lambda-log-groups', [resource(T.function, fn), resource(T.logGroup, logGroup('/shared/logs'))])).toEqual([
      'Lambda "async-processing-handler" logs to /shared/logs, not the guide\'s /aws/lambda/async-processing-handler.',
    ]);
  });
});

describe('lambda-log-level', () => {
  it('passes INFO in prod, and DEBUG where the stack is development', async () => {
    expect(await violations('lambda-log-level', resource(T.function, lambdaFunction()))).toEqual([]);
    const debug = resource(T.function, mutate(lambdaFunction(), 'environment.variables.LOG_LEVEL', 'DEBUG'));
    expect(await violations('lambda-log-level', debug, { mostVerbose: 'DEBUG' })).toEqual([]);
  });

  it('fails DEBUG in prod, whichever setting carries it', async () => {
    const fn = mutate(
      mutate(lambdaFunction(), 'environment.variables.POWERTOOLS_LOG_LEVEL', 'debug'),
      'loggingConfig.applicationLogLevel',
      'TRACE',
    );
    expect(await violations('lambda-log-level', resource(T.function, fn), { mostVerbose: 'INFO' })).toEqual([
      'Lambda "async-processing-handler" logs at debug (environment variable POWERTOOLS_LOG_LEVEL), more verbose than this stack allows (INFO; DEBUG is for development only): set INFO.',
      'Lambda "async-processing-handler" logs at TRACE (loggingConfig.applicationLogLevel), more verbose than this stack allows (INFO; DEBUG is for development only): set INFO.',
    ]);
  });

  it("fails a level above INFO, which drops the lines the guide's queries read", async () => {
    const fn = mutate(lambdaFunction(), 'environment.variables.LOG_LEVEL', 'ERROR');
    expect(await violations('lambda-log-level', resource(T.function, fn))).toEqual([
      'Lambda "async-processing-handler" logs at ERROR (environment variable LOG_LEVEL), above INFO, which drops the INFO lines the guide\'s queries read: set INFO.',
    ]);
  });
});
