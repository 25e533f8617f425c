/**
 * Valid resources, one factory per type the rules check (`getHappyPathArgs()` in pulumi-policy-aws'
 * words): every rule passes them, and each test changes one property to make one rule fail.
 * Numbers come from the guide, as the program's own do.
 */
import { AUTH, BUDGET, FUNCTIONS, GUIDE_ALERTS, METRIC_NAMESPACE, METRICS, RETENTION, logGroupName, type FunctionKey } from '../../../../guide';
import { resource } from './policy-harness';

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
} as const;

const ARN = 'arn:aws:logs:ap-northeast-1:111122223333';
export const TOPIC = 'arn:aws:sns:ap-northeast-1:111122223333:alerts';

export const lambdaFunction = (key: FunctionKey = 'asyncProcessingHandler') => {
  const spec = FUNCTIONS[key];
  const reserved = 'reservedConcurrency' in spec ? { reservedConcurrentExecutions: spec.reservedConcurrency.current } : {};
  return {
    name: spec.name, memorySize: spec.memoryMb, timeout: spec.timeoutSeconds, ...reserved,
    tracingConfig: { mode: 'Active' }, loggingConfig: { logFormat: 'Text', logGroup: logGroupName(spec.name) },
  };
};

export const logGroup = (name = logGroupName(FUNCTIONS.asyncProcessingHandler.name)) => ({ name, retentionInDays: RETENTION.logsDays });

export const cluster = () => ({
  clusterIdentifier: 'async-ai-pipeline-prod', storageEncrypted: true, manageMasterUserPassword: true,
  backupRetentionPeriod: 7, preferredBackupWindow: '18:00-18:30', deletionProtection: true, skipFinalSnapshot: false,
});

export const backupPlan = () => ({
  name: 'daily', rules: [{ ruleName: 'daily-0300-jst', schedule: 'cron(0 3 * * ? *)', scheduleExpressionTimezone: 'Asia/Tokyo', lifecycle: { deleteAfter: 7 } }],
});

export const stateMachine = () => ({
  name: 'AIGenerationStateMachine',
  loggingConfiguration: { level: 'ALL', includeExecutionData: true, logDestination: `${ARN}:log-group:/aws/vendedlogs/states/x:*` },
  tracingConfiguration: { enabled: true },
  definition: JSON.stringify({
    StartAt: 'Generate', TimeoutSeconds: 1800,
    States: {
      Generate: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 300, Next: 'Fan' },
      Fan: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Save', States: { Save: { Type: 'Task', TimeoutSecondsPath: '$.t', End: true } } }] },
    },
  }),
});

export const route = () => ({ routeKey: 'POST /v1/processes', authorizationType: 'JWT', authorizerId: 'auth-1' });
export const authorizer = () => ({ name: 'jwt', authorizerType: 'JWT', jwtConfiguration: { issuer: 'https://issuer.example.com/', audiences: ['client-1'] } });
export const httpStage = () => ({ name: '$default', accessLogSettings: { destinationArn: `${ARN}:log-group:/aws/apigateway/x`, format: '{"requestId":"$context.requestId"}' } });

export const perUserRule = () => ({
  name: 'per-user-rate-limit', priority: 0, action: { block: {} },
  statement: {
    rateBasedStatement: {
      limit: AUTH.rateLimit.requests, evaluationWindowSec: AUTH.rateLimit.windowSeconds, aggregateKeyType: 'CUSTOM_KEYS',
      customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
    },
  },
});
export const webAcl = () => ({ name: 'edge', scope: 'CLOUDFRONT', defaultAction: { allow: {} }, rules: [perUserRule()] });

export const distribution = () => ({
  webAclId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/1',
  defaultCacheBehavior: { targetOriginId: 'frontend', viewerProtocolPolicy: 'redirect-to-https' },
  orderedCacheBehaviors: [{ pathPattern: '/v1/*', targetOriginId: 'api', viewerProtocolPolicy: 'https-only' }],
  origins: [
    { originId: 'frontend', domainName: 'site.s3.amazonaws.com', originAccessControlId: 'oac' },
    { originId: 'api', domainName: 'api.example.com', customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] } },
  ],
  viewerCertificate: { acmCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/1', minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' },
});

export const budget = () => ({
  name: 'monthly-total', budgetType: 'COST', timeUnit: 'MONTHLY', limitAmount: BUDGET.monthlyUsd.toFixed(2), limitUnit: 'USD',
  notifications: [{ comparisonOperator: 'GREATER_THAN', notificationType: 'ACTUAL', threshold: 80, thresholdType: 'PERCENTAGE', subscriberSnsTopicArns: [TOPIC] }],
});

export const metricAlarm = (section = 'error-rate') => ({
  name: `AsyncProcessing-prod-${section}`, alarmActions: [TOPIC], okActions: [TOPIC], tags: { runbookSection: section },
  alarmDescription: `[CRITICAL] Error rate.\nRunbook: https://example.com/runbook.md#${section}`,
  comparisonOperator: 'GreaterThanThreshold', threshold: 5, evaluationPeriods: 1,
  metricQueries: [{ id: 'm', returnData: true, metric: { namespace: METRIC_NAMESPACE, metricName: 'ErrorRate', stat: 'Average', period: 300 } }],
});

/** The alarms a stack needs for `guide-alarms-exist`: one per guide alert, one per Count threshold of the metric table. */
export function guideAlarmSet() {
  const alerts = Object.values(GUIDE_ALERTS).map((a) => resource(T.metricAlarm, {
    ...metricAlarm(a.id), threshold: a.threshold, evaluationPeriods: 1,
    metricQueries: [{ id: 'm', returnData: true, metric: { namespace: METRIC_NAMESPACE, metricName: 'Whatever', period: a.periodSeconds } }],
  }, `alarm-${a.id}`));
  const counts = [METRICS.failed, METRICS.timeout, METRICS.queueDepth].map((m) => resource(T.metricAlarm, {
    ...metricAlarm(`${m.name}-count`), threshold: m.threshold.value,
    metricQueries: [{ id: 'm', returnData: true, metric: { namespace: METRIC_NAMESPACE, metricName: m.name, stat: 'Sum', period: m.threshold.periodSeconds } }],
  }, `alarm-${m.name}`));
  return [...alerts, ...counts];
}

export const policyDocument = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
export const rolePolicy = () => ({
  name: 'AsyncProcessingLambdaRole',
  policy: policyDocument(
    { Sid: 'StartThisStateMachine', Effect: 'Allow', Action: ['states:StartExecution'], Resource: ['arn:aws:states:ap-northeast-1:111122223333:stateMachine:AIGenerationStateMachine'] },
    { Sid: 'XRayUnscopedByAws', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: ['*'] },
  ),
});
