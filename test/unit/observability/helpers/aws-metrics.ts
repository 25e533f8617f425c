/**
 * AWS service metrics the alarms and dashboard may read, with the dimension sets each service
 * publishes them under, as the services document them. AWS metrics cannot be observed without an
 * account, so this table is the check: a typo in a name or a dimension fails a test here.
 */
export const AWS_METRICS: Record<string, { names: readonly string[]; dimensionSets: readonly (readonly string[])[]; doc: string }> = {
  // UnreservedConcurrentExecutions is account-wide: no dimension at all.
  'AWS/Lambda': {
    names: ['Errors', 'Throttles', 'Duration', 'ConcurrentExecutions', 'Invocations', 'UnreservedConcurrentExecutions'],
    dimensionSets: [['FunctionName'], []],
    doc: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
  },
  'AWS/States': {
    names: [
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionsAborted',
      'ExecutionThrottled',
      'ExecutionTime',
    ],
    dimensionSets: [['StateMachineArn']],
    doc: 'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html',
  },
  // HTTP APIs (v2) name their errors 4xx/5xx; route-level metrics need detailed metrics on the stage.
  'AWS/ApiGateway': {
    names: ['Latency', 'IntegrationLatency', 'Count', '4xx', '5xx'],
    dimensionSets: [
      ['ApiId', 'Stage'],
      ['ApiId', 'Method', 'Resource', 'Stage'],
    ],
    doc: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html',
  },
  // Role (WRITER/READER) is the dimension AWS advises alarming on; Performance Insights' DBLoad*
  // metrics are published too (USER_PerfInsights.Cloudwatch.html).
  'AWS/RDS': {
    names: [
      'CPUUtilization',
      'ACUUtilization',
      'DatabaseConnections',
      'FreeableMemory',
      'MaximumUsedTransactionIDs',
      'DBLoad',
      'DBLoadRelativeToNumVCPUs',
    ],
    dimensionSets: [['DBClusterIdentifier'], ['DBClusterIdentifier', 'Role']],
    doc: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html',
  },
  'AWS/Bedrock': {
    names: ['Invocations', 'InvocationLatency', 'InvocationThrottles', 'InvocationServerErrors', 'InvocationClientErrors'],
    dimensionSets: [['ModelId']],
    doc: 'https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html',
  },
  // A CloudFront web ACL reports without a Region dimension (in us-east-1); Rule ALL is the whole ACL.
  'AWS/WAFV2': {
    names: ['AllowedRequests', 'BlockedRequests'],
    dimensionSets: [['Rule', 'WebACL']],
    doc: 'https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html',
  },
  // CloudFront publishes in us-east-1, always with Region=Global.
  'AWS/CloudFront': {
    names: ['Requests', '5xxErrorRate', '4xxErrorRate', 'TotalErrorRate'],
    dimensionSets: [['DistributionId', 'Region']],
    doc: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html',
  },
  'AWS/SNS': {
    names: ['NumberOfNotificationsFailed', 'NumberOfNotificationsDelivered', 'NumberOfMessagesPublished'],
    dimensionSets: [['TopicName']],
    doc: 'https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html',
  },
  'AWS/Backup': {
    names: ['NumberOfBackupJobsFailed', 'NumberOfBackupJobsCompleted'],
    dimensionSets: [['BackupVaultName']],
    doc: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html',
  },
};

/** Why an AWS metric reference is wrong, or undefined when the service publishes it. */
export function awsMetricProblem(namespace: string, name: string, dimensionNames: readonly string[]): string | undefined {
  const service = AWS_METRICS[namespace];
  if (!service) return `${namespace} is not a namespace the pipeline uses`;
  if (!service.names.includes(name)) return `${namespace} publishes no metric ${name} (${service.doc})`;
  const dims = [...dimensionNames].sort().join(',');
  if (!service.dimensionSets.some((s) => [...s].sort().join(',') === dims))
    return `${namespace}/${name} has no dimension set [${dims}] (${service.doc})`;
  return undefined;
}
