/**
 * Every rule of the pack, in the order reports and the README list them: the guide's limits, then
 * the security baseline. The pack entry (policies/index.ts), the offline run and the tests all
 * read this list; nothing here starts the policy server.
 */
import type { PackPolicy } from '../lib/pack-policy';
import { apiRoutesRequireJwt, wafRateLimit } from './guide/access';
import { alarmActionsRunbook, budgetLimit, guideAlarmsExist } from './guide/alarms';
import { auroraBackups, deletionProtection, logGroupRetention } from './guide/data';
import { lambdaGuideSizes, lambdaLogGroups, lambdaProvisionedConcurrency, lambdaReservedConcurrency } from './guide/lambda';
import { stateMachineTimeoutsLogging } from './guide/workflow';
import { auroraEncrypted, logGroupEncryption, s3Encryption, snsEncrypted } from './security/encryption';
import { iamNoAdminPolicies, iamNoWildcardActions, iamNoWildcardResources } from './security/iam';
import { apiAccessLogging, cloudfrontCustomCertificate, cloudfrontHttpsTls, cloudfrontWaf, databaseNotPublic } from './security/network';
import { lambdaXrayTracing, stepFunctionsXray } from './security/observability';
import { secretsRotation } from './security/secrets';

export const PACK = {
  name: 'async-ai-pipeline',
  description: 'The operations guide\'s limits and the security baseline of async-ai-pipeline (README.md, "Policy checks").',
} as const;

export const POLICIES: readonly PackPolicy[] = [
  lambdaGuideSizes,
  lambdaReservedConcurrency,
  lambdaProvisionedConcurrency,
  lambdaLogGroups,
  logGroupRetention,
  auroraBackups,
  stateMachineTimeoutsLogging,
  apiRoutesRequireJwt,
  wafRateLimit,
  budgetLimit,
  alarmActionsRunbook,
  guideAlarmsExist,
  deletionProtection,
  auroraEncrypted,
  snsEncrypted,
  logGroupEncryption,
  s3Encryption,
  databaseNotPublic,
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamNoAdminPolicies,
  cloudfrontHttpsTls,
  cloudfrontCustomCertificate,
  cloudfrontWaf,
  apiAccessLogging,
  lambdaXrayTracing,
  stepFunctionsXray,
  secretsRotation,
];

export const policyNamed = (name: string): PackPolicy => {
  const p = POLICIES.find((x) => x.name === name);
  if (!p) throw new Error(`No policy named ${name} in the pack`);
  return p;
};
