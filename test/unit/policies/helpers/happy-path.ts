/**
 * Valid resources, one factory per type the rules check (`getHappyPathArgs()` in pulumi-policy-aws'
 * words): every rule passes them, and each test changes one property to make one rule fail.
 * Numbers come from the guide, as the program's own do. Values the program computes from other
 * resources (ARNs, ids) are `computed(...)`: unknown when the harness runs a check as at preview.
 */
import {
  AUTH,
  BACKUP,
  BUDGET,
  DESIGN,
  FUNCTIONS,
  INFRA,
  LOG_LEVELS,
  MAINTENANCE,
  MAINTENANCE_EVENTS,
  METRIC_DIMENSIONS,
  METRIC_NAMESPACE,
  RETENTION,
  TIMEZONE,
  logGroupName,
  type FunctionKey,
} from '../../../../guide';
import { rdsWindows, weeklyCron, windowMinutes } from '../../../../infra/specs/schedules';
import { computed, resource } from './policy-harness';

export const T = {
  function: 'aws:lambda/function:Function',
  provisioned: 'aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  cluster: 'aws:rds/cluster:Cluster',
  clusterInstance: 'aws:rds/clusterInstance:ClusterInstance',
  backupPlan: 'aws:backup/plan:Plan',
  vault: 'aws:backup/vault:Vault',
  userPool: 'aws:cognito/userPool:UserPool',
  bucket: 'aws:s3/bucket:Bucket',
  sse: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  stateMachine: 'aws:sfn/stateMachine:StateMachine',
  route: 'aws:apigatewayv2/route:Route',
  authorizer: 'aws:apigatewayv2/authorizer:Authorizer',
  stage: 'aws:apigatewayv2/stage:Stage',
  restStage: 'aws:apigateway/stage:Stage',
  webAcl: 'aws:wafv2/webAcl:WebAcl',
  distribution: 'aws:cloudfront/distribution:Distribution',
  budget: 'aws:budgets/budget:Budget',
  metricAlarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  compositeAlarm: 'aws:cloudwatch/compositeAlarm:CompositeAlarm',
  topic: 'aws:sns/topic:Topic',
  ingressRule: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  sgRule: 'aws:ec2/securityGroupRule:SecurityGroupRule',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  role: 'aws:iam/role:Role',
  attachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  secret: 'aws:secretsmanager/secret:Secret',
  rotation: 'aws:secretsmanager/secretRotation:SecretRotation',
  userPoolClient: 'aws:cognito/userPoolClient:UserPoolClient',
  schedule: 'aws:scheduler/schedule:Schedule',
  restoreTestingPlan: 'aws:backup/restoreTestingPlan:RestoreTestingPlan',
  restoreTestingSelection: 'aws:backup/restoreTestingSelection:RestoreTestingSelection',
  backupSelection: 'aws:backup/selection:Selection',
  subscription: 'aws:sns/topicSubscription:TopicSubscription',
  topicPolicy: 'aws:sns/topicPolicy:TopicPolicy',
  kmsKey: 'aws:kms/key:Key',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  publicAccessBlock: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  bucketAcl: 'aws:s3/bucketAcl:BucketAcl',
  functionUrl: 'aws:lambda/functionUrl:FunctionUrl',
  permission: 'aws:lambda/permission:Permission',
  securityGroup: 'aws:ec2/securityGroup:SecurityGroup',
  parameterGroup: 'aws:rds/clusterParameterGroup:ClusterParameterGroup',
  proxy: 'aws:rds/proxy:Proxy',
  api: 'aws:apigatewayv2/api:Api',
  apiDomain: 'aws:apigatewayv2/domainName:DomainName',
  apiMapping: 'aws:apigatewayv2/apiMapping:ApiMapping',
  slack: 'aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration',
  query: 'aws:cloudwatch/queryDefinition:QueryDefinition',
  dashboard: 'aws:cloudwatch/dashboard:Dashboard',
  subscriptionFilter: 'aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter',
  firehose: 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream',
  lifecycle: 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
} as const;

export const ACCOUNT = '111122223333';
const ARN = `arn:aws:logs:ap-northeast-1:${ACCOUNT}`;
export const TOPIC = `arn:aws:sns:ap-northeast-1:${ACCOUNT}:alerts`;

export const lambdaFunction = (key: FunctionKey = 'asyncProcessingHandler') => {
  const spec = FUNCTIONS[key];
  const reserved = 'reservedConcurrency' in spec ? { reservedConcurrentExecutions: spec.reservedConcurrency.current } : {};
  return {
    name: spec.name,
    memorySize: spec.memoryMb,
    timeout: spec.timeoutSeconds,
    ...reserved,
    runtime: INFRA.lambda.runtime,
    tracingConfig: { mode: 'Active' },
    loggingConfig: { logFormat: 'Text', logGroup: logGroupName(spec.name) },
    environment: {
      variables: {
        LOG_LEVEL: LOG_LEVELS.prod,
        DB_HOST: computed('db.cluster-x.ap-northeast-1.rds.amazonaws.com'),
        DB_USER: INFRA.database.appUsername,
        DB_SECRET_ARN: computed(`arn:aws:secretsmanager:ap-northeast-1:${ACCOUNT}:secret:rds!cluster-1-AbCdEf`),
      },
    },
  };
};

export const logGroup = (name = logGroupName(FUNCTIONS.asyncProcessingHandler.name)) => ({ name, retentionInDays: RETENTION.logsDays });

export const cluster = () => ({
  clusterIdentifier: 'async-ai-pipeline-prod',
  storageEncrypted: true,
  manageMasterUserPassword: true,
  backupRetentionPeriod: 7,
  preferredBackupWindow: '18:00-18:30',
  deletionProtection: true,
  skipFinalSnapshot: false,
  preferredMaintenanceWindow: rdsWindows().maintenance,
  iamDatabaseAuthenticationEnabled: true,
  enabledCloudwatchLogsExports: ['postgresql'],
  dbClusterParameterGroupName: 'aip-params',
  arn: computed(`arn:aws:rds:ap-northeast-1:${ACCOUNT}:cluster:async-ai-pipeline-prod`),
});

export const backupPlan = () => ({
  name: 'daily',
  rules: [
    { ruleName: 'daily-0300-jst', schedule: 'cron(0 3 * * ? *)', scheduleExpressionTimezone: 'Asia/Tokyo', lifecycle: { deleteAfter: 7 } },
  ],
});

const { stepTimeoutSeconds, workflowTimeoutSeconds } = DESIGN.workflow;

export const stateMachine = () => ({
  name: 'AIGenerationStateMachine',
  type: 'STANDARD',
  loggingConfiguration: {
    level: 'ALL',
    includeExecutionData: true,
    logDestination: computed(`${ARN}:log-group:/aws/vendedlogs/states/x:*`),
  },
  tracingConfiguration: { enabled: true },
  definition: JSON.stringify({
    StartAt: 'Generate',
    TimeoutSeconds: workflowTimeoutSeconds,
    States: {
      Generate: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: stepTimeoutSeconds, Next: 'Fan' },
      Fan: {
        Type: 'Parallel',
        End: true,
        Branches: [{ StartAt: 'Save', States: { Save: { Type: 'Task', TimeoutSeconds: stepTimeoutSeconds, End: true } } }],
      },
    },
  }),
});

export const route = () => ({ routeKey: 'POST /v1/processes', authorizationType: 'JWT', authorizerId: computed('auth-1') });
export const authorizer = () => ({
  name: 'jwt',
  authorizerType: 'JWT',
  identitySources: ['$request.header.Authorization'],
  jwtConfiguration: { issuer: computed('https://cognito-idp.ap-northeast-1.amazonaws.com/pool-1'), audiences: [computed('client-1')] },
});
export const httpStage = () => ({
  name: '$default',
  accessLogSettings: { destinationArn: computed(`${ARN}:log-group:/aws/apigateway/x`), format: '{"requestId":"$context.requestId"}' },
  defaultRouteSettings: { throttlingRateLimit: 100, throttlingBurstLimit: 200, detailedMetricsEnabled: true },
});

export const perUserRule = () => ({
  name: 'per-user-rate-limit',
  priority: 0,
  action: { block: {} },
  statement: {
    rateBasedStatement: {
      limit: AUTH.rateLimit.requests,
      evaluationWindowSec: AUTH.rateLimit.windowSeconds,
      aggregateKeyType: 'CUSTOM_KEYS',
      customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
    },
  },
});
const managedGroup = (priority: number, name: string) => ({
  name: `aws-${name}`,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
});
export const webAcl = () => ({
  name: 'edge',
  scope: 'CLOUDFRONT',
  defaultAction: { allow: {} },
  rules: [perUserRule(), managedGroup(2, 'AWSManagedRulesCommonRuleSet'), managedGroup(3, 'AWSManagedRulesKnownBadInputsRuleSet')],
});

export const distribution = () => ({
  webAclId: computed(`arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/edge/1`),
  defaultCacheBehavior: { targetOriginId: 'frontend', viewerProtocolPolicy: 'redirect-to-https' },
  orderedCacheBehaviors: [{ pathPattern: '/v1/*', targetOriginId: 'api', viewerProtocolPolicy: 'https-only' }],
  origins: [
    { originId: 'frontend', domainName: 'site.s3.amazonaws.com', originAccessControlId: 'oac' },
    {
      originId: 'api',
      domainName: computed('api.example.com'),
      customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] },
    },
  ],
  viewerCertificate: {
    acmCertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/1`,
    minimumProtocolVersion: 'TLSv1.2_2021',
    sslSupportMethod: 'sni-only',
  },
});

export const budget = () => ({
  name: 'monthly-total',
  budgetType: 'COST',
  timeUnit: 'MONTHLY',
  limitAmount: BUDGET.monthlyUsd.toFixed(2),
  limitUnit: 'USD',
  notifications: [
    {
      comparisonOperator: 'GREATER_THAN',
      notificationType: 'ACTUAL',
      threshold: 80,
      thresholdType: 'PERCENTAGE',
      subscriberSnsTopicArns: [TOPIC],
    },
  ],
});

export const metricAlarm = (section = 'error-rate') => ({
  name: `AsyncProcessing-prod-${section}`,
  alarmActions: [computed(TOPIC)],
  okActions: [computed(TOPIC)],
  tags: { runbookSection: section },
  alarmDescription: `[CRITICAL] Error rate.\nRunbook: https://example.com/runbook.md#${section}`,
  comparisonOperator: 'GreaterThanThreshold',
  threshold: 5,
  evaluationPeriods: 1,
  metricQueries: [
    {
      id: 'm',
      returnData: true,
      metric: { namespace: METRIC_NAMESPACE, metricName: 'ErrorRate', stat: 'Average', period: 300, dimensions: { ...METRIC_DIMENSIONS } },
    },
  ],
});

export const policyDocument = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
export const rolePolicy = () => ({
  name: 'AsyncProcessingLambdaRole',
  policy: policyDocument(
    {
      Sid: 'StartThisStateMachine',
      Effect: 'Allow',
      Action: ['states:StartExecution'],
      Resource: ['arn:aws:states:ap-northeast-1:111122223333:stateMachine:AIGenerationStateMachine'],
    },
    { Sid: 'XRayUnscopedByAws', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: ['*'] },
  ),
});

export const userPoolClient = () => ({
  name: 'web',
  accessTokenValidity: AUTH.tokenValidityHours,
  idTokenValidity: AUTH.tokenValidityHours,
  refreshTokenValidity: AUTH.tokenValidityHours,
  tokenValidityUnits: { accessToken: 'hours', idToken: 'hours', refreshToken: 'hours' },
  userPoolId: computed('pool-1'),
});
export const userPool = () => ({
  name: 'users',
  mfaConfiguration: 'OPTIONAL',
  softwareTokenMfaConfiguration: { enabled: true },
  deletionProtection: 'ACTIVE',
});

/** The maintenance schedules and the restore test, as the program writes them. */
export const schedule = (key: keyof typeof MAINTENANCE_EVENTS) => ({
  name: `${key}-maintenance`,
  scheduleExpression: weeklyCron(MAINTENANCE[key].startJst, MAINTENANCE[key].day),
  scheduleExpressionTimezone: TIMEZONE,
  flexibleTimeWindow: { mode: 'OFF' },
  target: {
    arn: computed('arn:aws:lambda:fn'),
    input: JSON.stringify(MAINTENANCE_EVENTS[key]),
    retryPolicy: { maximumRetryAttempts: INFRA.scheduleRetryAttempts, maximumEventAgeInSeconds: windowMinutes(MAINTENANCE[key]) * 60 },
  },
});

/** A backup set: vault, daily plan, selection of the cluster, monthly restore test of the cluster. */
export function backupSet() {
  const db = resource(T.cluster, cluster(), 'cluster');
  const vault = resource(T.vault, { name: 'vault', arn: computed(`arn:aws:backup:ap-northeast-1:${ACCOUNT}:backup-vault:vault`) }, 'vault');
  const plan = resource(
    T.backupPlan,
    { ...backupPlan(), rules: backupPlan().rules.map((r) => ({ ...r, targetVaultName: 'vault' })), id: computed('plan-1') },
    'plan',
    { deps: { rules: [vault] } },
  );
  const selection = resource(
    T.backupSelection,
    { name: 'aurora', planId: computed('plan-1'), resources: [computed(db.inputs.arn)] },
    'selection',
    { deps: { planId: [plan], resources: [db] } },
  );
  const testing = resource(
    T.restoreTestingPlan,
    {
      name: 'monthly',
      scheduleExpression: weeklyCron(MAINTENANCE.monthly.startJst, MAINTENANCE.monthly.day),
      scheduleExpressionTimezone: TIMEZONE,
      startWindowHours: windowMinutes(MAINTENANCE.monthly) / 60,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [computed(vault.inputs.arn)],
        recoveryPointTypes: ['SNAPSHOT'],
        selectionWindowDays: BACKUP.retentionDays,
      },
    },
    'restore-testing',
    { deps: { recoveryPointSelection: [vault] } },
  );
  const test = resource(
    T.restoreTestingSelection,
    {
      name: 'aurora',
      restoreTestingPlanName: 'monthly',
      protectedResourceType: 'Aurora',
      protectedResourceArns: [computed(db.inputs.arn)],
    },
    'restore-testing-aurora',
    { deps: { protectedResourceArns: [db] } },
  );
  return { db, vault, plan, selection, testing, test, all: [db, vault, plan, selection, testing, test] };
}

/** A private bucket: its public access block and the CloudFront-only bucket policy. */
export function bucketSet(name = 'site') {
  const bucket = resource(T.bucket, { bucket: name, arn: computed(`arn:aws:s3:::${name}`) }, name);
  const block = resource(
    T.publicAccessBlock,
    {
      bucket: computed(`${name}-id`),
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    `${name}-private`,
    { deps: { bucket: [bucket] } },
  );
  const policy = resource(
    T.bucketPolicy,
    {
      bucket: computed(`${name}-id`),
      policy: computed(
        policyDocument({
          Sid: 'CloudFrontReadsThisDistributionOnly',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${name}/*`,
          Condition: { StringEquals: { 'AWS:SourceArn': `arn:aws:cloudfront::${ACCOUNT}:distribution/E1` } },
        }),
      ),
    },
    `${name}-policy`,
    { deps: { bucket: [bucket], policy: [bucket] } },
  );
  return { bucket, block, policy, all: [bucket, block, policy] };
}

export const serviceTrust = (service: string) =>
  policyDocument({
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
  });

/** Aurora with its parameter group forcing TLS. */
export function auroraSet() {
  const params = resource(
    T.parameterGroup,
    { name: 'aip-params', family: 'aurora-postgresql16', parameters: [{ name: 'rds.force_ssl', value: '1' }] },
    'params',
  );
  const db = resource(T.cluster, cluster(), 'cluster', { deps: { dbClusterParameterGroupName: [params] } });
  return { params, db, all: [params, db] };
}

/** An HTTP API behind its custom domain, with the execute-api endpoint off. */
export function apiDomainSet() {
  const api = resource(T.api, { name: 'api', protocolType: 'HTTP', disableExecuteApiEndpoint: true, id: computed('api-1') }, 'api');
  const domain = resource(
    T.apiDomain,
    {
      domainName: 'api.example.com',
      domainNameConfiguration: {
        certificateArn: `arn:aws:acm:ap-northeast-1:${ACCOUNT}:certificate/2`,
        endpointType: 'REGIONAL',
        securityPolicy: 'TLS_1_2',
      },
    },
    'api-domain',
  );
  const mapping = resource(T.apiMapping, { apiId: computed('api-1'), domainName: 'api.example.com', stage: '$default' }, 'api-mapping', {
    deps: { apiId: [api] },
  });
  return { api, domain, mapping, all: [api, domain, mapping] };
}

/** A log group archived whole: filter → Firehose (gzip) → bucket whose lifecycle expires the objects. */
export function archiveSet() {
  const group = resource(T.logGroup, logGroup(), 'logs');
  const bucket = resource(T.bucket, { bucket: 'archive', arn: computed('arn:aws:s3:::archive') }, 'archive');
  const lifecycle = resource(
    T.lifecycle,
    {
      bucket: computed('archive-id'),
      rules: [{ id: 'expire', status: 'Enabled', expiration: { days: INFRA.logArchive.expireAfterDays } }],
    },
    'lifecycle',
    { deps: { bucket: [bucket] } },
  );
  const stream = resource(
    T.firehose,
    {
      name: 'archive',
      destination: 'extended_s3',
      arn: computed('arn:aws:firehose:ap-northeast-1:111122223333:deliverystream/archive'),
      extendedS3Configuration: {
        bucketArn: computed('arn:aws:s3:::archive'),
        compressionFormat: 'GZIP',
        roleArn: computed('arn:aws:iam::111122223333:role/f'),
      },
    },
    'stream',
    { deps: { extendedS3Configuration: [bucket] } },
  );
  const filter = resource(
    T.subscriptionFilter,
    { logGroup: group.inputs.name, filterPattern: '', destinationArn: computed(stream.inputs.arn) },
    'filter',
    { deps: { destinationArn: [stream] } },
  );
  return { group, bucket, lifecycle, stream, filter, all: [group, bucket, lifecycle, stream, filter] };
}
