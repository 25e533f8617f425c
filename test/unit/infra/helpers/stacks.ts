/**
 * One offline run of the real program per stack per test file, under recording mocks with the
 * real `Pulumi.dev.yaml` / `Pulumi.prod.yaml`, and finders over what it created.
 */
import { runOffline, type OfflineOptions, type OfflineRun, type PlannedResource } from '../../../../infra/offline/run';

export type StackName = 'dev' | 'prod';
export const STACKS: readonly StackName[] = ['dev', 'prod'];

let runs: Promise<Record<StackName, OfflineRun>> | undefined;

/**
 * Runs `fn` with stack traces off. Pulumi captures one per promise and per resource; under Jest
 * each goes through source-map lookup, which made a program run six times slower.
 */
export async function withoutStackTraces<T>(fn: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** One offline run of the program, e.g. with config overrides for a variant. */
export const offline = (stack: StackName, opts?: OfflineOptions): Promise<OfflineRun> => withoutStackTraces(() => runOffline(stack, opts));

/** Both stacks, run once per test file (sequentially: Pulumi's runtime state is global). */
export function runStacks(): Promise<Record<StackName, OfflineRun>> {
  runs ??= (async () => {
    const dev = await offline('dev');
    const prod = await offline('prod');
    return { dev, prod };
  })();
  return runs;
}

export const ofType = (run: OfflineRun, type: string): PlannedResource[] => run.resources.filter((r) => r.type === type);

/** The one resource of `type` whose logical name is `name` (fails the test otherwise). */
export function named(run: OfflineRun, type: string, name: string): PlannedResource {
  const found = ofType(run, type).filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`Expected one ${type} named ${name} in ${run.stack}, found ${found.length}`);
  return found[0]!;
}

/** The parsed policy document of an inline role policy. */
export const policyOf = (r: PlannedResource) =>
  JSON.parse(r.inputs.policy as string) as { Statement: { Sid: string; Action: string[]; Resource: string[]; Condition?: object }[] };

export const TYPES = {
  function: 'aws:lambda/function:Function',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  cluster: 'aws:rds/cluster:Cluster',
  instance: 'aws:rds/clusterInstance:ClusterInstance',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  schedule: 'aws:scheduler/schedule:Schedule',
  stateMachine: 'aws:sfn/stateMachine:StateMachine',
  securityGroupIngress: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  securityGroupEgress: 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule',
  vpc: 'awsx:ec2:Vpc',
  vpcEndpoint: 'aws:ec2/vpcEndpoint:VpcEndpoint',
  webAcl: 'aws:wafv2/webAcl:WebAcl',
  distribution: 'aws:cloudfront/distribution:Distribution',
  userPoolClient: 'aws:cognito/userPoolClient:UserPoolClient',
  route: 'aws:apigatewayv2/route:Route',
  stage: 'aws:apigatewayv2/stage:Stage',
  authorizer: 'aws:apigatewayv2/authorizer:Authorizer',
  permission: 'aws:lambda/permission:Permission',
  backupPlan: 'aws:backup/plan:Plan',
  restoreTestingPlan: 'aws:backup/restoreTestingPlan:RestoreTestingPlan',
  budget: 'aws:budgets/budget:Budget',
} as const;
