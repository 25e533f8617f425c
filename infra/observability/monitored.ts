/**
 * From what the program deployed (`Observed`, built in infra/index.ts) to what observability
 * watches. Timeouts and reserved concurrency come from the same plan the functions component used.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { FunctionKey } from '../../guide';
import type { StackConfig } from '../config/stack';
import { lambdaSpecs } from '../specs/lambdas';
import type { Observed } from '../observed';
import { auroraMaxConnections, monitoredFunctions, type MonitoredResources } from './plan/resources';

export function monitoredResources(observed: Observed, config: StackConfig, accountId: pulumi.Input<string>): MonitoredResources<pulumi.Input<string>> {
  const names = Object.fromEntries(Object.entries(observed.functions).map(([k, f]) => [k, f.name])) as Record<FunctionKey, string>;
  return {
    stack: observed.stage,
    region: observed.region,
    accountId,
    functions: monitoredFunctions(lambdaSpecs(config.functions), names),
    stateMachineArn: observed.stateMachine.arn,
    api: { id: observed.api.id, stage: observed.api.stageName, accessLogGroupName: observed.api.accessLogGroupName },
    waf: { webAclName: observed.waf.webAclName, region: observed.waf.region },
    database: { clusterIdentifier: observed.database.clusterIdentifier, maxConnections: auroraMaxConnections(config.database.maxCapacity) },
    bedrockModelId: config.bedrockModelId,
    backupVaultName: observed.backup.vaultName,
  };
}
