/**
 * The monitored resources of each stack for the reviewed artefacts: everything the stack's config
 * decides (region, model, reserved concurrency, database capacity) from `Pulumi.<stack>.yaml`,
 * and `${Name}` placeholders for what AWS assigns at deploy time.
 */
import { parseStackConfig, STAGES } from '../infra/config/stack';
import { rawStackConfig } from '../infra/config/stack-file';
import { apiAccessLogGroupName } from '../infra/specs/api-naming';
import { lambdaSpecs } from '../infra/specs/lambdas';
import { parseAlertingSettings, type AlertingSettings } from '../infra/config/alerting';
import { parseSecurityContacts, type SecurityContacts } from '../infra/config/security';
import {
  auroraMaxConnections,
  CLOUDFRONT_REGION,
  DEPLOY_TIME,
  monitoredFunctions,
  type MonitoredResources,
} from '../observability/monitored-resources';

export const STACKS = STAGES;
export { REPO_ROOT as ROOT } from '../infra/build/bundle';

export function reviewResources(stack: string, raw = rawStackConfig(stack)): MonitoredResources {
  const config = parseStackConfig(raw, stack);
  return {
    stack,
    region: config.region,
    accountId: DEPLOY_TIME.accountId,
    functions: monitoredFunctions(lambdaSpecs(config.functions)),
    stateMachineArn: DEPLOY_TIME.stateMachineArn,
    api: { id: DEPLOY_TIME.apiId, stage: DEPLOY_TIME.apiStage, accessLogGroupName: apiAccessLogGroupName(config.stage) },
    waf: { webAclName: DEPLOY_TIME.webAclName, region: CLOUDFRONT_REGION },
    cloudFront: { distributionId: DEPLOY_TIME.distributionId },
    lambdaConcurrencyQuota: config.functions.accountConcurrencyQuota,
    database: { clusterIdentifier: DEPLOY_TIME.dbClusterIdentifier, maxConnections: auroraMaxConnections(config.database.maxCapacity) },
    bedrockModelId: config.bedrockModelId,
    backupVaultName: DEPLOY_TIME.backupVaultName,
  };
}

/** The reviewed artefacts deploy nothing: a stack's unset alerting values show as the placeholders. */
export const reviewSettings = (stack: string, raw = rawStackConfig(stack)): AlertingSettings =>
  parseAlertingSettings(raw, { placeholders: true });

/** The stack's security-incident contacts (its config, else the guide's placeholders). */
export const reviewContacts = (stack: string, raw = rawStackConfig(stack)): SecurityContacts => parseSecurityContacts(raw);
