/**
 * Functions: every Lambda of the guide's FUNCTIONS from its esbuild bundle, nodejs22.x, with the
 * guide's memory/timeout, reserved concurrency from the stack (within the guide's limits), X-Ray,
 * and its log group `/aws/lambda/<name>` created first with 30-day retention (データ保持ポリシー).
 * Deploying runs the database migrations through the db-migrate function.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { RETENTION, logGroupName, type FunctionKey } from '../../guide';
import type { Stage, StackConfig } from '../config';
import type { Bundles } from '../build/bundle';
import {
  LAMBDA_ARCHITECTURE,
  LAMBDA_RUNTIME,
  LIVE_ALIAS,
  environmentFor,
  lambdaSpecs as planFunctions,
  type DatabaseAccess,
  type LambdaSpec as FunctionPlan,
  type RoleKind,
} from '../specs/lambdas';
import { tracingAdditions } from '../specs/tracing';

export const FUNCTIONS_TYPE = 'async-ai-pipeline:infra:Functions';

export interface FunctionsArgs {
  readonly stage: Stage;
  readonly config: Pick<StackConfig, 'functions' | 'bedrockModelId' | 'tracing' | 'region'>;
  readonly bundles: Bundles;
  /** The role each kind of function runs as (`roleKindOf`). */
  readonly roleArns: Record<RoleKind, pulumi.Input<string>>;
  /**
   * Each role's permissions: Lambda checks at creation that a VPC function's role may manage
   * network interfaces, so a function is created after its role's policy, not just its role.
   */
  readonly rolePolicies: Record<RoleKind, pulumi.Resource>;
  readonly subnetIds: pulumi.Input<string[]>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly db: DatabaseAccess<pulumi.Input<string>>;
  readonly stateMachineArn: pulumi.Input<string>;
  /**
   * The migration run connects to the database and reads its secret, so it waits for the database
   * (instances, proxy target) and for the network path (security-group rules, NAT routes, endpoints).
   */
  readonly migrationPrerequisites: pulumi.Resource[];
}

export interface DeployedFunction {
  readonly plan: FunctionPlan;
  readonly name: string;
  readonly arn: pulumi.Output<string>;
  /** What API Gateway and Step Functions call: the `live` alias when provisioned, else the function. */
  readonly targetArn: pulumi.Output<string>;
  readonly invokeArn: pulumi.Output<string>;
  /** Set when the target is the alias; Lambda permissions must name it. */
  readonly qualifier?: string;
  readonly logGroupName: string;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly resource: aws.lambda.Function;
}

export class Functions extends pulumi.ComponentResource {
  readonly functions = {} as Record<FunctionKey, DeployedFunction>;
  readonly logGroupNames: string[] = [];
  readonly logGroups: aws.cloudwatch.LogGroup[] = [];

  constructor(name: string, args: FunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(FUNCTIONS_TYPE, name, {}, opts);
    // The migration runs before the other functions change, so a new version never meets an old
    // schema (e.g. signing in as a role a pending migration creates).
    const plans = planFunctions(args.config.functions);
    const migrating = plans.filter((p) => p.key === 'dbMigrate');
    for (const plan of migrating) this.add(name, plan, args, []);
    const migrated = this.runMigrations(name, args);
    for (const plan of plans) if (plan.key !== 'dbMigrate') this.add(name, plan, args, [migrated]);
    this.registerOutputs({ functionNames: Object.values(this.functions).map((f) => f.name) });
  }

  private add(name: string, plan: FunctionPlan, args: FunctionsArgs, after: pulumi.Resource[]): void {
    this.functions[plan.key] = this.createFunction(name, plan, args, after);
    this.logGroupNames.push(this.functions[plan.key].logGroupName);
    this.logGroups.push(this.functions[plan.key].logGroup);
  }

  private createFunction(name: string, plan: FunctionPlan, args: FunctionsArgs, after: pulumi.Resource[]): DeployedFunction {
    const fnName = plan.spec.name;
    const slug = `${name}-${fnName}`;
    const logs = new aws.cloudwatch.LogGroup(
      `${slug}-logs`,
      {
        name: logGroupName(fnName),
        retentionInDays: RETENTION.logsDays,
      },
      { parent: this },
    );
    const provisioned = plan.provisionedConcurrency > 0;
    // Off (the default): neither layer nor variable, the OpenTelemetry API stays a no-op.
    const otel = tracingAdditions(args.config.tracing, args.config.region);
    const fn = new aws.lambda.Function(
      slug,
      {
        name: fnName,
        description: `${plan.spec.component} (async-ai-pipeline)`,
        runtime: LAMBDA_RUNTIME,
        architectures: [LAMBDA_ARCHITECTURE],
        handler: 'index.handler',
        code: new pulumi.asset.FileArchive(args.bundles.dirs[plan.key]),
        memorySize: plan.memoryMb,
        timeout: plan.timeoutSeconds,
        reservedConcurrentExecutions: plan.reservedConcurrency,
        role: args.roleArns[plan.roleKind],
        vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
        tracingConfig: { mode: 'Active' },
        ...(otel.layers.length > 0 ? { layers: otel.layers } : {}),
        // Text: Powertools already writes the guide's JSON lines; Lambda's JSON mode would wrap them.
        loggingConfig: { logFormat: 'Text', logGroup: logs.name },
        environment: {
          variables: {
            ...environmentFor<pulumi.Input<string>>(plan, {
              stage: args.stage,
              bedrockModelId: args.config.bedrockModelId,
              db: args.db,
              stateMachineArn: args.stateMachineArn,
            }),
            ...otel.environment,
          },
        },
        // A version per deploy only where an alias must point at one.
        publish: provisioned,
      },
      { parent: this, dependsOn: [logs, args.rolePolicies[plan.roleKind], ...after] },
    );

    const deployed = { plan, name: fnName, arn: fn.arn, logGroupName: logGroupName(fnName), logGroup: logs, resource: fn };
    if (!provisioned) return { ...deployed, targetArn: fn.arn, invokeArn: fn.invokeArn };
    const alias = new aws.lambda.Alias(
      `${slug}-${LIVE_ALIAS}`,
      {
        name: LIVE_ALIAS,
        functionName: fn.name,
        functionVersion: fn.version,
      },
      { parent: this },
    );
    new aws.lambda.ProvisionedConcurrencyConfig(
      `${slug}-provisioned`,
      {
        functionName: fn.name,
        qualifier: alias.name,
        provisionedConcurrentExecutions: plan.provisionedConcurrency,
      },
      { parent: this },
    );
    return { ...deployed, targetArn: alias.arn, invokeArn: alias.invokeArn, qualifier: LIVE_ALIAS };
  }

  /** Runs `functions/migrations/*.sql` on deploy, again whenever the migration files change. */
  private runMigrations(name: string, args: FunctionsArgs): aws.lambda.Invocation {
    const migrate = this.functions.dbMigrate;
    return new aws.lambda.Invocation(
      `${name}-db-migrate-run`,
      {
        functionName: migrate.resource.name,
        input: JSON.stringify({ action: 'migrate' }),
        triggers: { migrations: args.bundles.migrationsHash },
      },
      { parent: this, dependsOn: [...args.migrationPrerequisites] },
    );
  }
}
