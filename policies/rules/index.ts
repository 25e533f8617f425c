/**
 * Every rule of the pack, in the order reports and the README list them: the guide's limits, then
 * the security baseline. The pack entry (policies/index.ts), the offline run and the tests all
 * read this list; nothing here starts the policy server.
 */
import { withConfigDefaults, type PackPolicy } from '../lib/pack-policy';
import { apiRoutesRequireJwt, cognitoTokenValidity, wafManagedRules, wafRateLimit } from './guide/access';
import { alarmActionsRunbook, guideAlarmsExist, savedQueriesDashboard } from './guide/alarms';
import { budgetLimit, budgetServiceLines } from './guide/budget';
import { auroraBackups, deletionProtection, logArchive, logGroupRetention } from './guide/data';
import { lambdaGuideSizes, lambdaLogGroups, lambdaProvisionedConcurrency, lambdaReservedConcurrency } from './guide/lambda';
import { lambdaLogLevel } from './guide/logging';
import { alertPaging, alertRouting } from './guide/paging';
import { backupRestoreTesting, maintenanceWindows } from './guide/schedules';
import { stateMachineStandard, stateMachineTimeoutsLogging } from './guide/workflow';
import { apiAccessLogging, apiCustomDomain, apiStageSettings } from './security/api';
import { cognitoMfa } from './security/cognito';
import { auroraTlsIamLogs, rdsProxyTls } from './security/database';
import { cloudfrontApiUncached, cloudfrontCustomCertificate, cloudfrontHttpsTls, cloudfrontWaf } from './security/edge';
import { auroraEncrypted, kmsKeyRotation, logGroupEncryption, s3Encryption, snsEncrypted } from './security/encryption';
import { iamNoAdminPolicies, iamNoWildcardActions, iamNoWildcardResources, iamTrustPolicies } from './security/iam';
import { lambdaEnvNoSecrets, lambdaRuntimeSupported } from './security/lambda';
import { databaseNotPublic, noWorldIngress } from './security/network';
import { lambdaXrayTracing, stepFunctionsXray } from './security/observability';
import { protectStateful } from './security/protect';
import { lambdaNotPublic, s3NotPublic, snsTopicNotPublic } from './security/resource-policies';
import { secretsRotation } from './security/secrets';

export const PACK = {
  name: 'async-ai-pipeline',
  description: 'The operations guide\'s limits and the security baseline of async-ai-pipeline (README.md, "Policy checks").',
} as const;

export const POLICIES: readonly PackPolicy[] = (
  [
    // The guide's limits.
    lambdaGuideSizes,
    lambdaReservedConcurrency,
    lambdaProvisionedConcurrency,
    lambdaLogGroups,
    lambdaLogLevel,
    logGroupRetention,
    logArchive,
    auroraBackups,
    backupRestoreTesting,
    maintenanceWindows,
    stateMachineTimeoutsLogging,
    stateMachineStandard,
    apiRoutesRequireJwt,
    cognitoTokenValidity,
    wafRateLimit,
    wafManagedRules,
    budgetLimit,
    budgetServiceLines,
    alarmActionsRunbook,
    guideAlarmsExist,
    alertRouting,
    alertPaging,
    savedQueriesDashboard,
    deletionProtection,
    // The security baseline.
    auroraEncrypted,
    auroraTlsIamLogs,
    rdsProxyTls,
    snsEncrypted,
    kmsKeyRotation,
    logGroupEncryption,
    s3Encryption,
    s3NotPublic,
    snsTopicNotPublic,
    lambdaNotPublic,
    lambdaEnvNoSecrets,
    lambdaRuntimeSupported,
    databaseNotPublic,
    noWorldIngress,
    iamNoWildcardActions,
    iamNoWildcardResources,
    iamNoAdminPolicies,
    iamTrustPolicies,
    cloudfrontHttpsTls,
    cloudfrontCustomCertificate,
    cloudfrontWaf,
    cloudfrontApiUncached,
    apiAccessLogging,
    apiStageSettings,
    apiCustomDomain,
    cognitoMfa,
    lambdaXrayTracing,
    stepFunctionsXray,
    secretsRotation,
    protectStateful,
  ] as PackPolicy[]
).map(withConfigDefaults);

export const policyNamed = (name: string): PackPolicy => {
  const p = POLICIES.find((x) => x.name === name);
  if (!p) throw new Error(`No policy named ${name} in the pack`);
  return p;
};
