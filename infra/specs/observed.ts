/**
 * What observability (alarms, topics, dashboard) needs to know about the pipeline's deployed
 * resources, in one typed object built by `infra/index.ts`, and how it becomes the observability
 * model's MonitoredResources. Timeouts and reserved concurrency come from the same Lambda specs the
 * functions component deploys.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { FunctionKey } from '../../guide';
import { auroraMaxConnections, monitoredFunctions, type MonitoredResources } from '../../observability/monitored-resources';
import type { Stage, StackConfig } from '../config/stack';
import { lambdaSpecs } from './lambdas';

export interface ObservedFunction {
  readonly name: string;
  readonly arn: pulumi.Output<string>;
  readonly logGroupName: string;
}

export interface Observed {
  readonly stage: Stage;
  readonly region: string;
  readonly functions: Readonly<Record<FunctionKey, ObservedFunction>>;
  readonly stateMachine: { readonly name: string; readonly arn: pulumi.Output<string>; readonly logGroupName: string };
  readonly api: { readonly id: pulumi.Output<string>; readonly stageName: string; readonly accessLogGroupName: string };
  readonly database: { readonly clusterIdentifier: pulumi.Output<string>; readonly logGroupName: string };
  /** The CloudFront-scoped web ACL lives, and reports its metrics, in us-east-1. */
  readonly waf: { readonly webAclName: pulumi.Output<string>; readonly region: 'us-east-1' };
  readonly cloudFront: { readonly distributionId: pulumi.Output<string> };
  readonly backup: { readonly vaultName: pulumi.Output<string> };
  /** Every log group the program creates (the saved Logs Insights queries can target these). */
  readonly logGroupNames: readonly string[];
}

export function monitoredResources(
  observed: Observed,
  config: StackConfig,
  accountId: pulumi.Input<string>,
): MonitoredResources<pulumi.Input<string>> {
  const names = Object.fromEntries(Object.entries(observed.functions).map(([k, f]) => [k, f.name])) as Record<FunctionKey, string>;
  return {
    stack: observed.stage,
    region: observed.region,
    accountId,
    functions: monitoredFunctions(lambdaSpecs(config.functions), names),
    stateMachineArn: observed.stateMachine.arn,
    api: { id: observed.api.id, stage: observed.api.stageName, accessLogGroupName: observed.api.accessLogGroupName },
    waf: { webAclName: observed.waf.webAclName, region: observed.waf.region },
    cloudFront: { distributionId: observed.cloudFront.distributionId },
    lambdaConcurrencyQuota: config.functions.accountConcurrencyQuota,
    database: { clusterIdentifier: observed.database.clusterIdentifier, maxConnections: auroraMaxConnections(config.database.maxCapacity) },
    bedrockModelId: config.bedrockModelId,
    backupVaultName: observed.backup.vaultName,
  };
}
