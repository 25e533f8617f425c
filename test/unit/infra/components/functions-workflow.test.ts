/** Functions and Workflow under mocks, both stacks: the guide's sizes, logs, tracing, and the shared ASL. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS, RETENTION, STATE_MACHINE_NAME, logGroupName, type FunctionKey } from '../../../../guide';
import { buildDefinition } from '../../../../functions/src/workflow/definition';
import type { OfflineRun } from '../../../../infra/offline/run';
import { STACKS, TYPES, named, ofType, runStacks, type StackName } from '../helpers/stacks';

let runs: Record<StackName, OfflineRun>;
beforeAll(async () => {
  runs = await runStacks();
});

const KEYS = Object.keys(FUNCTIONS) as FunctionKey[];
const fnOf = (s: StackName, k: FunctionKey) => named(runs[s], TYPES.function, `functions-${FUNCTIONS[k].name}`).inputs;
const workerArn = `arn:aws:lambda:ap-northeast-1:123456789012:function:${FUNCTIONS.aiGenerationWorker.name}`;

describe.each(STACKS)('Functions (%s)', (stack) => {
  it.each(KEYS)('%s has the guide memory and timeout on nodejs22.x with X-Ray', (k) => {
    expect(fnOf(stack, k)).toMatchObject({
      name: FUNCTIONS[k].name,
      memorySize: FUNCTIONS[k].memoryMb,
      timeout: FUNCTIONS[k].timeoutSeconds,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      tracingConfig: { mode: 'Active' },
    });
  });

  it(`creates every /aws/lambda/<name> log group itself, with ${RETENTION.logsDays}-day retention, before the function`, () => {
    for (const k of KEYS) {
      const lg = named(runs[stack], TYPES.logGroup, `functions-${FUNCTIONS[k].name}-logs`).inputs;
      expect(lg).toMatchObject({ name: logGroupName(FUNCTIONS[k].name), retentionInDays: RETENTION.logsDays });
      expect(fnOf(stack, k).loggingConfig.logGroup).toBe(logGroupName(FUNCTIONS[k].name));
    }
  });

  it('runs the migrations before any other function changes, and the migration function before that', () => {
    const run = named(runs[stack], 'aws:lambda/invocation:Invocation', 'functions-db-migrate-run');
    const migrateFn = (k: FunctionKey) => named(runs[stack], TYPES.function, `functions-${FUNCTIONS[k].name}`);

    expect((run.dependsOn ?? []).some((u) => u.endsWith('::functions-db-migrate'))).toBe(true);
    for (const k of KEYS.filter((key) => key !== 'dbMigrate')) {
      expect((migrateFn(k).dependsOn ?? []).some((u) => u.endsWith('::functions-db-migrate-run'))).toBe(true);
    }
  });

  it(`keeps every log group of the stack ${RETENTION.logsDays} days`, () => {
    const groups = ofType(runs[stack], TYPES.logGroup);
    expect(groups.length).toBeGreaterThanOrEqual(KEYS.length + 3);
    for (const g of groups) expect(g.inputs.retentionInDays).toBe(RETENTION.logsDays);
  });

  it('runs every function in the private subnets behind the Lambda security group', () => {
    for (const k of KEYS) {
      expect(fnOf(stack, k).vpcConfig).toEqual({
        subnetIds: ['subnet-private-1', 'subnet-private-2'],
        securityGroupIds: ['network-lambda-sg-id'],
      });
    }
  });

  it('ships each function its own bundle, and the migrations with db-migrate', async () => {
    for (const k of KEYS) {
      const dir = await (fnOf(stack, k).code as { path: Promise<string> }).path;
      expect(dir).toMatch(new RegExp(`/${FUNCTIONS[k].name}$`));
      expect(existsSync(join(dir, 'index.js'))).toBe(true);
    }
    expect(existsSync(join(await fnOf(stack, 'dbMigrate').code.path, 'migrations'))).toBe(true);
  });

  it('runs the migrations on deploy, again when they change, once the database exists', () => {
    const run = named(runs[stack], 'aws:lambda/invocation:Invocation', 'functions-db-migrate-run').inputs;
    expect(run.functionName).toBe(FUNCTIONS.dbMigrate.name);
    expect(run.triggers.migrations).toMatch(/^[0-9a-f]{16}$/);
  });

  it('tells the API handlers the state machine ARN and the worker the configured model', () => {
    const arn = `arn:aws:states:ap-northeast-1:123456789012:stateMachine:${STATE_MACHINE_NAME}`;
    expect(fnOf(stack, 'asyncProcessingHandler').environment.variables).toMatchObject({ STATE_MACHINE_ARN: arn, AIP_STAGE: stack });
    expect(fnOf(stack, 'aiGenerationWorker').environment.variables.BEDROCK_MODEL_ID).toBe('anthropic.claude-3-haiku-20240307-v1:0');
  });
});

describe('Functions, prod against dev', () => {
  const { asyncProcessingHandler: handler, aiGenerationWorker: worker } = FUNCTIONS;
  it(`reserves the guide current concurrency in prod (handler ${handler.reservedConcurrency.current}, worker ${worker.reservedConcurrency.current}) and less in dev`, () => {
    for (const k of KEYS) {
      const role = FUNCTIONS[k].role;
      const prod = fnOf('prod', k).reservedConcurrentExecutions;
      const dev = fnOf('dev', k).reservedConcurrentExecutions;
      if (role === 'maintenance') {
        expect([prod, dev]).toEqual([undefined, undefined]);
      } else {
        expect(prod).toBe((role === 'api' ? handler : worker).reservedConcurrency.current);
        expect(dev).toBeLessThan(prod);
      }
    }
  });
});

describe.each(STACKS)('Workflow (%s)', (stack) => {
  const machine = () => named(runs[stack], TYPES.stateMachine, 'workflow-state-machine').inputs;

  it('deploys AIGenerationStateMachine, Standard, from the same ASL the local runtime runs', () => {
    expect(machine()).toMatchObject({ name: STATE_MACHINE_NAME, type: 'STANDARD' });
    expect(JSON.parse(machine().definition)).toEqual(buildDefinition({ workerArn }));
  });

  it('logs ALL events to its own log group, with tracing on', () => {
    expect(machine().loggingConfiguration).toMatchObject({
      level: 'ALL',
      logDestination: `arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/vendedlogs/states/${STATE_MACHINE_NAME}:*`,
    });
    expect(machine().tracingConfiguration).toEqual({ enabled: true });
  });

  it('runs as StepFunctionsRole', () => {
    expect(machine().roleArn).toBe('arn:aws:iam::123456789012:role/StepFunctionsRole');
  });
});
