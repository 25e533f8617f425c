/** IAM under mocks: the guide's roles, who uses them, and policies naming real ARNs. */
import { FUNCTIONS, IAM_ROLES, WORKER_IAM_ROLE, type FunctionKey } from '../../../guide';
import type { OfflineRun } from '../../../infra/lib/offline';
import { STACKS, TYPES, named, policyOf, runStacks, type StackName } from './helpers/stacks';

let runs: Record<StackName, OfflineRun>;
beforeAll(async () => {
  runs = await runStacks();
});

const ACCOUNT = '123456789012';
const statements = (run: OfflineRun, role: string) =>
  Object.fromEntries(policyOf(named(run, TYPES.rolePolicy, `iam-${role}-policy`)).Statement.map((s) => [s.Sid, s]));

describe.each(STACKS)('Iam (%s)', (stack) => {
  it('creates the guide roles by name, plus the worker role', () => {
    const names = ['lambda', 'worker', 'step-functions', 'monitoring'].map((r) => named(runs[stack], TYPES.role, `iam-${r}`).inputs.name);
    expect(names).toEqual([IAM_ROLES.lambda.name, WORKER_IAM_ROLE.name, IAM_ROLES.stepFunctions.name, IAM_ROLES.monitoring.name]);
  });

  it('runs the worker as AIGenerationWorkerRole and every other function as AsyncProcessingLambdaRole', () => {
    for (const k of Object.keys(FUNCTIONS) as FunctionKey[]) {
      const role = named(runs[stack], TYPES.function, `functions-${FUNCTIONS[k].name}`).inputs.role;
      expect(role).toBe(`arn:aws:iam::${ACCOUNT}:role/${k === 'aiGenerationWorker' ? WORKER_IAM_ROLE.name : IAM_ROLES.lambda.name}`);
    }
  });

  it('lets AsyncProcessingLambdaRole start and stop AIGenerationStateMachine executions only', () => {
    const s = statements(runs[stack], 'lambda');
    expect(s.StartThisStateMachine!.Resource).toEqual([`arn:aws:states:ap-northeast-1:${ACCOUNT}:stateMachine:AIGenerationStateMachine`]);
    expect(s.StopOwnExecutions!.Resource).toEqual([`arn:aws:states:ap-northeast-1:${ACCOUNT}:execution:AIGenerationStateMachine:*`]);
    expect(s.ReadDatabaseSecret!.Resource).toEqual([expect.stringMatching(/^arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster/)]);
    expect(s.WriteOwnLogs!.Resource).not.toContain(`arn:aws:logs:ap-northeast-1:${ACCOUNT}:log-group:/aws/lambda/ai-generation-worker:*`);
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
      `arn:aws:logs:ap-northeast-1:${ACCOUNT}:log-group:/aws/lambda/async-processing-handler`);
    const trust = JSON.parse(named(runs[stack], TYPES.role, 'iam-monitoring').inputs.assumeRolePolicy);
    expect(trust.Statement[0].Principal).toEqual({ AWS: [`arn:aws:iam::${ACCOUNT}:root`] });
  });

  it('uses `*` only where AWS offers no resource scope, in every inline policy of the stack', () => {
    for (const p of runs[stack].resources.filter((r) => r.type === TYPES.rolePolicy)) {
      for (const s of policyOf(p).Statement) if (s.Resource.includes('*')) expect(`${p.name}:${s.Sid}`).toMatch(/UnscopedByAws$/);
    }
  });
});
