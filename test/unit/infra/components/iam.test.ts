/** IAM under mocks: the guide's roles, who uses them, and policies naming real ARNs. */
import { DB_ADMIN_IAM_ROLE, DR_VALIDATION_IAM_ROLE, FUNCTIONS, IAM_ROLES, WORKER_IAM_ROLE, type FunctionKey } from '../../../../guide';
import { MASTER_USER_FUNCTIONS } from '../../../../infra/specs/lambdas';
import type { OfflineRun } from '../../../../infra/offline/run';
import { STACKS, TYPES, named, policyOf, runStacks, type StackName } from '../helpers/stacks';

let runs: Record<StackName, OfflineRun>;
beforeAll(async () => {
  runs = await runStacks();
});

const ACCOUNT = '123456789012';
const statements = (run: OfflineRun, role: string) =>
  Object.fromEntries(policyOf(named(run, TYPES.rolePolicy, `iam-${role}-policy`)).Statement.map((s) => [s.Sid, s]));

describe.each(STACKS)('Iam (%s)', (stack) => {
  it('creates the guide roles by name, plus the worker and database admin roles', () => {
    const names = ['lambda', 'worker', 'db-admin', 'step-functions', 'monitoring'].map(
      (r) => named(runs[stack], TYPES.role, `iam-${r}`).inputs.name,
    );
    expect(names).toEqual([
      IAM_ROLES.lambda.name,
      WORKER_IAM_ROLE.name,
      DB_ADMIN_IAM_ROLE.name,
      IAM_ROLES.stepFunctions.name,
      IAM_ROLES.monitoring.name,
    ]);
  });

  it('runs the worker as AIGenerationWorkerRole, DbMigrate and ProcessingCleanup as the admin role, the rest as AsyncProcessingLambdaRole', () => {
    const expected = (k: FunctionKey) =>
      k === 'aiGenerationWorker'
        ? WORKER_IAM_ROLE.name
        : k === 'drValidation'
          ? DR_VALIDATION_IAM_ROLE.name
          : MASTER_USER_FUNCTIONS.includes(k)
            ? DB_ADMIN_IAM_ROLE.name
            : IAM_ROLES.lambda.name;
    for (const k of Object.keys(FUNCTIONS) as FunctionKey[]) {
      const role = named(runs[stack], TYPES.function, `functions-${FUNCTIONS[k].name}`).inputs.role;
      expect(role).toBe(`arn:aws:iam::${ACCOUNT}:role/${expected(k)}`);
    }
  });

  it('lets AsyncProcessingLambdaRole start and stop AIGenerationStateMachine executions only', () => {
    const s = statements(runs[stack], 'lambda');
    expect(s.StartThisStateMachine!.Resource).toEqual([`arn:aws:states:ap-northeast-1:${ACCOUNT}:stateMachine:AIGenerationStateMachine`]);
    expect(s.StopOwnExecutions!.Resource).toEqual([`arn:aws:states:ap-northeast-1:${ACCOUNT}:execution:AIGenerationStateMachine:*`]);
    expect(s.WriteOwnLogs!.Resource).not.toContain(`arn:aws:logs:ap-northeast-1:${ACCOUNT}:log-group:/aws/lambda/ai-generation-worker:*`);
  });

  it('lets the queue monitor start AIGenerationStateMachine executions and describe them, as it starts lost starts', () => {
    const fn = named(runs[stack], TYPES.function, `functions-${FUNCTIONS.queueMonitor.name}`).inputs;
    const s = statements(runs[stack], 'lambda');
    expect(fn.role).toBe(`arn:aws:iam::${ACCOUNT}:role/${IAM_ROLES.lambda.name}`);
    expect(fn.environment.variables.STATE_MACHINE_ARN).toBe(
      `arn:aws:states:ap-northeast-1:${ACCOUNT}:stateMachine:AIGenerationStateMachine`,
    );
    expect(s.StartThisStateMachine!.Action).toEqual(['states:StartExecution']);
    expect(s.StopOwnExecutions!.Action).toContain('states:DescribeExecution');
  });

  it.each(['lambda', 'worker'])('lets the %s role sign in to this cluster as aip_app only, without the master secret', (role) => {
    const s = statements(runs[stack], role);
    expect(s.ConnectAsAppUserOnly).toMatchObject({
      Action: ['rds-db:connect'],
      Resource: [`arn:aws:rds-db:ap-northeast-1:${ACCOUNT}:dbuser:cluster-MOCKRESOURCEID/aip_app`],
    });
    expect(Object.values(s).flatMap((x) => x.Action)).not.toContain('secretsmanager:GetSecretValue');
  });

  it.each([
    ['db-admin', ['processingCleanup', 'dbMigrate'], []],
    ['dr-validation', ['drValidation'], ['backup:DescribeRestoreJob']],
  ] as const)(
    "lets only the %s role of the master-user functions read the master secret, for its own functions' logs",
    (role, keys, extra) => {
      const s = statements(runs[stack], role);
      expect(s.ReadDatabaseSecret!.Resource).toEqual([
        expect.stringMatching(/^arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster/),
      ]);
      const actions = Object.values(s).flatMap((x) => x.Action);
      expect(actions).not.toContain('rds-db:connect');
      for (const a of extra) expect(actions).toContain(a);
      expect(s.WriteOwnLogs!.Resource).toEqual(
        keys.map((k) => `arn:aws:logs:ap-northeast-1:${ACCOUNT}:log-group:/aws/lambda/${FUNCTIONS[k].name}:*`),
      );
      expect(keys.every((k) => MASTER_USER_FUNCTIONS.includes(k))).toBe(true);
    },
  );

  it('gives no DB secret to the functions on aip_app, and keeps it for DbMigrate and ProcessingCleanup', () => {
    for (const k of Object.keys(FUNCTIONS) as FunctionKey[]) {
      const env = named(runs[stack], TYPES.function, `functions-${FUNCTIONS[k].name}`).inputs.environment.variables;
      if (MASTER_USER_FUNCTIONS.includes(k)) {
        expect(env).toMatchObject({ DB_USER: 'aip_admin', DB_SECRET_ARN: expect.stringMatching(/^arn:aws:secretsmanager:/) });
      } else {
        expect(env).toMatchObject({ DB_USER: 'aip_app', DB_IAM_AUTH: 'true' });
        expect(env).not.toHaveProperty('DB_SECRET_ARN');
      }
    }
  });

  it('lets only the worker call Bedrock, and only the configured model', () => {
    expect(statements(runs[stack], 'worker').InvokeConfiguredModelOnly).toMatchObject({
      Action: ['bedrock:InvokeModel'],
      Resource: ['arn:aws:bedrock:ap-northeast-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'],
    });
    expect(Object.values(statements(runs[stack], 'lambda')).flatMap((x) => x.Action)).not.toContain('bedrock:InvokeModel');
  });

  it('lets StepFunctionsRole invoke the worker only', () => {
    const worker = `arn:aws:lambda:ap-northeast-1:${ACCOUNT}:function:ai-generation-worker`;
    expect(statements(runs[stack], 'step-functions').InvokeWorkerOnly!.Resource).toEqual([worker, `${worker}:*`]);
  });

  it('lets MonitoringRole read our log groups, assumed from within the account', () => {
    expect(statements(runs[stack], 'monitoring').ReadOwnLogs!.Resource).toContain(
      `arn:aws:logs:ap-northeast-1:${ACCOUNT}:log-group:/aws/lambda/async-processing-handler`,
    );
    const trust = JSON.parse(named(runs[stack], TYPES.role, 'iam-monitoring').inputs.assumeRolePolicy);
    expect(trust.Statement[0].Principal).toEqual({ AWS: [`arn:aws:iam::${ACCOUNT}:root`] });
  });

  it('uses `*` only where AWS offers no resource scope, in every inline policy of the stack', () => {
    for (const p of runs[stack].resources.filter((r) => r.type === TYPES.rolePolicy)) {
      for (const s of policyOf(p).Statement) if (s.Resource.includes('*')) expect(`${p.name}:${s.Sid}`).toMatch(/UnscopedByAws$/);
    }
  });
});
