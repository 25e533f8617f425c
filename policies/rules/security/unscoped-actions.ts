/**
 * Actions AWS lets a policy grant only on `Resource: "*"`: the Service Authorization Reference lists
 * no resource type for them, or AWS documents `*` as required. `iam-no-wildcard-resources` accepts
 * `*` for a statement only when all its actions are here. Add an action only with its reference.
 */
export const UNSCOPED_ACTIONS: ReadonlySet<string> = new Set([
  // X-Ray: no resource types (AWSXRayDaemonWriteAccess grants them on *).
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  // Lambda in a VPC: Lambda manages the ENIs in subnets it picks; AWSLambdaVPCAccessExecutionRole grants these on *.
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  // CloudWatch Logs vended-log delivery (Step Functions logging): the Step Functions guide requires *.
  // Written here again on purpose (infra/specs LOG_DELIVERY_ACTIONS): the pack must not accept what the program grants just because the program grants it.
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  // CloudWatch Logs Insights query management: no resource types.
  'logs:DescribeQueryDefinitions',
  'logs:GetQueryResults',
  'logs:StopQuery',
  'logs:DescribeQueries',
  // CloudWatch metrics: no resource types (scoped by namespace conditions at most).
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  'cloudwatch:PutMetricData',
  'cloudwatch:ListDashboards',
  // AWS Backup restore jobs are no IAM resource type (Service Authorization Reference); restore testing validation reads and answers them.
  'backup:DescribeRestoreJob',
  'backup:PutRestoreValidationResult',
  // The monthly report (OpsReport): Cost Explorer's GetCostAndUsage, EC2's Describe* and Access Analyzer's ListAnalyzers list no resource type (Service Authorization Reference).
  'ce:GetCostAndUsage',
  'ec2:DescribeSecurityGroups',
  'access-analyzer:ListAnalyzers',
  // Identity of the caller.
  'sts:GetCallerIdentity',
]);

/**
 * ARNs with a wildcard where AWS itself requires one, each with its reference. A Bedrock
 * cross-region inference profile routes to its model in any region of its geography, so
 * bedrock:InvokeModel names `arn:aws:bedrock:*::foundation-model/<model>` (Bedrock user guide,
 * "Supported Regions and models for inference profiles", IAM example).
 */
export const WILDCARD_ARNS_REQUIRED_BY_AWS: readonly RegExp[] = [/^arn:aws[\w-]*:bedrock:\*::foundation-model\/[\w.:-]+$/];
