/**
 * IAM policy documents, as plain data so tests can read them. Every statement names its resources
 * exactly; `*` appears only for actions AWS does not scope (each such statement says so in its Sid).
 */
export interface Statement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Statement[];
}

/**
 * CloudWatch Logs' vended-log delivery (Step Functions, Backup and Systems Manager logging): its API
 * has no resource-level permissions, so AWS documents `Resource: *` for these actions.
 */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;

export const policy = (...statements: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

/** Trust policy for an AWS service, limited to calls made on behalf of this account (confused deputy). */
export function serviceTrust(service: string, accountId: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
  };
}

/** Trust policy for people: the given principals (or this account's root, i.e. its IAM admins' choice). */
export const principalTrust = (principalArns: readonly string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: [...principalArns] }, Action: 'sts:AssumeRole' }],
});

const allow = (Sid: string, Action: string[], Resource: string[], Condition?: Statement['Condition']): Statement => ({
  Sid,
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});

/** How a role's functions sign in to the database: as one user with IAM, or with the master secret. */
export type DatabaseSignIn = { readonly dbUserArn: string } | { readonly masterSecretArn: string };

export interface LambdaBasics {
  /** `/aws/lambda/<name>` stream ARNs of the functions that use the role. */
  readonly logStreamArns: string[];
  readonly database: DatabaseSignIn;
}

/** What every function of ours needs: its own log streams, VPC networking, tracing, its database sign-in. */
function lambdaBasics(b: LambdaBasics): Statement[] {
  return [
    ...lambdaRuntime(b.logStreamArns),
    'dbUserArn' in b.database
      ? allow('ConnectAsAppUserOnly', ['rds-db:connect'], [b.database.dbUserArn])
      : allow('ReadDatabaseSecret', ['secretsmanager:GetSecretValue'], [b.database.masterSecretArn]),
  ];
}

/** A function's own log streams, VPC networking and tracing. */
function lambdaRuntime(logStreamArns: string[]): Statement[] {
  return [
    allow('WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], logStreamArns),
    // Lambda manages the ENIs of VPC functions; AWS supports no resource scope for these actions.
    allow(
      'VpcNetworkingUnscopedByAws',
      [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      ['*'],
    ),
    allow('XRayUnscopedByAws', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']),
  ];
}

/** AsyncProcessingLambdaRole: Lambda execution and starting/stopping this state machine's executions. */
export const lambdaRolePolicy = (b: LambdaBasics & { stateMachineArn: string; executionsArn: string }) =>
  policy(
    ...lambdaBasics(b),
    allow('StartThisStateMachine', ['states:StartExecution'], [b.stateMachineArn]),
    allow('StopOwnExecutions', ['states:StopExecution', 'states:DescribeExecution'], [b.executionsArn]),
  );

/** The worker's role: Lambda execution and the configured Bedrock model only. */
export const workerRolePolicy = (b: LambdaBasics & { modelArns: string[] }) =>
  policy(...lambdaBasics(b), allow('InvokeConfiguredModelOnly', ['bedrock:InvokeModel'], b.modelArns));

/** The database admin role (DbMigrate, ProcessingCleanup): Lambda execution and the master secret only. */
export const dbAdminRolePolicy = (b: { logStreamArns: string[]; masterSecretArn: string }) =>
  policy(...lambdaBasics({ logStreamArns: b.logStreamArns, database: { masterSecretArn: b.masterSecretArn } }));

export interface OpsReportReads {
  readonly logStreamArns: string[];
  /** The log groups its Logs Insights queries read: the functions' and the API access log. */
  readonly logGroupArns: string[];
  readonly stateMachineArn: string;
  /** The roles the monthly audit compares with the program. */
  readonly roleArns: string[];
  readonly clusterArn: string;
}

/** OpsReport's role (Iam): read what the reports sum and audit. No database, no write. */
export const opsReportRolePolicy = (b: OpsReportReads) =>
  policy(
    ...lambdaRuntime(b.logStreamArns),
    allow('ReadMetricsUnscopedByAws', ['cloudwatch:GetMetricData', 'logs:GetQueryResults'], ['*']),
    allow(
      'QueryOwnLogs',
      ['logs:StartQuery'],
      b.logGroupArns.flatMap((a) => [a, `${a}:*`]),
    ),
    allow('ListOwnExecutions', ['states:ListExecutions'], [b.stateMachineArn]),
    // Cost Explorer, security-group and analyzer listings have no resource types (Service Authorization Reference).
    allow(
      'ReadCostAndInventoryUnscopedByAws',
      ['ce:GetCostAndUsage', 'ec2:DescribeSecurityGroups', 'access-analyzer:ListAnalyzers'],
      ['*'],
    ),
    allow('ReadOwnRoles', ['iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy'], b.roleArns),
    allow('ReadPendingMaintenanceOfThisDatabase', ['rds:DescribePendingMaintenanceActions'], [b.clusterArn]),
  );

/** OpsReport's second policy (OpsReports, which creates these): its bucket, its analyzer's findings, the warning topic and its key. */
export const opsReportPublishPolicy = (b: { bucketArn: string; analyzerArn: string; topicArn: string; keyArn: string }) =>
  policy(
    allow('WriteReports', ['s3:PutObject'], [`${b.bucketArn}/reports/*`]),
    allow('ReadStackFile', ['s3:GetObject'], [`${b.bucketArn}/program/*`]),
    allow('ReadOwnAnalyzerFindings', ['access-analyzer:ListFindingsV2'], [b.analyzerArn]),
    allow('PostToWarningTopic', ['sns:Publish'], [b.topicArn]),
    // The alert topics are encrypted: a publisher makes the message's data key.
    allow('EncryptForTheWarningTopic', ['kms:GenerateDataKey', 'kms:Decrypt'], [b.keyArn]),
  );

/** StepFunctionsRole: invoke the worker functions only, log to CloudWatch, trace. */
export const stepFunctionsRolePolicy = (b: { workerArns: string[] }) =>
  policy(
    // The unqualified ARN and its versions/aliases (`:*`), nothing else.
    allow(
      'InvokeWorkerOnly',
      ['lambda:InvokeFunction'],
      b.workerArns.flatMap((a) => [a, `${a}:*`]),
    ),
    // Step Functions' log delivery API has no resource-level permissions (AWS documents `*`).
    allow('LogDeliveryUnscopedByAws', [...LOG_DELIVERY_ACTIONS], ['*']),
    allow(
      'XRayUnscopedByAws',
      ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      ['*'],
    ),
  );

/** MonitoringRole: read CloudWatch metrics, alarms and dashboards, and our logs and executions. */
export const monitoringRolePolicy = (b: {
  logGroupArns: string[];
  stateMachineArn: string;
  executionsArn: string;
  alarmArns: string[];
  dashboardArn: string;
}) =>
  policy(
    // CloudWatch metric reads and listings are not resource-scoped by AWS.
    allow(
      'ReadMetricsUnscopedByAws',
      [
        'cloudwatch:GetMetricData',
        'cloudwatch:GetMetricStatistics',
        'cloudwatch:ListMetrics',
        'cloudwatch:ListDashboards',
        'logs:DescribeLogGroups',
        'logs:DescribeQueryDefinitions',
        'logs:GetQueryResults',
        'logs:StopQuery',
      ],
      ['*'],
    ),
    allow('ReadOwnAlarms', ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], b.alarmArns),
    allow('ReadOwnDashboard', ['cloudwatch:GetDashboard'], [b.dashboardArn]),
    allow(
      'ReadOwnLogs',
      ['logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:DescribeLogStreams', 'logs:StartQuery'],
      b.logGroupArns.flatMap((a) => [a, `${a}:*`]),
    ),
    allow('ReadOwnExecutions', ['states:DescribeStateMachine', 'states:ListExecutions'], [b.stateMachineArn]),
    allow('ReadExecutionHistory', ['states:DescribeExecution', 'states:GetExecutionHistory'], [b.executionsArn]),
  );

/** EventBridge Scheduler's role: invoke the scheduled functions only. */
export const schedulerRolePolicy = (functionArns: string[]) =>
  policy(allow('InvokeScheduledFunctionsOnly', ['lambda:InvokeFunction'], functionArns));

/** RDS Proxy's role: read the database's managed secret only. */
export const proxyRolePolicy = (secretArn: string) => policy(allow('ReadDatabaseSecret', ['secretsmanager:GetSecretValue'], [secretArn]));

/** Firehose's role: write archive objects into one bucket. */
export const firehoseRolePolicy = (bucketArn: string) =>
  policy(
    allow(
      'WriteArchiveBucket',
      ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      [bucketArn, `${bucketArn}/*`],
    ),
  );

/** CloudWatch Logs' role for subscription filters: put records into one delivery stream. */
export const logsToFirehosePolicy = (streamArn: string) =>
  policy(allow('PutIntoArchiveStream', ['firehose:PutRecord', 'firehose:PutRecordBatch'], [streamArn]));

/** Bucket policy of the frontend bucket: CloudFront reads objects for this distribution only (OAC). */
export const frontendBucketPolicy = (bucketArn: string, distributionArn: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'CloudFrontReadsThisDistributionOnly',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: `${bucketArn}/*`,
      Condition: { StringEquals: { 'AWS:SourceArn': distributionArn } },
    },
  ],
});
