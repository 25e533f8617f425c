/**
 * The Pulumi program of async-ai-pipeline (stacks `dev` and `prod`): one component per concern,
 * composed in the order their inputs exist. Every guide number comes from `guide/`; what differs
 * per stack comes from `Pulumi.<stack>.yaml` through `readStackConfig` (validated first).
 *
 * Exported as a function (Pulumi calls it; its result is the stack outputs) so tests and the
 * offline plan can run the program once per stack in one process.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DASHBOARD_NAME, STATE_MACHINE_NAME } from '../guide';
import { Api } from './components/api';
import { Backup } from './components/backup';
import { Budget, bedrockCostServices } from './components/budget';
import { Database, databaseLogGroupName } from './components/database';
import { DR_LOG_GROUP, DrTest } from './components/dr-test';
import { Edge } from './components/edge';
import { Functions } from './components/functions';
import { Iam } from './components/iam';
import { LogArchive } from './components/log-archive';
import { Maintenance, PATCH_LOG_GROUP } from './components/maintenance';
import { Network } from './components/network';
import { STATE_MACHINE_LOG_GROUP, Workflow } from './components/workflow';
import { readStackConfig } from './config';
import { apiAccessLogGroupName } from './specs/api-naming';
import { arns, type AccountScope } from './specs/arns';
import { bundleFunctions } from './build/bundle';
import { protectStateful } from './specs/conventions';
import { componentProvider } from './components/providers';
import { appUsesIamAuth } from './specs/lambdas';
import { readSecurityContacts } from './config/security';
import type { Observed } from './specs/observed';

export = async function main() {
  const config = readStackConfig();
  // Validated before anything is created; the runbook's security-incident procedure names them.
  const securityContacts = readSecurityContacts();
  const { stage, region } = config;
  const accountId = aws.getCallerIdentityOutput().accountId;
  const scope: pulumi.Output<AccountScope> = pulumi
    .all([accountId, aws.getPartitionOutput().partition])
    .apply(([id, partition]) => ({ accountId: id, partition, region }));

  // Every component gets its own provider (its default tags name the component) and the prod
  // protection of stateful resources (infra/specs/conventions.ts).
  const stack = pulumi.getStack();
  const conventions = (component: string): pulumi.ComponentResourceOptions => ({
    providers: { aws: componentProvider(component, stack, region, config.tags) },
    transformations: [protectStateful(stage)],
  });

  const network = new Network('network', { network: config.network, region, rdsProxy: config.database.rdsProxy }, conventions('network'));
  const database = new Database(
    'database',
    {
      stage,
      database: config.database,
      accountId,
      privateSubnetIds: network.privateSubnetIds,
      securityGroupId: network.databaseSecurityGroupId,
    },
    conventions('database'),
  );
  const iamAuth = appUsesIamAuth(config.database);
  const iam = new Iam(
    'iam',
    {
      stage,
      scope,
      bedrockModelId: config.bedrockModelId,
      database: { masterSecretArn: database.masterSecretArn, clusterResourceId: database.clusterResourceId, iamAuth },
      extraLogGroupNames: [
        STATE_MACHINE_LOG_GROUP,
        apiAccessLogGroupName(stage),
        databaseLogGroupName(stage),
        DR_LOG_GROUP,
        PATCH_LOG_GROUP,
      ],
      monitoringPrincipalArns: config.monitoringPrincipalArns,
    },
    conventions('iam'),
  );
  const functions = new Functions(
    'functions',
    {
      stage,
      config,
      bundles: bundleFunctions(),
      roleArns: iam.functionRoleArns,
      rolePolicies: iam.functionRolePolicies,
      subnetIds: network.privateSubnetIds,
      securityGroupId: network.lambdaSecurityGroupId,
      db: {
        host: database.host,
        port: database.port,
        name: database.databaseName,
        masterUser: database.masterUsername,
        masterSecretArn: database.masterSecretArn,
        iamAuth,
      },
      // Known from the guide's name: the functions need not wait for (or cycle with) the state machine.
      stateMachineArn: scope.apply((s) => arns(s).stateMachine(STATE_MACHINE_NAME)),
      migrationPrerequisites: [...database.ready, ...network.reachable],
    },
    conventions('functions'),
  );
  const fns = functions.functions;
  // The worker's ARN from its guide name (as the functions' stateMachineArn above): known at
  // preview, so the policy pack checks the definition's timeouts before anything is created.
  const worker = fns.aiGenerationWorker;
  const workerArn = scope.apply((s) => [arns(s).lambda(worker.name), ...(worker.qualifier ? [worker.qualifier] : [])].join(':'));
  const workflow = new Workflow(
    'workflow',
    {
      workerArn,
      worker: worker.resource,
      roleArn: iam.stepFunctionsRoleArn,
      rolePolicy: iam.stepFunctionsRolePolicy,
    },
    conventions('workflow'),
  );
  const api = new Api('api', { stage, api: config.api, region, functions: fns, domain: config.domain }, conventions('api'));
  const edge = new Edge(
    'edge',
    { stage, priceClass: config.priceClass, apiEndpoint: api.apiEndpoint, domain: config.domain },
    conventions('edge'),
  );
  const maintenance = new Maintenance(
    'maintenance',
    {
      stage,
      accountId,
      scope,
      cleanupFunctionArn: fns.processingCleanup.arn,
      queueMonitorFunctionArn: fns.queueMonitor.arn,
      clusterIdentifier: database.clusterIdentifier,
    },
    conventions('maintenance'),
  );
  const backup = new Backup(
    'backup',
    {
      stage,
      accountId,
      clusterArn: database.clusterArn,
      subnetGroupName: database.subnetGroupName,
      securityGroupId: network.databaseSecurityGroupId,
    },
    conventions('backup'),
  );
  const drTest = new DrTest(
    'dr-test',
    {
      stage,
      accountId,
      scope,
      database: config.database,
      // From its name, like the worker's: the DR test's definition is then known at preview.
      validationFunctionArn: scope.apply((s) => arns(s).lambda(fns.drValidation.name)),
      validationFunction: fns.drValidation.resource,
      restoreTestingPlanArn: backup.restoreTestingPlanArn,
    },
    conventions('dr-test'),
  );
  const logGroupNames = [
    ...functions.logGroupNames,
    workflow.logGroupName,
    api.accessLogGroupName,
    database.logGroupName,
    drTest.logGroupName,
    maintenance.patchLogGroupName,
  ];
  const logGroups = [
    ...functions.logGroups,
    workflow.logGroup,
    api.accessLogGroup,
    database.logGroup,
    drTest.logGroup,
    maintenance.patchLogGroup,
  ];
  const archive = new LogArchive('log-archive', { stage, accountId, logGroups, logGroupNames }, conventions('log-archive'));

  const observed: Observed = {
    stage,
    region,
    logGroupNames,
    functions: Object.fromEntries(
      Object.entries(fns).map(([k, f]) => [k, { name: f.name, arn: f.arn, logGroupName: f.logGroupName }]),
    ) as Observed['functions'],
    stateMachine: { name: workflow.stateMachineName, arn: workflow.stateMachineArn, logGroupName: workflow.logGroupName },
    api: { id: api.apiId, stageName: api.stageName, accessLogGroupName: api.accessLogGroupName },
    database: { clusterIdentifier: database.clusterIdentifier, logGroupName: database.logGroupName },
    waf: { webAclName: edge.webAclName, region: 'us-east-1' },
    cloudFront: { distributionId: edge.distributionId },
    backup: { vaultName: backup.vaultName },
  };

  // <observability>
  // PagerDuty, alert topics, Chatbot, alarms and their incident composites, metric filters, saved
  // queries and the dashboard (infra/components/observability). Imported here so this region is the
  // only change to the program. After the functions and the API: the metric filters need their log groups.
  const { Observability } = require('./components/observability') as typeof import('./components/observability');
  const { monitoredResources } = require('./specs/observed') as typeof import('./specs/observed');
  const observability = new Observability(
    'observability',
    { resources: monitoredResources(observed, config, accountId) },
    { ...conventions('observability'), dependsOn: [functions, api] },
  );
  // A budget alert is a warning (Slack and e-mail), not a page.
  const alertTopicArns: pulumi.Input<string>[] = [observability.alertTopicArns.warning];
  // </observability>

  new Budget(
    'budget',
    {
      stage,
      alertTopicArns,
      after: observability.alertTopicPolicies,
      bedrockServices: bedrockCostServices(config.bedrockModelId, config.bedrockServiceNames),
    },
    conventions('budget'),
  );

  return {
    stage,
    apiUrl: api.apiEndpoint,
    cloudFrontUrl: edge.url,
    // With a custom domain: point `domain.name` (CNAME/alias) here, and `domain.apiName` at apiDomainTarget.
    cloudFrontDomainName: edge.domainName,
    ...(api.domainTarget ? { apiDomainTarget: api.domainTarget } : {}),
    stateMachineArn: workflow.stateMachineArn,
    dashboardName: DASHBOARD_NAME,
    alertTopicArns: pulumi.all(alertTopicArns),
    criticalTopicArn: observability.alertTopicArns.critical,
    warningTopicArn: observability.alertTopicArns.warning,
    responsePlanArn: observability.responsePlanArn,
    jwtIssuer: api.issuer,
    userPoolId: api.userPoolId,
    userPoolClientId: api.userPoolClientId,
    monitoringRoleArn: iam.monitoringRoleArn,
    frontendBucketName: edge.bucketName,
    databaseClusterIdentifier: database.clusterIdentifier,
    databaseClusterArn: database.clusterArn,
    backupVaultName: backup.vaultName,
    restoreTestingPlanArn: backup.restoreTestingPlanArn,
    drTestStateMachineArn: drTest.stateMachineArn,
    logArchiveBucketName: archive.bucketName,
    webAclArn: edge.webAclArn,
    distributionId: edge.distributionId,
    securityContacts,
  };
};
