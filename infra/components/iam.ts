/**
 * IAM (セキュリティ管理 → IAMロール): AsyncProcessingLambdaRole, StepFunctionsRole, MonitoringRole,
 * plus AIGenerationWorkerRole so that only the worker may call Bedrock. Each role's inline policy
 * comes from `lib/iam.ts`; resources are named by ARN (the guide fixes the names), not `*`.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DASHBOARD_NAME, FUNCTIONS, IAM_ROLES, STATE_MACHINE_NAME, WORKER_IAM_ROLE, logGroupName, type FunctionKey } from '../../guide';
import { arns, bedrockModelArns, type AccountScope } from '../lib/arns';
import * as docs from '../lib/iam';
import { alarmName } from '../observability/plan/resources';

export const IAM_TYPE = 'async-ai-pipeline:infra:Iam';

export interface IamArgs {
  readonly scope: pulumi.Input<AccountScope>;
  readonly bedrockModelId: string;
  readonly dbSecretArn: pulumi.Input<string>;
  /** Log groups MonitoringRole may read besides the functions' (state machine, API access logs). */
  readonly extraLogGroupNames: readonly string[];
  /** Who may assume MonitoringRole; empty = this account's root (its IAM admins decide). */
  readonly monitoringPrincipalArns: readonly string[];
}

const keysWithRole = (pred: (role: string) => boolean) =>
  (Object.keys(FUNCTIONS) as FunctionKey[]).filter((k) => pred(FUNCTIONS[k].role));
/** Functions that run as AsyncProcessingLambdaRole: the API handlers and the maintenance functions. */
export const LAMBDA_ROLE_FUNCTIONS = keysWithRole((r) => r !== 'worker');
export const WORKER_FUNCTIONS = keysWithRole((r) => r === 'worker');

export class Iam extends pulumi.ComponentResource {
  readonly lambdaRoleArn: pulumi.Output<string>;
  readonly workerRoleArn: pulumi.Output<string>;
  readonly stepFunctionsRoleArn: pulumi.Output<string>;
  readonly monitoringRoleArn: pulumi.Output<string>;
  /** The inline policies: whatever needs the permissions in place depends on these. */
  readonly policies: aws.iam.RolePolicy[] = [];

  constructor(name: string, args: IamArgs, opts?: pulumi.ComponentResourceOptions) {
    super(IAM_TYPE, name, {}, opts);
    const scope = pulumi.output(args.scope);
    const at = (f: (s: AccountScope, a: ReturnType<typeof arns>, secret: string) => unknown) =>
      pulumi.all([scope, args.dbSecretArn]).apply(([s, secret]) => JSON.stringify(f(s, arns(s), secret)));
    const streams = (a: ReturnType<typeof arns>, keys: FunctionKey[]) => keys.map((k) => a.logStreams(logGroupName(FUNCTIONS[k].name)));
    const lambdaTrust = scope.apply((s) => JSON.stringify(docs.serviceTrust('lambda.amazonaws.com', s.accountId)));

    this.lambdaRoleArn = this.role(name, 'lambda', IAM_ROLES.lambda.name, IAM_ROLES.lambda.grants, lambdaTrust,
      at((_, a, secret) => docs.lambdaRolePolicy({
        logStreamArns: streams(a, LAMBDA_ROLE_FUNCTIONS), dbSecretArn: secret,
        stateMachineArn: a.stateMachine(STATE_MACHINE_NAME), executionsArn: a.executions(STATE_MACHINE_NAME),
      })));
    this.workerRoleArn = this.role(name, 'worker', WORKER_IAM_ROLE.name, WORKER_IAM_ROLE.grants, lambdaTrust,
      at((s, a, secret) => docs.workerRolePolicy({
        logStreamArns: streams(a, WORKER_FUNCTIONS), dbSecretArn: secret, modelArns: bedrockModelArns(s, args.bedrockModelId),
      })));
    this.stepFunctionsRoleArn = this.role(name, 'step-functions', IAM_ROLES.stepFunctions.name, IAM_ROLES.stepFunctions.grants,
      scope.apply((s) => JSON.stringify(docs.serviceTrust('states.amazonaws.com', s.accountId))),
      at((_, a) => docs.stepFunctionsRolePolicy({ workerArns: WORKER_FUNCTIONS.map((k) => a.lambda(FUNCTIONS[k].name)) })));
    const logGroups = [...Object.values(FUNCTIONS).map((f) => logGroupName(f.name)), ...args.extraLogGroupNames];
    this.monitoringRoleArn = this.role(name, 'monitoring', IAM_ROLES.monitoring.name, IAM_ROLES.monitoring.grants,
      scope.apply((s) => JSON.stringify(docs.principalTrust(args.monitoringPrincipalArns.length ? args.monitoringPrincipalArns : [arns(s).accountRoot()]))),
      at((_, a) => docs.monitoringRolePolicy({
        logGroupArns: logGroups.map(a.logGroup), stateMachineArn: a.stateMachine(STATE_MACHINE_NAME), executionsArn: a.executions(STATE_MACHINE_NAME),
        alarmArns: [a.alarms(alarmName('*', '*'))], dashboardArn: a.dashboard(DASHBOARD_NAME),
      })));
    this.registerOutputs({ lambdaRoleArn: this.lambdaRoleArn, stepFunctionsRoleArn: this.stepFunctionsRoleArn });
  }

  private role(
    name: string, role: string, roleName: string, grants: string,
    trust: pulumi.Input<string>, policy: pulumi.Input<string>,
  ): pulumi.Output<string> {
    const r = new aws.iam.Role(`${name}-${role}`, {
      name: roleName, description: `async-ai-pipeline: ${grants}`, assumeRolePolicy: trust,
    }, { parent: this });
    this.policies.push(new aws.iam.RolePolicy(`${name}-${role}-policy`, { role: r.id, name: roleName, policy }, { parent: this }));
    return r.arn;
  }
}
