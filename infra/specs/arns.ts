/**
 * ARNs of resources whose names are fixed by the guide, known before they exist. IAM policies can
 * then name them exactly without waiting for (or cycling through) the resources themselves.
 */
export interface AccountScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

export const arns = (s: AccountScope) => ({
  stateMachine: (name: string) => `arn:${s.partition}:states:${s.region}:${s.accountId}:stateMachine:${name}`,
  /** Executions of one state machine only (StopExecution and DescribeExecution act on these). */
  executions: (stateMachineName: string) => `arn:${s.partition}:states:${s.region}:${s.accountId}:execution:${stateMachineName}:*`,
  lambda: (name: string) => `arn:${s.partition}:lambda:${s.region}:${s.accountId}:function:${name}`,
  logGroup: (name: string) => `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:${name}`,
  /** A log group's streams: what CreateLogStream / PutLogEvents act on. */
  logStreams: (name: string) => `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:${name}:*`,
  /** CloudWatch alarms whose names match a pattern (`*` allowed). */
  alarms: (namePattern: string) => `arn:${s.partition}:cloudwatch:${s.region}:${s.accountId}:alarm:${namePattern}`,
  /** A CloudWatch dashboard (global: no region in the ARN). */
  dashboard: (name: string) => `arn:${s.partition}:cloudwatch::${s.accountId}:dashboard/${name}`,
  /** An Aurora cluster by its identifier. */
  cluster: (identifier: string) => `arn:${s.partition}:rds:${s.region}:${s.accountId}:cluster:${identifier}`,
  /** An IAM role by its name (roles are global: no region). */
  role: (name: string) => `arn:${s.partition}:iam::${s.accountId}:role/${name}`,
  accountRoot: () => `arn:${s.partition}:iam::${s.accountId}:root`,
  /** One database user of one cluster (or proxy), by its resource id: what rds-db:connect acts on. */
  dbUser: (resourceId: string, user: string) => `arn:${s.partition}:rds-db:${s.region}:${s.accountId}:dbuser:${resourceId}/${user}`,
});

/** Geography prefixes of Bedrock cross-region inference profiles (`apac.anthropic…`). */
const PROFILE_PREFIXES = new Set(['us', 'eu', 'apac', 'jp', 'au', 'ca', 'global', 'us-gov']);

/**
 * What `bedrock:InvokeModel` must name to call `modelId` and nothing else: the foundation model in
 * this region, or, for an inference profile, the profile and its model in the regions it routes to.
 */
export function bedrockModelArns(s: AccountScope, modelId: string): string[] {
  const [prefix, ...rest] = modelId.split('.');
  if (prefix && PROFILE_PREFIXES.has(prefix) && rest.length >= 2) {
    const model = rest.join('.');
    return [
      `arn:${s.partition}:bedrock:${s.region}:${s.accountId}:inference-profile/${modelId}`,
      // The profile routes to any region of its geography; AWS names the model without account there.
      `arn:${s.partition}:bedrock:*::foundation-model/${model}`,
    ];
  }
  return [`arn:${s.partition}:bedrock:${s.region}::foundation-model/${modelId}`];
}
