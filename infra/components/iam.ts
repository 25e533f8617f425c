/**
 * IAM (セキュリティ管理 → IAMロール): AsyncProcessingLambdaRole, StepFunctionsRole, MonitoringRole,
 * plus AIGenerationWorkerRole so that only the worker may call Bedrock, and
 * AsyncProcessingDbAdminRole so that only DbMigrate and ProcessingCleanup may read the database's
 * master secret (the others sign in as aip_app with IAM). Each role's inline policy comes from
 * `lib/iam.ts`; resources are named by ARN (the guide fixes the names), not `*`.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  DASHBOARD_NAME,
  DB_ADMIN_IAM_ROLE,
  DR_VALIDATION_IAM_ROLE,
  FUNCTIONS,
  IAM_ROLES,
  INFRA,
  STATE_MACHINE_NAME,
  WORKER_IAM_ROLE,
  logGroupName,
  type FunctionKey,
} from '../../guide';
import { arns, bedrockModelArns, type AccountScope } from '../specs/arns';
import { describeRestoreJobStatement } from '../specs/dr';
import { roleKindOf, type RoleKind } from '../specs/lambdas';
import * as docs from '../specs/policy-documents';
import { alarmName } from '../../observability/monitored-resources';

export const IAM_TYPE = 'async-ai-pipeline:infra:Iam';

export interface IamArgs {
  /** The stack: MonitoringRole reads its alarms (`AsyncProcessing-<stage>-*`). */
  readonly stage: string;
  readonly scope: pulumi.Input<AccountScope>;
  readonly bedrockModelId: string;
  readonly database: {
    readonly masterSecretArn: pulumi.Input<string>;
    /** The cluster's resource id (`cluster-…`): rds-db:connect names the user under it. */
    readonly clusterResourceId: pulumi.Input<string>;
    /** Whether the API handlers, queue monitor and worker sign in as aip_app with IAM (else with the master secret). */
    readonly iamAuth: boolean;
  };
  /** Log groups MonitoringRole may read besides the functions' (state machine, API access logs). */
  readonly extraLogGroupNames: readonly string[];
  /** Who may assume MonitoringRole; empty = this account's root (its IAM admins decide). */
  readonly monitoringPrincipalArns: readonly string[];
}

const functionsOf = (kind: RoleKind) => (Object.keys(FUNCTIONS) as FunctionKey[]).filter((k) => roleKindOf(k) === kind);
/** Functions that run as AsyncProcessingLambdaRole: the API handlers and the queue monitor. */
export const LAMBDA_ROLE_FUNCTIONS = functionsOf('lambda');
export const WORKER_FUNCTIONS = functionsOf('worker');
export const DB_ADMIN_FUNCTIONS = functionsOf('dbAdmin');
export const DR_VALIDATION_FUNCTIONS = functionsOf('drValidation');

interface DatabaseIds {
  readonly secret: string;
  readonly resourceId: string;
}

export class Iam extends pulumi.ComponentResource {
  /** The role of each kind of function (`roleKindOf`). */
  readonly functionRoleArns: Record<RoleKind, pulumi.Output<string>>;
  readonly stepFunctionsRoleArn: pulumi.Output<string>;
  readonly monitoringRoleArn: pulumi.Output<string>;
  /** The inline policies: whatever needs the permissions in place depends on these. */
  readonly policies: aws.iam.RolePolicy[] = [];
  /** The inline policy of each function role: a function is created after its role's permissions. */
  readonly functionRolePolicies: Record<RoleKind, aws.iam.RolePolicy>;
  /** StepFunctionsRole's policy: Step Functions checks log delivery permissions when it creates the machine. */
  readonly stepFunctionsRolePolicy: aws.iam.RolePolicy;

  constructor(name: string, args: IamArgs, opts?: pulumi.ComponentResourceOptions) {
    super(IAM_TYPE, name, {}, opts);
    const scope = pulumi.output(args.scope);
    const at = (f: (s: AccountScope, a: ReturnType<typeof arns>, db: DatabaseIds) => unknown) =>
      pulumi
        .all([scope, args.database.masterSecretArn, args.database.clusterResourceId])
        .apply(([s, secret, resourceId]) => JSON.stringify(f(s, arns(s), { secret, resourceId })));
    // Documents that name no database id depend on the account only: known at preview, so the
    // policy pack checks them then (the database's ids exist only once it does).
    const inAccount = (f: (s: AccountScope, a: ReturnType<typeof arns>) => unknown) => scope.apply((s) => JSON.stringify(f(s, arns(s))));
    const streams = (a: ReturnType<typeof arns>, keys: FunctionKey[]) => keys.map((k) => a.logStreams(logGroupName(FUNCTIONS[k].name)));
    const lambdaTrust = scope.apply((s) => JSON.stringify(docs.serviceTrust('lambda.amazonaws.com', s.accountId)));
    // The traffic and queue-monitor roles: aip_app on this cluster only, or the secret (`appUsesIamAuth`).
    const appSignIn = (a: ReturnType<typeof arns>, db: DatabaseIds): docs.DatabaseSignIn =>
      args.database.iamAuth ? { dbUserArn: a.dbUser(db.resourceId, INFRA.database.appUsername) } : { masterSecretArn: db.secret };

    const lambda = this.role(
      name,
      'lambda',
      IAM_ROLES.lambda.name,
      IAM_ROLES.lambda.grants,
      lambdaTrust,
      at((_, a, db) =>
        docs.lambdaRolePolicy({
          logStreamArns: streams(a, LAMBDA_ROLE_FUNCTIONS),
          database: appSignIn(a, db),
          stateMachineArn: a.stateMachine(STATE_MACHINE_NAME),
          executionsArn: a.executions(STATE_MACHINE_NAME),
        }),
      ),
    );
    const worker = this.role(
      name,
      'worker',
      WORKER_IAM_ROLE.name,
      WORKER_IAM_ROLE.grants,
      lambdaTrust,
      at((s, a, db) =>
        docs.workerRolePolicy({
          logStreamArns: streams(a, WORKER_FUNCTIONS),
          database: appSignIn(a, db),
          modelArns: bedrockModelArns(s, args.bedrockModelId),
        }),
      ),
    );
    const dbAdmin = this.role(
      name,
      'db-admin',
      DB_ADMIN_IAM_ROLE.name,
      DB_ADMIN_IAM_ROLE.grants,
      lambdaTrust,
      at((_, a, db) => docs.dbAdminRolePolicy({ logStreamArns: streams(a, DB_ADMIN_FUNCTIONS), masterSecretArn: db.secret })),
    );
    const dr = this.role(
      name,
      'dr-validation',
      DR_VALIDATION_IAM_ROLE.name,
      DR_VALIDATION_IAM_ROLE.grants,
      lambdaTrust,
      at((_, a, db) => {
        const base = docs.dbAdminRolePolicy({ logStreamArns: streams(a, DR_VALIDATION_FUNCTIONS), masterSecretArn: db.secret });
        return { ...base, Statement: [...base.Statement, describeRestoreJobStatement()] };
      }),
    );
    this.functionRoleArns = { lambda: lambda.arn, worker: worker.arn, dbAdmin: dbAdmin.arn, drValidation: dr.arn };
    this.functionRolePolicies = { lambda: lambda.policy, worker: worker.policy, dbAdmin: dbAdmin.policy, drValidation: dr.policy };
    const stepFunctions = this.role(
      name,
      'step-functions',
      IAM_ROLES.stepFunctions.name,
      IAM_ROLES.stepFunctions.grants,
      scope.apply((s) => JSON.stringify(docs.serviceTrust('states.amazonaws.com', s.accountId))),
      inAccount((_, a) => docs.stepFunctionsRolePolicy({ workerArns: WORKER_FUNCTIONS.map((k) => a.lambda(FUNCTIONS[k].name)) })),
    );
    this.stepFunctionsRoleArn = stepFunctions.arn;
    this.stepFunctionsRolePolicy = stepFunctions.policy;
    const logGroups = [...Object.values(FUNCTIONS).map((f) => logGroupName(f.name)), ...args.extraLogGroupNames];
    this.monitoringRoleArn = this.role(
      name,
      'monitoring',
      IAM_ROLES.monitoring.name,
      IAM_ROLES.monitoring.grants,
      scope.apply((s) =>
        JSON.stringify(docs.principalTrust(args.monitoringPrincipalArns.length ? args.monitoringPrincipalArns : [arns(s).accountRoot()])),
      ),
      inAccount((_, a) =>
        docs.monitoringRolePolicy({
          logGroupArns: logGroups.map(a.logGroup),
          stateMachineArn: a.stateMachine(STATE_MACHINE_NAME),
          executionsArn: a.executions(STATE_MACHINE_NAME),
          // This stack's alarms: a name prefix, no wildcard inside a name.
          alarmArns: [a.alarms(alarmName(args.stage, '*'))],
          dashboardArn: a.dashboard(DASHBOARD_NAME),
        }),
      ),
    ).arn;
    this.registerOutputs({ ...this.functionRoleArns, stepFunctionsRoleArn: this.stepFunctionsRoleArn });
  }

  private role(
    name: string,
    role: string,
    roleName: string,
    grants: string,
    trust: pulumi.Input<string>,
    policy: pulumi.Input<string>,
  ): { arn: pulumi.Output<string>; policy: aws.iam.RolePolicy } {
    const r = new aws.iam.Role(
      `${name}-${role}`,
      {
        name: roleName,
        description: `async-ai-pipeline: ${grants}`,
        assumeRolePolicy: trust,
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(`${name}-${role}-policy`, { role: r.id, name: roleName, policy }, { parent: this });
    this.policies.push(rolePolicy);
    return { arn: r.arn, policy: rolePolicy };
  }
}
