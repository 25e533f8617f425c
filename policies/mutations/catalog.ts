/**
 * Realistic misconfigurations of the prod stack, the kind an engineer introduces in a hurry: one
 * changed setting each, applied to the captured resource inputs (target.ts). Each has a category
 * (for the per-category figures) and a one-line description. The suite (run.ts) counts one as
 * caught when the pack reports a mandatory violation the unmutated stack does not have.
 */
import { AUTH, FUNCTIONS, INFRA, MAINTENANCE, STATE_MACHINE_NAME } from '../../guide';
import { weeklyCron } from '../../infra/specs/schedules';
import type { StackUnderMutation } from './target';

export const CATEGORIES = {
  'existence-vs-value': 'A setting exists but its value is wrong (timeouts, the metric an alarm watches, the machine type)',
  'guide-lambda-logs': "The guide's Lambda sizes, concurrency, log groups, retention and log levels",
  'guide-alarms-paging': "The guide's alerts and metric thresholds, their actions, runbooks, paging and escalation",
  'guide-data-windows': 'Backups, restore tests, maintenance and RDS windows in Asia/Tokyo, deletion protection',
  'guide-access-budget': 'JWT, token lifetimes, the WAF rate limit and managed rules, the budget and its lines',
  'security-iam': 'Least privilege: wildcards, managed policies, trust policies',
  'security-exposure': 'What faces the internet: security groups, S3, SNS, Lambda URLs and permissions, CloudFront, the API stage',
  'security-data': "Encryption, keys, the database's TLS, IAM auth and logs, secrets in environment variables",
  'security-platform': 'Runtimes, tracing, MFA, Pulumi protect',
} as const;
export type Category = keyof typeof CATEGORIES;

export interface Mutation {
  readonly id: string;
  readonly category: Category;
  readonly description: string;
  apply(s: StackUnderMutation): void;
}

const T = {
  fn: 'aws:lambda/function:Function',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  provisioned: 'aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig',
  machine: 'aws:sfn/stateMachine:StateMachine',
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  topic: 'aws:sns/topic:Topic',
  topicPolicy: 'aws:sns/topicPolicy:TopicPolicy',
  subscription: 'aws:sns/topicSubscription:TopicSubscription',
  composite: 'aws:cloudwatch/compositeAlarm:CompositeAlarm',
  responsePlan: 'aws:ssmincidents/responsePlan:ResponsePlan',
  contactPlan: 'aws:ssmcontacts/plan:Plan',
  contact: 'aws:ssmcontacts/contact:Contact',
  pdPolicy: 'pagerduty:index/escalationPolicy:EscalationPolicy',
  pdService: 'pagerduty:index/service:Service',
  pdIntegration: 'pagerduty:index/serviceIntegration:ServiceIntegration',
  cluster: 'aws:rds/cluster:Cluster',
  instance: 'aws:rds/clusterInstance:ClusterInstance',
  params: 'aws:rds/clusterParameterGroup:ClusterParameterGroup',
  proxy: 'aws:rds/proxy:Proxy',
  backupPlan: 'aws:backup/plan:Plan',
  backupSelection: 'aws:backup/selection:Selection',
  vault: 'aws:backup/vault:Vault',
  restorePlan: 'aws:backup/restoreTestingPlan:RestoreTestingPlan',
  restoreSelection: 'aws:backup/restoreTestingSelection:RestoreTestingSelection',
  schedule: 'aws:scheduler/schedule:Schedule',
  userPool: 'aws:cognito/userPool:UserPool',
  client: 'aws:cognito/userPoolClient:UserPoolClient',
  route: 'aws:apigatewayv2/route:Route',
  authorizer: 'aws:apigatewayv2/authorizer:Authorizer',
  stage: 'aws:apigatewayv2/stage:Stage',
  webAcl: 'aws:wafv2/webAcl:WebAcl',
  distribution: 'aws:cloudfront/distribution:Distribution',
  budget: 'aws:budgets/budget:Budget',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  attachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  securityGroup: 'aws:ec2/securityGroup:SecurityGroup',
  ingress: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  bucket: 'aws:s3/bucket:Bucket',
  publicAccessBlock: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  bucketAcl: 'aws:s3/bucketAcl:BucketAcl',
  functionUrl: 'aws:lambda/functionUrl:FunctionUrl',
  permission: 'aws:lambda/permission:Permission',
  kmsKey: 'aws:kms/key:Key',
  query: 'aws:cloudwatch/queryDefinition:QueryDefinition',
  api: 'aws:apigatewayv2/api:Api',
  apiDomain: 'aws:apigatewayv2/domainName:DomainName',
  apiMapping: 'aws:apigatewayv2/apiMapping:ApiMapping',
  subscriptionFilter: 'aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter',
} as const;

type S = StackUnderMutation;
type Props = Record<string, any>;

// Finders by what AWS sees, so a renamed Pulumi resource keeps its mutations.
const fn = (s: S, key: keyof typeof FUNCTIONS) => s.one(T.fn, `the function ${FUNCTIONS[key].name}`, (p) => p.name === FUNCTIONS[key].name);
const alarm = (s: S, id: string) =>
  s.one(
    T.alarm,
    `the alarm AsyncProcessing-<stack>-${id}`,
    (p) => p.tags?.runbookSection === id || /^AsyncProcessing-[a-z]+-(.+)$/.exec(String(p.name))?.[1] === id,
  );
const rolePolicy = (s: S, roleName: string) => s.one(T.rolePolicy, `the inline policy of ${roleName}`, (p) => p.name === roleName);
const role = (s: S, what: string, where: (p: Props) => boolean) => s.one(T.role, what, where);
const composite = (s: S, id: string) =>
  s.one(
    T.composite,
    `the composite alarm AsyncProcessing-<stack>-${id}`,
    (p) => /^AsyncProcessing-[a-z]+-(.+)$/.exec(String(p.alarmName))?.[1] === id,
  );
const topic = (s: S, severity: string) =>
  s.one(T.topic, `the ${severity} alert topic`, (p) => new RegExp(`^AsyncProcessing-[a-z]+-alerts-${severity}$`).test(String(p.name)));
const edgeTopic = (s: S) => s.one(T.topic, 'the edge alert topic', (p) => String(p.name).endsWith('-edge-alerts-warning'));
/** Points an alarm's actions at one topic, as a literal ARN (or, at preview, the topic's unknown ARN and its dependency). */
const route = (s: S, a: ReturnType<S['one']>, t: ReturnType<S['one']>) => {
  s.set(a, 'alarmActions', [t.outputs.arn]);
  a.propertyDependencies = { ...a.propertyDependencies, alarmActions: [t.urn] };
};
const schedule = (s: S, name: string) => s.one(T.schedule, `the ${name} schedule`, (p) => p.name === name);
const budget = (s: S, line: string) => s.one(T.budget, `the ${line} budget`, (p) => String(p.name).endsWith(`-${line}`));
/** A bucket by what is attached to it: the frontend has the bucket policy, the archive the lifecycle. */
const bucketWith = (s: S, attached: string, what: string) => {
  const urns = s.all(attached).flatMap((a) => a.propertyDependencies?.bucket ?? []);
  return s.one(T.bucket, what, (p) => s.all(T.bucket).some((b) => b.outputs === p && urns.includes(b.urn)));
};
const frontend = (s: S) => bucketWith(s, T.bucketPolicy, 'the frontend bucket (the one with a bucket policy)');
const archive = (s: S) =>
  bucketWith(s, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'the log archive bucket (the one with a lifecycle)');
const blockOf = (s: S, bucket: { urn: string }) =>
  s.one(T.publicAccessBlock, "the bucket's public access block", (p) =>
    s.all(T.publicAccessBlock).some((b) => b.outputs === p && (b.propertyDependencies?.bucket ?? []).includes(bucket.urn)),
  );
const machine = (s: S) => s.one(T.machine, 'AIGenerationStateMachine', (p) => p.name === STATE_MACHINE_NAME);
const definition = (s: S, change: (asl: Props) => void) =>
  s.edit<string>(machine(s), 'definition', (text) => {
    const asl = JSON.parse(text) as Props;
    change(asl);
    return JSON.stringify(asl);
  });
const allow = (Sid: string, Action: string | string[], Resource: string | string[]) => ({ Sid, Effect: 'Allow', Action, Resource });

export const MUTATIONS: readonly Mutation[] = [
  // Existence checked, value not.
  {
    id: 'workflow-timeout-one-year',
    category: 'existence-vs-value',
    description: 'The execution timeout is raised to a year "so long jobs never time out".',
    apply: (s) =>
      definition(s, (a) => {
        a.TimeoutSeconds = 31_536_000;
      }),
  },
  {
    id: 'workflow-timeout-five-minutes',
    category: 'existence-vs-value',
    description: 'The execution timeout is cut to 5 minutes, shorter than a TASK generation takes.',
    apply: (s) =>
      definition(s, (a) => {
        a.TimeoutSeconds = 300;
      }),
  },
  {
    id: 'task-timeout-one-hour',
    category: 'existence-vs-value',
    description: "The Generate task timeout is raised to an hour, past the worker's 300 s.",
    apply: (s) =>
      definition(s, (a) => {
        a.States.Generate.TimeoutSeconds = 3600;
      }),
  },
  {
    id: 'task-timeout-from-input',
    category: 'existence-vs-value',
    description: 'The Generate task takes its timeout from the execution input.',
    apply: (s) =>
      definition(s, (a) => {
        delete a.States.Generate.TimeoutSeconds;
        a.States.Generate.TimeoutSecondsPath = '$.timeout';
      }),
  },
  {
    id: 'express-state-machine',
    category: 'existence-vs-value',
    description: 'The state machine is switched to EXPRESS "because it is cheaper".',
    apply: (s) => s.set(machine(s), 'type', 'EXPRESS'),
  },
  {
    id: 'alarm-watches-started',
    category: 'existence-vs-value',
    description: 'The processing-time alarm keeps its tag, threshold and window but watches AsyncProcessingStarted.',
    apply: (s) =>
      s.edit<Props[]>(alarm(s, 'processing-time'), 'metricQueries', (q) =>
        q.map((x) => ({ ...x, metric: { ...x.metric, metricName: 'AsyncProcessingStarted' } })),
      ),
  },
  {
    id: 'alarm-queue-depth-minimum',
    category: 'existence-vs-value',
    description: 'The queue-depth alarm reads the Minimum statistic.',
    apply: (s) =>
      s.edit<Props[]>(alarm(s, 'queue-depth'), 'metricQueries', (q) => q.map((x) => ({ ...x, metric: { ...x.metric, stat: 'Minimum' } }))),
  },
  {
    id: 'alarm-failed-count-no-dimension',
    category: 'existence-vs-value',
    description: 'The failed-count alarm loses its service dimension, so it watches a series nobody publishes.',
    apply: (s) =>
      s.edit<Props[]>(alarm(s, 'failed-count'), 'metricQueries', (q) => q.map((x) => ({ ...x, metric: { ...x.metric, dimensions: {} } }))),
  },
  {
    id: 'error-rate-without-timeouts',
    category: 'existence-vs-value',
    description: 'The error-rate expression forgets the timed-out processes in its numerator.',
    apply: (s) =>
      s.edit<Props[]>(alarm(s, 'error-rate'), 'metricQueries', (q) =>
        q.map((x) => (x.expression ? { ...x, expression: String(x.expression).replace(' + FILL(timeout,0)) /', ') /') } : x)),
      ),
  },
  {
    id: 'timeout-rate-on-started',
    category: 'existence-vs-value',
    description: 'The timeout-rate alarm divides by AsyncProcessingStarted instead of the outcomes.',
    apply: (s) =>
      s.edit<Props[]>(alarm(s, 'timeout-rate'), 'metricQueries', (q) =>
        q.map((x) => (x.id === 'completed' ? { ...x, metric: { ...x.metric, metricName: 'AsyncProcessingStarted' } } : x)),
      ),
  },

  // The guide's Lambda numbers and logs.
  {
    id: 'worker-memory-512',
    category: 'guide-lambda-logs',
    description: "The worker's memory is lowered to 512 MB to save money.",
    apply: (s) => s.set(fn(s, 'aiGenerationWorker'), 'memorySize', 512),
  },
  {
    id: 'handler-timeout-60',
    category: 'guide-lambda-logs',
    description: "The start handler's timeout is raised to 60 s.",
    apply: (s) => s.set(fn(s, 'asyncProcessingHandler'), 'timeout', 60),
  },
  {
    id: 'function-not-in-guide',
    category: 'guide-lambda-logs',
    description: 'A new "report-exporter" function is added outside the guide\'s FUNCTIONS.',
    apply: (s) => {
      const q = fn(s, 'queueMonitor');
      s.add(T.fn, 'functions-report-exporter', { ...q.inputs, name: 'report-exporter' }, q);
    },
  },
  {
    id: 'worker-concurrency-200',
    category: 'guide-lambda-logs',
    description: "The worker reserves 200 concurrent executions, past the guide's upper limit of 100.",
    apply: (s) => s.set(fn(s, 'aiGenerationWorker'), 'reservedConcurrentExecutions', 200),
  },
  {
    id: 'handler-concurrency-removed',
    category: 'guide-lambda-logs',
    description: "The status handler's reserved concurrency is removed.",
    apply: (s) => s.set(fn(s, 'statusCheckHandler'), 'reservedConcurrentExecutions', undefined),
  },
  {
    id: 'worker-concurrency-5',
    category: 'guide-lambda-logs',
    description: "The worker reserves 5, below the guide's current capacity of 10.",
    apply: (s) => s.set(fn(s, 'aiGenerationWorker'), 'reservedConcurrentExecutions', 5),
  },
  {
    id: 'provisioned-above-reserved',
    category: 'guide-lambda-logs',
    description: 'Provisioned concurrency of 80 is added on the status handler, which reserves 50.',
    apply: (s) => {
      const f = fn(s, 'statusCheckHandler');
      const p = s.add(
        T.provisioned,
        'status-provisioned',
        { functionName: f.outputs.name, qualifier: 'live', provisionedConcurrentExecutions: 80 },
        f,
      );
      p.propertyDependencies = { functionName: [f.urn] };
    },
  },
  {
    id: 'shared-log-group',
    category: 'guide-lambda-logs',
    description: 'The cancel handler logs to a shared /shared/app-logs group.',
    apply: (s) => s.set(fn(s, 'cancelHandler'), 'loggingConfig.logGroup', '/shared/app-logs'),
  },
  {
    id: 'log-group-dropped',
    category: 'guide-lambda-logs',
    description: 'The retry handler\'s log group resource is deleted ("Lambda creates it anyway").',
    apply: (s) =>
      s.remove(s.one(T.logGroup, "the retry handler's log group", (p) => p.name === `/aws/lambda/${FUNCTIONS.retryHandler.name}`)),
  },
  {
    id: 'retention-one-year',
    category: 'guide-lambda-logs',
    description: "The worker's logs are kept 365 days.",
    apply: (s) =>
      s.set(
        s.one(T.logGroup, "the worker's log group", (p) => p.name === `/aws/lambda/${FUNCTIONS.aiGenerationWorker.name}`),
        'retentionInDays',
        365,
      ),
  },
  {
    id: 'retention-forever',
    category: 'guide-lambda-logs',
    description: "The API access log group's retention is removed, so it never expires.",
    apply: (s) =>
      s.set(
        s.one(T.logGroup, 'the API access log group', (p) => String(p.name).startsWith('/aws/apigateway/')),
        'retentionInDays',
        undefined,
      ),
  },
  {
    id: 'debug-in-prod',
    category: 'guide-lambda-logs',
    description: 'LOG_LEVEL=DEBUG is left on the worker in prod after an investigation.',
    apply: (s) => s.set(fn(s, 'aiGenerationWorker'), 'environment.variables.LOG_LEVEL', 'DEBUG'),
  },
  {
    id: 'powertools-debug',
    category: 'guide-lambda-logs',
    description: 'POWERTOOLS_LOG_LEVEL=DEBUG is added to the start handler.',
    apply: (s) => s.set(fn(s, 'asyncProcessingHandler'), 'environment.variables.POWERTOOLS_LOG_LEVEL', 'DEBUG'),
  },
  {
    id: 'lambda-application-log-level-debug',
    category: 'guide-lambda-logs',
    description: 'The cleanup function switches to JSON logs with applicationLogLevel DEBUG.',
    apply: (s) =>
      s.edit<Props>(fn(s, 'processingCleanup'), 'loggingConfig', (c) => ({ ...c, logFormat: 'JSON', applicationLogLevel: 'DEBUG' })),
  },
  {
    id: 'log-level-warn',
    category: 'guide-lambda-logs',
    description: 'The status handler logs at WARN "to cut noise", losing the INFO lines the queries read.',
    apply: (s) => s.set(fn(s, 'statusCheckHandler'), 'environment.variables.LOG_LEVEL', 'WARN'),
  },

  // Alarms and paging.
  {
    id: 'error-rate-threshold-10',
    category: 'guide-alarms-paging',
    description: 'The error-rate alarm fires above 10 % instead of 5 %.',
    apply: (s) => s.set(alarm(s, 'error-rate'), 'threshold', 10),
  },
  {
    id: 'timeout-rate-window-15min',
    category: 'guide-alarms-paging',
    description: 'The timeout-rate alarm judges three 5-minute periods.',
    apply: (s) => s.set(alarm(s, 'timeout-rate'), 'evaluationPeriods', 3),
  },
  {
    id: 'error-rate-less-than',
    category: 'guide-alarms-paging',
    description: "The error-rate alarm's comparison is flipped to LessThanThreshold.",
    apply: (s) => s.set(alarm(s, 'error-rate'), 'comparisonOperator', 'LessThanThreshold'),
  },
  {
    id: 'timeout-count-alarm-deleted',
    category: 'guide-alarms-paging',
    description: 'The timeout-count alarm is deleted as "duplicate of the timeout rate".',
    apply: (s) => s.remove(alarm(s, 'timeout-count')),
  },
  {
    id: 'error-rate-alarm-deleted',
    category: 'guide-alarms-paging',
    description: 'The error-rate alarm is deleted while "reworking alerting".',
    apply: (s) => s.remove(alarm(s, 'error-rate')),
  },
  {
    id: 'alarm-actions-disabled',
    category: 'guide-alarms-paging',
    description: "The queue-depth alarm's actions are disabled during a noisy week.",
    apply: (s) => s.set(alarm(s, 'queue-depth'), 'actionsEnabled', false),
  },
  {
    id: 'alarm-actions-empty',
    category: 'guide-alarms-paging',
    description: 'The Aurora CPU alarm notifies nobody.',
    apply: (s) => s.set(alarm(s, 'aurora-cpu'), 'alarmActions', []),
  },
  {
    id: 'alarm-runbook-link-removed',
    category: 'guide-alarms-paging',
    description: "The backup-missing alarm's description is rewritten without the runbook link.",
    apply: (s) => s.set(alarm(s, 'backup-missing'), 'alarmDescription', 'No backup today.'),
  },
  {
    id: 'alarm-ok-actions-removed',
    category: 'guide-alarms-paging',
    description: 'The oldest-active-process alarm no longer notifies on recovery.',
    apply: (s) => s.set(alarm(s, 'oldest-active-process'), 'okActions', []),
  },
  {
    id: 'runbook-http-in-prod',
    category: 'guide-alarms-paging',
    description: 'The runbook base URL is an internal http:// wiki address.',
    apply: (s) => s.edit<string>(alarm(s, 'queue-depth'), 'alarmDescription', (d) => d.replace(/Runbook: https:\/\//, 'Runbook: http://')),
  },
  {
    id: 'runbook-relative-in-prod',
    category: 'guide-alarms-paging',
    description: 'The error-rate alarm links its runbook as a relative repository path.',
    apply: (s) =>
      s.edit<string>(alarm(s, 'error-rate'), 'alarmDescription', (d) => d.replace(/Runbook: \S+#/, 'Runbook: docs/runbook.md#')),
  },
  {
    id: 'runbook-wrong-section',
    category: 'guide-alarms-paging',
    description: 'The incident composite for the database links the API section of the runbook (a copy-paste).',
    apply: (s) =>
      s.edit<string>(composite(s, 'incident-database-unreachable'), 'alarmDescription', (d) =>
        d.replace(/#incident-database-unreachable$/, '#incident-api-failing'),
      ),
  },

  // Paging: only the incident composites page, through PagerDuty, escalating as the guide does.
  {
    id: 'composite-loses-paging',
    category: 'guide-alarms-paging',
    description: 'The database incident composite is routed to the warning topic ("too many pages this week").',
    apply: (s) => route(s, composite(s, 'incident-database-unreachable'), topic(s, 'warning')),
  },
  {
    id: 'metric-alarm-pages',
    category: 'guide-alarms-paging',
    description: 'The queue-monitor-failing alarm is routed to the critical topic itself, beside its incident composite.',
    apply: (s) => route(s, alarm(s, 'queue-monitor-failing'), topic(s, 'critical')),
  },
  {
    id: 'warning-alarm-also-pages',
    category: 'guide-alarms-paging',
    description: 'The backup-failed alarm gets the critical topic added to its actions.',
    apply: (s) => {
      const a = alarm(s, 'backup-failed');
      const c = topic(s, 'critical');
      s.edit<unknown[]>(a, 'alarmActions', (x) => [...x, c.outputs.arn]);
      a.propertyDependencies = { ...a.propertyDependencies, alarmActions: [...(a.propertyDependencies?.alarmActions ?? []), c.urn] };
    },
  },
  {
    id: 'critical-alarm-out-of-incident',
    category: 'guide-alarms-paging',
    description: "The error-rate alarm is dropped from the processing-failing composite's rule.",
    apply: (s) =>
      s.edit<string>(composite(s, 'incident-processing-failing'), 'alarmRule', (r) =>
        r.replace(/ALARM\("AsyncProcessing-prod-error-rate"\) OR /, ''),
      ),
  },
  {
    id: 'incident-composite-and',
    category: 'guide-alarms-paging',
    description: 'The database incident composite requires all of its alarms (AND) instead of any.',
    apply: (s) => s.edit<string>(composite(s, 'incident-database-unreachable'), 'alarmRule', (r) => r.replace(/ OR /g, ' AND ')),
  },
  {
    id: 'incident-composite-deleted',
    category: 'guide-alarms-paging',
    description: 'The API incident composite is deleted while "simplifying alerting".',
    apply: (s) => s.remove(composite(s, 'incident-api-failing')),
  },
  {
    id: 'pagerduty-subscription-removed',
    category: 'guide-alarms-paging',
    description: 'The PagerDuty subscription of the critical topic is removed.',
    apply: (s) => s.remove(s.one(T.subscription, 'the PagerDuty subscription', (p) => p.protocol === 'https')),
  },
  {
    id: 'pagerduty-subscription-relay',
    category: 'guide-alarms-paging',
    description: 'The critical topic delivers to an in-house relay instead of the PagerDuty integration.',
    apply: (s) =>
      s.set(
        s.one(T.subscription, 'the PagerDuty subscription', (p) => p.protocol === 'https'),
        'endpoint',
        'https://alerts-relay.example.com/pagerduty',
      ),
  },
  {
    id: 'pagerduty-integration-events-api',
    category: 'guide-alarms-paging',
    description: "The integration is switched to the generic Events API v2, which never resolves on the alarm's OK.",
    apply: (s) => s.set(s.one(T.pdIntegration, 'the PagerDuty integration'), 'type', 'events_api_v2_inbound_integration'),
  },
  {
    id: 'escalation-team-lead-at-45',
    category: 'guide-alarms-paging',
    description: 'The on-call gets 45 minutes before the team lead is engaged.',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.pdPolicy, 'the escalation policy'), 'rules', (r) =>
        r.map((x, i) => (i === 0 ? { ...x, escalationDelayInMinutes: 45 } : x)),
      ),
  },
  {
    id: 'escalation-skips-team-lead',
    category: 'guide-alarms-paging',
    description: 'The escalation goes from the on-call straight to the manager.',
    apply: (s) => s.edit<Props[]>(s.one(T.pdPolicy, 'the escalation policy'), 'rules', (r) => [r[0]!, r[2]!]),
  },
  {
    id: 'team-lead-is-on-call',
    category: 'guide-alarms-paging',
    description: 'The team lead level targets the on-call schedule again.',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.pdPolicy, 'the escalation policy'), 'rules', (r) =>
        r.map((x, i) => (i === 1 ? { ...x, targets: r[0]!.targets } : x)),
      ),
  },
  {
    id: 'manager-level-empty',
    category: 'guide-alarms-paging',
    description: 'The manager level loses its target when the manager leaves.',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.pdPolicy, 'the escalation policy'), 'rules', (r) => r.map((x, i) => (i === 2 ? { ...x, targets: [] } : x))),
  },
  {
    id: 'escalation-loops',
    category: 'guide-alarms-paging',
    description: 'The escalation policy loops back to the on-call twice after the manager.',
    apply: (s) => s.set(s.one(T.pdPolicy, 'the escalation policy'), 'numLoops', 2),
  },
  {
    id: 'pagerduty-auto-resolve',
    category: 'guide-alarms-paging',
    description: 'The service resolves incidents after 4 hours by itself.',
    apply: (s) => s.set(s.one(T.pdService, 'the PagerDuty service'), 'autoResolveTimeout', '14400'),
  },
  {
    id: 'pagerduty-ack-timeout',
    category: 'guide-alarms-paging',
    description: 'Acknowledged incidents re-trigger after 30 minutes.',
    apply: (s) => s.set(s.one(T.pdService, 'the PagerDuty service'), 'acknowledgementTimeout', '1800'),
  },
  {
    id: 'pagerduty-low-urgency',
    category: 'guide-alarms-paging',
    description: 'The service opens low-urgency incidents "to stop night calls".',
    apply: (s) => s.set(s.one(T.pdService, 'the PagerDuty service'), 'incidentUrgencyRule', { type: 'constant', urgency: 'low' }),
  },
  {
    id: 'incident-manager-escalation-back',
    category: 'guide-alarms-paging',
    description: 'An Incident Manager contact and escalation plan are added back "as a backup" to PagerDuty.',
    apply: (s) => {
      const t = topic(s, 'critical');
      const c = s.add(T.contact, 'team-lead-contact', { alias: 'team-lead', type: 'PERSONAL' }, t);
      const plan = s.add(
        T.contactPlan,
        'team-lead-plan',
        {
          contactId: c.outputs.arn ?? 'arn:aws:ssm-contacts:ap-northeast-1:123456789012:contact/team-lead',
          stages: [{ durationInMinutes: 30 }],
        },
        t,
      );
      plan.propertyDependencies = { contactId: [c.urn] };
    },
  },
  {
    id: 'response-plan-in-prod',
    category: 'guide-alarms-paging',
    description: 'An Incident Manager response plan is created in prod without allowing it in the policy config.',
    apply: (s) =>
      s.add(
        T.responsePlan,
        'incident-response',
        { name: 'AsyncProcessing-prod-critical', incidentTemplate: { title: 'critical', impact: 1 } },
        topic(s, 'critical'),
      ),
  },

  // The alarm design: guards, burn-rate windows, AWS's recommended alarms.
  {
    id: 'error-rate-guard-removed',
    category: 'guide-alarms-paging',
    description: 'The error-rate alarm\'s volume guard is removed "to see every failure".',
    apply: (s) =>
      s.edit<Props[]>(alarm(s, 'error-rate'), 'metricQueries', (q) =>
        q.map((x) => (x.expression ? { ...x, expression: String(x.expression).replace(/^IF\(.*? >= \d+, (.*), 0\)$/, '$1') } : x)),
      ),
  },
  {
    id: 'api-guard-removed',
    category: 'guide-alarms-paging',
    description: 'The API 5xx alarm divides without its request-count guard.',
    apply: (s) =>
      s.edit<Props[]>(alarm(s, 'api-server-errors'), 'metricQueries', (q) =>
        q.map((x) => (x.expression ? { ...x, expression: '100 * FILL(errors,0) / requests' } : x)),
      ),
  },
  {
    id: 'timeout-rate-guard-lowered',
    category: 'guide-alarms-paging',
    description: 'The timeout-rate guard is lowered to one finished process.',
    apply: (s) =>
      s.edit<Props[]>(alarm(s, 'timeout-rate'), 'metricQueries', (q) =>
        q.map((x) => (x.expression ? { ...x, expression: String(x.expression).replace(/>= \d+/, '>= 1') } : x)),
      ),
  },
  {
    id: 'burn-pair-or',
    category: 'guide-alarms-paging',
    description: 'The fast error-budget composite fires on either window (OR) instead of both.',
    apply: (s) => s.edit<string>(composite(s, 'slo-error-budget-fast'), 'alarmRule', (r) => r.replace(' AND ', ' OR ')),
  },
  {
    id: 'burn-fast-threshold',
    category: 'guide-alarms-paging',
    description: "The fast timeout-budget long window fires above 100 % instead of the burn rate's threshold.",
    apply: (s) => s.set(alarm(s, 'slo-timeout-budget-fast-long'), 'threshold', 100),
  },
  {
    id: 'burn-short-window-deleted',
    category: 'guide-alarms-paging',
    description: 'The slow error-budget short window is deleted ("the long one is enough").',
    apply: (s) => s.remove(alarm(s, 'slo-error-budget-slow-short')),
  },
  {
    id: 'burn-long-window-24h',
    category: 'guide-alarms-paging',
    description: 'The slow timeout-budget long window judges 24 hours instead of 6.',
    apply: (s) => s.set(alarm(s, 'slo-timeout-budget-slow-long'), 'evaluationPeriods', 4),
  },
  {
    id: 'memory-alarm-95',
    category: 'guide-alarms-paging',
    description: "The worker's memory alarm fires at 95 % instead of the guide's 80 %.",
    apply: (s) => {
      const f = fn(s, 'aiGenerationWorker');
      s.set(alarm(s, `lambda-memory-${FUNCTIONS.aiGenerationWorker.name}`), 'threshold', Math.floor(Number(f.outputs.memorySize) * 0.95));
    },
  },
  {
    id: 'memory-alarm-deleted',
    category: 'guide-alarms-paging',
    description: "The queue monitor's memory alarm is deleted.",
    apply: (s) => s.remove(alarm(s, `lambda-memory-${FUNCTIONS.queueMonitor.name}`)),
  },
  {
    id: 'cloudfront-5xx-deleted',
    category: 'guide-alarms-paging',
    description: 'The CloudFront 5xx alarm is deleted ("the API alarm covers it").',
    apply: (s) => s.remove(alarm(s, 'cloudfront-server-errors')),
  },
  {
    id: 'waf-alarm-stack-region',
    category: 'guide-alarms-paging',
    description: "The WAF blocked-requests alarm is created in the stack's region, where WAF for CloudFront publishes nothing.",
    apply: (s) => s.set(alarm(s, 'waf-blocked-spike'), 'region', undefined),
  },
  {
    id: 'waf-threshold-2000',
    category: 'guide-alarms-paging',
    description: 'The WAF alarm fires above 2000 blocked requests.',
    apply: (s) => s.set(alarm(s, 'waf-blocked-spike'), 'threshold', 2000),
  },
  {
    id: 'transaction-ids-threshold',
    category: 'guide-alarms-paging',
    description: 'The transaction-id alarm fires at 2 billion, past the wraparound safety margin.',
    apply: (s) => s.set(alarm(s, 'aurora-transaction-ids'), 'threshold', 2_000_000_000),
  },
  {
    id: 'db-load-deleted',
    category: 'guide-alarms-paging',
    description: 'The Aurora DBLoad alarm is deleted.',
    apply: (s) => s.remove(alarm(s, 'aurora-db-load')),
  },
  {
    id: 'account-concurrency-deleted',
    category: 'guide-alarms-paging',
    description: 'The account concurrency alarm is deleted.',
    apply: (s) => s.remove(alarm(s, 'lambda-account-concurrency')),
  },
  {
    id: 'edge-delivery-alarm-deleted',
    category: 'guide-alarms-paging',
    description: 'The failed-deliveries alarm of the edge topic is deleted.',
    apply: (s) => s.remove(alarm(s, 'alert-delivery-failed-edge')),
  },

  // Routing: the edge topic in us-east-1.
  {
    id: 'edge-topic-missing',
    category: 'guide-alarms-paging',
    description: 'The us-east-1 edge topic is deleted; the edge alarms keep its ARN.',
    apply: (s) => s.remove(edgeTopic(s)),
  },
  {
    id: 'edge-alarm-to-stack-topic',
    category: 'guide-alarms-paging',
    description: "The CloudFront 5xx alarm is routed to the warning topic of the stack's region.",
    apply: (s) => route(s, alarm(s, 'cloudfront-server-errors'), topic(s, 'warning')),
  },
  {
    id: 'edge-email-removed',
    category: 'guide-alarms-paging',
    description: "The edge topic's e-mail subscription is removed.",
    apply: (s) => s.remove(s.one(T.subscription, "the edge topic's e-mail", (p) => p.protocol === 'email' && p.region === 'us-east-1')),
  },
  {
    id: 'slack-drops-edge-topic',
    category: 'guide-alarms-paging',
    description: 'The Slack channel configuration forgets the edge topic.',
    apply: (s) =>
      s.dropReference(
        s.one('aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration', 'the Slack channel'),
        'snsTopicArns',
        edgeTopic(s),
      ),
  },

  {
    id: 'warning-email-removed',
    category: 'guide-alarms-paging',
    description: 'The e-mail subscription of the warning topic is removed ("we have Slack").',
    apply: (s) =>
      s.remove(
        s.one(
          T.subscription,
          "the warning topic's e-mail",
          (p) =>
            p.protocol === 'email' &&
            s.all(T.subscription).some((x) => x.outputs === p && (x.propertyDependencies?.topic ?? []).includes(topic(s, 'warning').urn)),
        ),
      ),
  },
  {
    id: 'slack-drops-warning-topic',
    category: 'guide-alarms-paging',
    description: 'The Slack channel configuration lists the critical topic only.',
    apply: (s) =>
      s.dropReference(
        s.one('aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration', 'the Slack channel'),
        'snsTopicArns',
        topic(s, 'warning'),
      ),
  },
  {
    id: 'saved-query-edited',
    category: 'guide-alarms-paging',
    description: "The saved error query is edited to show 10 errors instead of the guide's 100.",
    apply: (s) =>
      s.edit<string>(
        s.one(T.query, 'the saved error query', (p) => String(p.name).endsWith('/Errors')),
        'queryString',
        (q) => q.replace('limit 100', 'limit 10'),
      ),
  },
  {
    id: 'saved-query-removed',
    category: 'guide-alarms-paging',
    description: 'The duration-by-type saved query is deleted.',
    apply: (s) => s.remove(s.one(T.query, 'the duration query', (p) => String(p.name).endsWith('/DurationByType'))),
  },
  {
    id: 'dashboard-removed',
    category: 'guide-alarms-paging',
    description: 'The AsyncProcessing-Dashboard is deleted "because nobody opens it".',
    apply: (s) => s.remove(s.one('aws:cloudwatch/dashboard:Dashboard', 'the dashboard')),
  },

  // Data, backups, windows.
  {
    id: 'worker-logs-not-archived',
    category: 'guide-data-windows',
    description: "The worker log group's archive subscription is removed.",
    apply: (s) =>
      s.remove(
        s.one(
          T.subscriptionFilter,
          "the worker's archive filter",
          (p) => p.logGroup === `/aws/lambda/${FUNCTIONS.aiGenerationWorker.name}`,
        ),
      ),
  },
  {
    id: 'archive-errors-only',
    category: 'guide-data-windows',
    description: 'The API access logs are archived only when they match "ERROR".',
    apply: (s) =>
      s.set(
        s.one(T.subscriptionFilter, 'the API access log filter', (p) => String(p.logGroup).startsWith('/aws/apigateway/')),
        'filterPattern',
        'ERROR',
      ),
  },
  {
    id: 'archive-uncompressed',
    category: 'guide-data-windows',
    description: 'The log archive stream stops compressing.',
    apply: (s) =>
      s.set(
        s.one('aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream', 'the archive stream'),
        'extendedS3Configuration.compressionFormat',
        'UNCOMPRESSED',
      ),
  },
  {
    id: 'archive-lifecycle-removed',
    category: 'guide-data-windows',
    description: "The log archive bucket's lifecycle is removed, so archives are kept forever.",
    apply: (s) => s.remove(s.one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'the archive lifecycle')),
  },
  {
    id: 'backup-retention-1',
    category: 'guide-data-windows',
    description: 'Aurora keeps backups 1 day.',
    apply: (s) => s.set(s.one(T.cluster, 'the cluster'), 'backupRetentionPeriod', 1),
  },
  {
    id: 'backup-window-utc',
    category: 'guide-data-windows',
    description: 'The backup window is written 03:00-03:30 thinking it is JST (it is UTC: 12:00 JST).',
    apply: (s) => s.set(s.one(T.cluster, 'the cluster'), 'preferredBackupWindow', '03:00-03:30'),
  },
  {
    id: 'backup-plan-utc',
    category: 'guide-data-windows',
    description: 'The AWS Backup rule loses its Asia/Tokyo timezone (03:00 UTC).',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.backupPlan, 'the backup plan'), 'rules', (r) =>
        r.map((x) => ({ ...x, scheduleExpressionTimezone: undefined })),
      ),
  },
  {
    id: 'backup-plan-keep-3',
    category: 'guide-data-windows',
    description: 'The AWS Backup rule keeps recovery points 3 days.',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.backupPlan, 'the backup plan'), 'rules', (r) => r.map((x) => ({ ...x, lifecycle: { deleteAfter: 3 } }))),
  },
  {
    id: 'restore-test-selection-removed',
    category: 'guide-data-windows',
    description: "The monthly restore test's Aurora selection is removed.",
    apply: (s) => s.remove(s.one(T.restoreSelection, 'the restore test selection')),
  },
  {
    id: 'restore-testing-removed',
    category: 'guide-data-windows',
    description: 'The restore testing plan and its selection are deleted "to save cost".',
    apply: (s) => s.remove(s.one(T.restorePlan, 'the restore testing plan'), s.one(T.restoreSelection, 'the restore test selection')),
  },
  {
    id: 'backup-selection-removed',
    category: 'guide-data-windows',
    description: 'The AWS Backup selection of the cluster is removed.',
    apply: (s) => s.remove(s.one(T.backupSelection, 'the backup selection')),
  },
  {
    id: 'restore-test-random-point',
    category: 'guide-data-windows',
    description: 'The restore test picks a random recovery point of the last year.',
    apply: (s) =>
      s.edit<Props>(s.one(T.restorePlan, 'the restore testing plan'), 'recoveryPointSelection', (r) => ({
        ...r,
        algorithm: 'RANDOM_WITHIN_WINDOW',
        selectionWindowDays: 365,
      })),
  },
  {
    id: 'restore-test-afternoon',
    category: 'guide-data-windows',
    description: 'The restore test runs at 14:00 on the first Sunday.',
    apply: (s) => s.set(s.one(T.restorePlan, 'the restore testing plan'), 'scheduleExpression', 'cron(0 14 ? * SUN#1 *)'),
  },
  {
    id: 'weekly-maintenance-utc',
    category: 'guide-data-windows',
    description: 'The weekly maintenance schedule loses its timezone (02:00 UTC = 11:00 JST).',
    apply: (s) => s.set(schedule(s, 'weekly-maintenance-3'), 'scheduleExpressionTimezone', undefined),
  },
  {
    id: 'weekly-maintenance-10am',
    category: 'guide-data-windows',
    description: 'The weekly maintenance moves to 10:00 JST.',
    apply: (s) => s.set(schedule(s, 'weekly-maintenance-3'), 'scheduleExpression', 'cron(0 10 ? * SUN#3 *)'),
  },
  {
    id: 'monthly-every-sunday',
    category: 'guide-data-windows',
    description: 'The monthly maintenance runs every Sunday (SUN instead of SUN#1).',
    apply: (s) => s.set(schedule(s, 'monthly-maintenance'), 'scheduleExpression', weeklyCron(MAINTENANCE.monthly.startJst, 'SUN')),
  },
  {
    id: 'weekly-maintenance-deleted',
    category: 'guide-data-windows',
    description: 'The weekly maintenance schedule is deleted.',
    apply: (s) => s.remove(schedule(s, 'weekly-maintenance-3')),
  },
  {
    id: 'weekly-maintenance-disabled',
    category: 'guide-data-windows',
    description: 'The weekly maintenance schedule is DISABLED during an incident and left so.',
    apply: (s) => s.set(schedule(s, 'weekly-maintenance-3'), 'state', 'DISABLED'),
  },
  {
    id: 'maintenance-retry-default',
    category: 'guide-data-windows',
    description: "The weekly schedule's retry policy is removed (EventBridge retries for 24 h).",
    apply: (s) => s.set(schedule(s, 'weekly-maintenance-3'), 'target.retryPolicy', undefined),
  },
  {
    id: 'rds-maintenance-monday',
    category: 'guide-data-windows',
    description: 'Aurora patches on Monday 03:00 UTC.',
    apply: (s) => s.set(s.one(T.cluster, 'the cluster'), 'preferredMaintenanceWindow', 'mon:03:00-mon:03:30'),
  },
  {
    id: 'instance-maintenance-random',
    category: 'guide-data-windows',
    description: "The instance's maintenance window is dropped, so AWS picks one.",
    apply: (s) => s.set(s.one(T.instance, 'the instance'), 'preferredMaintenanceWindow', undefined),
  },
  {
    id: 'deletion-protection-off',
    category: 'guide-data-windows',
    description: 'Aurora deletion protection is turned off for a migration.',
    apply: (s) => s.set(s.one(T.cluster, 'the cluster'), 'deletionProtection', false),
  },
  {
    id: 'skip-final-snapshot',
    category: 'guide-data-windows',
    description: 'Aurora skips its final snapshot.',
    apply: (s) => s.set(s.one(T.cluster, 'the cluster'), 'skipFinalSnapshot', true),
  },
  {
    id: 'user-pool-unprotected',
    category: 'guide-data-windows',
    description: "The user pool's deletion protection is INACTIVE.",
    apply: (s) => s.set(s.one(T.userPool, 'the user pool'), 'deletionProtection', 'INACTIVE'),
  },
  {
    id: 'archive-force-destroy',
    category: 'guide-data-windows',
    description: 'The log archive bucket gets forceDestroy.',
    apply: (s) => s.set(archive(s), 'forceDestroy', true),
  },
  {
    id: 'vault-force-destroy',
    category: 'guide-data-windows',
    description: 'The backup vault gets forceDestroy.',
    apply: (s) => s.set(s.one(T.vault, 'the backup vault'), 'forceDestroy', true),
  },

  // Access, edge, budget.
  {
    id: 'route-without-jwt',
    category: 'guide-access-budget',
    description: 'The status route is opened "for the mobile app" (authorization NONE).',
    apply: (s) =>
      s.set(
        s.one(T.route, 'the status route', (p) => String(p.routeKey).startsWith('GET ')),
        'authorizationType',
        'NONE',
      ),
  },
  {
    id: 'authorizer-no-audience',
    category: 'guide-access-budget',
    description: "The JWT authorizer's audience list is emptied.",
    apply: (s) => s.set(s.one(T.authorizer, 'the JWT authorizer'), 'jwtConfiguration.audiences', []),
  },
  {
    id: 'authorizer-token-from-query',
    category: 'guide-access-budget',
    description: 'The authorizer reads the token from a query string parameter.',
    apply: (s) => s.set(s.one(T.authorizer, 'the JWT authorizer'), 'identitySources', ['$request.querystring.token']),
  },
  {
    id: 'access-token-7-days',
    category: 'guide-access-budget',
    description: 'Access tokens are made valid 7 days.',
    apply: (s) => {
      const c = s.one(T.client, 'the app client');
      s.set(c, 'accessTokenValidity', 7);
      s.set(c, 'tokenValidityUnits.accessToken', 'days');
    },
  },
  {
    id: 'refresh-token-default',
    category: 'guide-access-budget',
    description: "The refresh token validity is removed, back to Cognito's 30 days.",
    apply: (s) => {
      const c = s.one(T.client, 'the app client');
      s.set(c, 'refreshTokenValidity', undefined);
      s.set(c, 'tokenValidityUnits.refreshToken', undefined);
    },
  },
  {
    id: 'waf-limit-100',
    category: 'guide-access-budget',
    description: `The per-user WAF limit is raised from ${AUTH.rateLimit.requests} to 100.`,
    apply: (s) =>
      s.edit<Props[]>(s.one(T.webAcl, 'the web ACL'), 'rules', (r) =>
        r.map((x) =>
          x.name === 'per-user-rate-limit'
            ? { ...x, statement: { rateBasedStatement: { ...x.statement.rateBasedStatement, limit: 100 } } }
            : x,
        ),
      ),
  },
  {
    id: 'waf-per-user-count',
    category: 'guide-access-budget',
    description: 'The per-user rule is set to count "to watch first".',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.webAcl, 'the web ACL'), 'rules', (r) =>
        r.map((x) => (x.name === 'per-user-rate-limit' ? { ...x, action: { count: {} } } : x)),
      ),
  },
  {
    id: 'waf-window-300',
    category: 'guide-access-budget',
    description: "The per-user rule counts over WAF's default 5 minutes.",
    apply: (s) =>
      s.edit<Props[]>(s.one(T.webAcl, 'the web ACL'), 'rules', (r) =>
        r.map((x) =>
          x.name === 'per-user-rate-limit'
            ? { ...x, statement: { rateBasedStatement: { ...x.statement.rateBasedStatement, evaluationWindowSec: 300 } } }
            : x,
        ),
      ),
  },
  {
    id: 'waf-common-rules-removed',
    category: 'guide-access-budget',
    description: 'The AWS common rule set is removed after a false positive.',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.webAcl, 'the web ACL'), 'rules', (r) =>
        r.filter((x) => x.statement?.managedRuleGroupStatement?.name !== 'AWSManagedRulesCommonRuleSet'),
      ),
  },
  {
    id: 'waf-bad-inputs-count',
    category: 'guide-access-budget',
    description: 'The known-bad-inputs group is overridden to count.',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.webAcl, 'the web ACL'), 'rules', (r) =>
        r.map((x) =>
          x.statement?.managedRuleGroupStatement?.name === 'AWSManagedRulesKnownBadInputsRuleSet'
            ? { ...x, overrideAction: { count: {} } }
            : x,
        ),
      ),
  },
  {
    id: 'budget-1000',
    category: 'guide-access-budget',
    description: 'The monthly budget is raised to $1000.',
    apply: (s) => s.set(budget(s, 'monthly-total'), 'limitAmount', '1000.00'),
  },
  {
    id: 'budget-bedrock-line-removed',
    category: 'guide-access-budget',
    description: 'The Bedrock cost line budget is deleted.',
    apply: (s) => s.remove(budget(s, 'monthly-bedrock')),
  },
  {
    id: 'budget-lambda-line-400',
    category: 'guide-access-budget',
    description: 'The Lambda line budget is raised to $400.',
    apply: (s) => s.set(budget(s, 'monthly-lambda'), 'limitAmount', '400.00'),
  },
  {
    id: 'budget-notify-at-150',
    category: 'guide-access-budget',
    description: 'The total budget notifies at 150 % only "to cut noise".',
    apply: (s) => s.edit<Props[]>(budget(s, 'monthly-total'), 'notifications', (n) => n.map((x) => ({ ...x, threshold: 150 }))),
  },
  {
    id: 'budget-no-notifications',
    category: 'guide-access-budget',
    description: "The total budget's notifications are removed.",
    apply: (s) => s.set(budget(s, 'monthly-total'), 'notifications', []),
  },

  // IAM.
  {
    id: 'lambda-role-s3-star',
    category: 'security-iam',
    description: 'AsyncProcessingLambdaRole gets s3:* on * "for a quick export".',
    apply: (s) =>
      s.editDocument(rolePolicy(s, 'AsyncProcessingLambdaRole'), 'policy', (d) => {
        d.Statement.push(allow('Export', 's3:*', '*'));
      }),
  },
  {
    id: 'monitoring-cloudwatch-star',
    category: 'security-iam',
    description: 'MonitoringRole gets cloudwatch:* to let operators mute alarms.',
    apply: (s) =>
      s.editDocument(rolePolicy(s, 'MonitoringRole'), 'policy', (d) => {
        d.Statement.push(allow('Mute', 'cloudwatch:*', '*'));
      }),
  },
  {
    id: 'step-functions-any-function',
    category: 'security-iam',
    description: 'StepFunctionsRole may invoke function:* in the account.',
    apply: (s) =>
      s.editDocument(rolePolicy(s, 'StepFunctionsRole'), 'policy', (d) => {
        d.Statement[0]!.Resource = [
          `arn:aws:lambda:${d.Statement[0]!.Resource[0].split(':')[3]}:${d.Statement[0]!.Resource[0].split(':')[4]}:function:*`,
        ];
      }),
  },
  {
    id: 'monitoring-all-log-groups',
    category: 'security-iam',
    description: "MonitoringRole reads log-group:* instead of this stack's groups.",
    apply: (s) =>
      s.editDocument(rolePolicy(s, 'MonitoringRole'), 'policy', (d) => {
        const st = d.Statement.find((x) => x.Sid === 'ReadOwnLogs')!;
        st.Resource = [String(st.Resource[0]).replace(/log-group:.*$/, 'log-group:*')];
      }),
  },
  {
    id: 'monitoring-logs-get-star',
    category: 'security-iam',
    description: 'MonitoringRole gets logs:Get* "to read everything it needs".',
    apply: (s) =>
      s.editDocument(rolePolicy(s, 'MonitoringRole'), 'policy', (d) => {
        d.Statement.find((x) => x.Sid === 'ReadOwnLogs')!.Action.push('logs:Get*');
      }),
  },
  {
    id: 'worker-bedrock-any-model',
    category: 'security-iam',
    description: 'The worker may invoke any Bedrock model (Resource "*").',
    apply: (s) =>
      s.editDocument(rolePolicy(s, 'AIGenerationWorkerRole'), 'policy', (d) => {
        d.Statement.find((x) => x.Sid === 'InvokeConfiguredModelOnly')!.Resource = ['*'];
      }),
  },
  {
    id: 'db-admin-not-action',
    category: 'security-iam',
    description: 'The database admin role gets Allow NotAction iam:* "to stop permission errors".',
    apply: (s) =>
      s.editDocument(rolePolicy(s, 'AsyncProcessingDbAdminRole'), 'policy', (d) => {
        d.Statement.push({ Sid: 'Everything', Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
      }),
  },
  {
    id: 'chatbot-read-only-access',
    category: 'security-iam',
    description: 'The Chatbot role is given ReadOnlyAccess instead of CloudWatchReadOnlyAccess.',
    apply: (s) =>
      s.set(
        s.one(T.attachment, 'the Chatbot attachment', (p) => String(p.policyArn).endsWith('CloudWatchReadOnlyAccess')),
        'policyArn',
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ),
  },
  {
    id: 'backup-role-admin',
    category: 'security-iam',
    description: 'The AWS Backup role gets AdministratorAccess after a restore failed.',
    apply: (s) => {
      const a = s.one(T.attachment, 'a backup role attachment', (p) =>
        String(p.policyArn).includes('AWSBackupServiceRolePolicyForRestores'),
      );
      s.set(a, 'policyArn', 'arn:aws:iam::aws:policy/AdministratorAccess');
    },
  },
  {
    id: 'chatbot-guardrail-admin',
    category: 'security-iam',
    description: 'The Slack channel\'s guardrail is widened to AdministratorAccess "so commands work".',
    apply: (s) =>
      s.set(s.one('aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration', 'the Slack channel'), 'guardrailPolicyArns', [
        'arn:aws:iam::aws:policy/AdministratorAccess',
      ]),
  },
  {
    id: 'scheduler-trust-any-account',
    category: 'security-iam',
    description: "The scheduler role's trust policy loses its aws:SourceAccount condition.",
    apply: (s) =>
      s.editDocument(
        role(s, 'the scheduler role', (p) => String(p.assumeRolePolicy).includes('scheduler.amazonaws.com')),
        'assumeRolePolicy',
        (d) => {
          delete d.Statement[0]!.Condition;
        },
      ),
  },
  {
    id: 'monitoring-trust-anyone',
    category: 'security-iam',
    description: 'MonitoringRole trusts Principal "*" so "any operator can use it".',
    apply: (s) =>
      s.editDocument(
        role(s, 'MonitoringRole', (p) => p.name === 'MonitoringRole'),
        'assumeRolePolicy',
        (d) => {
          d.Statement[0]!.Principal = { AWS: '*' };
        },
      ),
  },
  {
    id: 'step-functions-trust-any-account',
    category: 'security-iam',
    description: "StepFunctionsRole's trust is copied from a blog post, without a condition.",
    apply: (s) =>
      s.editDocument(
        role(s, 'StepFunctionsRole', (p) => p.name === 'StepFunctionsRole'),
        'assumeRolePolicy',
        (d) => {
          delete d.Statement[0]!.Condition;
        },
      ),
  },

  // Exposure.
  {
    id: 'database-open-to-internet',
    category: 'security-exposure',
    description: 'An ingress rule opens tcp/5432 to 0.0.0.0/0 "to debug from home".',
    apply: (s) => {
      const r = s.one(T.ingress, 'the database ingress', (p) => p.fromPort === INFRA.database.port);
      s.add(T.ingress, 'network-database-from-home', { ...r.inputs, referencedSecurityGroupId: undefined, cidrIpv4: '0.0.0.0/0' }, r);
    },
  },
  {
    id: 'database-open-to-vpc-range',
    category: 'security-exposure',
    description: 'The database ingress is replaced by the whole 10.0.0.0/8 range.',
    apply: (s) => {
      const r = s.one(T.ingress, 'the database ingress', (p) => p.fromPort === INFRA.database.port);
      s.set(r, 'referencedSecurityGroupId', undefined);
      s.set(r, 'cidrIpv4', '10.0.0.0/8');
    },
  },
  {
    id: 'ssh-open-to-world',
    category: 'security-exposure',
    description: 'SSH (tcp/22) is opened to the world on the Lambda security group.',
    apply: (s) =>
      s.set(
        s.one(T.securityGroup, 'the Lambda security group', (p) => String(p.description).startsWith('Lambda')),
        'ingress',
        [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }],
      ),
  },
  {
    id: 'endpoints-https-world',
    category: 'security-exposure',
    description: "The endpoints' HTTPS ingress is opened to 0.0.0.0/0.",
    apply: (s) => {
      const r = s.one(T.ingress, 'the endpoints ingress', (p) => p.fromPort === 443);
      s.set(r, 'referencedSecurityGroupId', undefined);
      s.set(r, 'cidrIpv4', '0.0.0.0/0');
    },
  },
  {
    id: 'instance-public',
    category: 'security-exposure',
    description: 'The database instance is made publicly accessible.',
    apply: (s) => s.set(s.one(T.instance, 'the instance'), 'publiclyAccessible', true),
  },
  {
    id: 'frontend-block-public-policy-off',
    category: 'security-exposure',
    description: 'blockPublicPolicy is turned off on the frontend bucket "to test a public asset".',
    apply: (s) => s.set(blockOf(s, frontend(s)), 'blockPublicPolicy', false),
  },
  {
    id: 'archive-public-access-block-removed',
    category: 'security-exposure',
    description: "The log archive bucket's public access block is deleted.",
    apply: (s) => s.remove(blockOf(s, archive(s))),
  },
  {
    id: 'frontend-policy-public',
    category: 'security-exposure',
    description: 'The frontend bucket policy is replaced by a public read.',
    apply: (s) =>
      s.set(
        s.one(T.bucketPolicy, 'the frontend bucket policy'),
        'policy',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::frontend/*' }],
        }),
      ),
  },
  {
    id: 'bucket-public-acl',
    category: 'security-exposure',
    description: 'A public-read ACL is added to the frontend bucket.',
    apply: (s) => {
      const b = frontend(s);
      const acl = s.add(T.bucketAcl, 'edge-frontend-acl', { bucket: b.outputs.bucket, acl: 'public-read' }, b);
      acl.propertyDependencies = { bucket: [b.urn] };
    },
  },
  {
    id: 'status-function-url-public',
    category: 'security-exposure',
    description: 'A function URL with authorization NONE is added to the status handler.',
    apply: (s) => {
      const f = fn(s, 'statusCheckHandler');
      s.add(T.functionUrl, 'status-url', { functionName: f.outputs.name, authorizationType: 'NONE' }, f);
    },
  },
  {
    id: 'permission-without-source',
    category: 'security-exposure',
    description: 'A Lambda permission for API Gateway loses its sourceArn.',
    apply: (s) => s.set(s.one(T.permission, 'a Lambda permission'), 'sourceArn', undefined),
  },
  {
    id: 'permission-any-api',
    category: 'security-exposure',
    description: "A Lambda permission's sourceArn is widened to any API of any account.",
    apply: (s) => s.set(s.one(T.permission, 'a Lambda permission'), 'sourceArn', 'arn:aws:execute-api:ap-northeast-1:*:*'),
  },
  {
    id: 'permission-principal-star',
    category: 'security-exposure',
    description: 'A Lambda permission is granted to principal "*".',
    apply: (s) => s.set(s.one(T.permission, 'a Lambda permission'), 'principal', '*'),
  },
  {
    id: 'topic-policy-anyone',
    category: 'security-exposure',
    description: 'The critical topic\'s policy lets Principal "*" publish.',
    apply: (s) => {
      const p = s.one(T.topicPolicy, 'a topic policy');
      s.set(
        p,
        'policy',
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: '*' }],
        }),
      );
    },
  },
  {
    id: 'topic-policy-any-account',
    category: 'security-exposure',
    description: "The warning topic's policy drops its aws:SourceAccount condition.",
    apply: (s) =>
      s.editDocument(s.all(T.topicPolicy).at(-1)!, 'policy', (d) => {
        delete d.Statement[0]!.Condition;
      }),
  },
  {
    id: 'cdn-allow-http',
    category: 'security-exposure',
    description: 'The frontend behaviour serves plain HTTP (allow-all).',
    apply: (s) => s.set(s.one(T.distribution, 'the distribution'), 'defaultCacheBehavior.viewerProtocolPolicy', 'allow-all'),
  },
  {
    id: 'cdn-origin-match-viewer',
    category: 'security-exposure',
    description: 'The API origin is reached with match-viewer.',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.distribution, 'the distribution'), 'origins', (o) =>
        o.map((x) =>
          x.customOriginConfig ? { ...x, customOriginConfig: { ...x.customOriginConfig, originProtocolPolicy: 'match-viewer' } } : x,
        ),
      ),
  },
  {
    id: 'cdn-no-waf',
    category: 'security-exposure',
    description: "The distribution's web ACL is detached.",
    apply: (s) => s.set(s.one(T.distribution, 'the distribution'), 'webAclId', undefined),
  },
  {
    id: 'cdn-regional-waf',
    category: 'security-exposure',
    description: "The distribution names a regional web ACL's ARN.",
    apply: (s) =>
      s.set(s.one(T.distribution, 'the distribution'), 'webAclId', 'arn:aws:wafv2:ap-northeast-1:123456789012:regional/webacl/api/1'),
  },
  {
    id: 'api-domain-keeps-execute-api',
    category: 'security-exposure',
    description: 'A custom domain is added to the API by hand, and its execute-api endpoint is left on (a WAF bypass).',
    apply: (s) => {
      const api = s.one(T.api, 'the HTTP API');
      const domain = s.add(
        T.apiDomain,
        'api-domain',
        {
          domainName: 'api.example.com',
          domainNameConfiguration: {
            certificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/1',
            endpointType: 'REGIONAL',
            securityPolicy: 'TLS_1_2',
          },
        },
        api,
      );
      const mapping = s.add(
        T.apiMapping,
        'api-domain-mapping',
        { apiId: api.outputs.id ?? 'api-id', domainName: 'api.example.com', stage: '$default' },
        api,
      );
      mapping.propertyDependencies = { apiId: [api.urn], domainName: [domain.urn] };
    },
  },
  {
    id: 'cdn-certificate-wrong-region',
    category: 'security-exposure',
    description: 'The distribution gets a certificate from ap-northeast-1 and the default TLSv1 policy.',
    apply: (s) =>
      s.set(s.one(T.distribution, 'the distribution'), 'viewerCertificate', {
        acmCertificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/1',
        sslSupportMethod: 'sni-only',
      }),
  },
  {
    id: 'cdn-api-cached',
    category: 'security-exposure',
    description: 'The /v1/* behaviour is given the CachingOptimized policy "to speed up status polling".',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.distribution, 'the distribution'), 'orderedCacheBehaviors', (b) =>
        b.map((x) => (x.pathPattern === '/v1/*' ? { ...x, cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' } : x)),
      ),
  },
  {
    id: 'ingress-half-the-internet',
    category: 'security-exposure',
    description: 'An ingress rule admits 0.0.0.0/1 on HTTPS to the endpoints ("not the whole internet").',
    apply: (s) => {
      const r = s.one(T.ingress, 'the endpoints ingress', (p) => p.fromPort === 443);
      s.set(r, 'referencedSecurityGroupId', undefined);
      s.set(r, 'cidrIpv4', '0.0.0.0/1');
    },
  },
  {
    id: 'alert-subscription-http',
    category: 'security-exposure',
    description: 'An alert topic gets a webhook subscription over plain http.',
    apply: (s) => {
      const t = topic(s, 'warning');
      const sub = s.add(
        T.subscription,
        'warning-webhook',
        { topic: t.outputs.arn, protocol: 'http', endpoint: 'http://hooks.example.com/alerts' },
        t,
      );
      sub.propertyDependencies = { topic: [t.urn] };
    },
  },
  {
    id: 'stage-no-access-logs',
    category: 'security-exposure',
    description: "The API stage's access logs are removed.",
    apply: (s) => s.set(s.one(T.stage, 'the API stage'), 'accessLogSettings', undefined),
  },
  {
    id: 'stage-no-throttling',
    category: 'security-exposure',
    description: "The stage's throttling is removed.",
    apply: (s) => s.set(s.one(T.stage, 'the API stage'), 'defaultRouteSettings', { detailedMetricsEnabled: true }),
  },
  {
    id: 'stage-no-route-metrics',
    category: 'security-exposure',
    description: 'Detailed route metrics are turned off "to save money".',
    apply: (s) => s.set(s.one(T.stage, 'the API stage'), 'defaultRouteSettings.detailedMetricsEnabled', false),
  },
  {
    id: 'stage-rate-50000',
    category: 'security-exposure',
    description: 'The stage rate limit is raised to 50 000 requests/s for a load test.',
    apply: (s) => s.set(s.one(T.stage, 'the API stage'), 'defaultRouteSettings.throttlingRateLimit', 50_000),
  },

  // Data protection and secrets.
  {
    id: 'aurora-unencrypted',
    category: 'security-data',
    description: "The cluster's storage encryption is turned off.",
    apply: (s) => s.set(s.one(T.cluster, 'the cluster'), 'storageEncrypted', false),
  },
  {
    id: 'aurora-iam-auth-off',
    category: 'security-data',
    description: 'IAM database authentication is turned off.',
    apply: (s) => s.set(s.one(T.cluster, 'the cluster'), 'iamDatabaseAuthenticationEnabled', false),
  },
  {
    id: 'force-ssl-off',
    category: 'security-data',
    description: 'rds.force_ssl is set to 0 "for a legacy client".',
    apply: (s) =>
      s.edit<Props[]>(s.one(T.params, 'the parameter group'), 'parameters', (ps) =>
        ps.map((p) => (p.name === 'rds.force_ssl' ? { ...p, value: '0' } : p)),
      ),
  },
  {
    id: 'log-exports-removed',
    category: 'security-data',
    description: 'The PostgreSQL log export is removed.',
    apply: (s) => s.set(s.one(T.cluster, 'the cluster'), 'enabledCloudwatchLogsExports', []),
  },
  {
    id: 'master-password-in-program',
    category: 'security-data',
    description: 'The master password is set in the program.',
    apply: (s) => {
      const c = s.one(T.cluster, 'the cluster');
      s.set(c, 'manageMasterUserPassword', undefined);
      s.set(c, 'masterPassword', 'Sup3rS3cret!');
    },
  },
  {
    id: 'db-password-env',
    category: 'security-data',
    description: 'DB_PASSWORD is passed to the cleanup function as an environment variable.',
    apply: (s) => s.set(fn(s, 'processingCleanup'), 'environment.variables.DB_PASSWORD', 'Sup3rS3cret!'),
  },
  {
    id: 'database-url-env',
    category: 'security-data',
    description: 'A DATABASE_URL with the password is added to the worker.',
    apply: (s) =>
      s.set(fn(s, 'aiGenerationWorker'), 'environment.variables.DATABASE_URL', 'postgres://aip_admin:Sup3rS3cret!@db.internal:5432/aip'),
  },
  {
    id: 'slack-webhook-env',
    category: 'security-data',
    description: "A Slack webhook URL is put in the queue monitor's environment to post queue depth.",
    apply: (s) =>
      s.set(
        fn(s, 'queueMonitor'),
        'environment.variables.SLACK_WEBHOOK_URL',
        'https://hooks.slack.com/services/T0000/B0000/abcdefghijklmnop',
      ),
  },
  {
    id: 'db-pass-env',
    category: 'security-data',
    description: 'DB_PASS is added to the status handler "until IAM auth works".',
    apply: (s) => s.set(fn(s, 'statusCheckHandler'), 'environment.variables.DB_PASS', 'Sup3rS3cret!'),
  },
  {
    id: 'topic-unencrypted',
    category: 'security-data',
    description: 'The warning topic loses its KMS key.',
    apply: (s) => s.set(topic(s, 'warning'), 'kmsMasterKeyId', undefined),
  },
  {
    id: 'topic-aws-managed-key',
    category: 'security-data',
    description: 'The critical topic uses the AWS-managed alias/aws/sns key.',
    apply: (s) => s.set(topic(s, 'critical'), 'kmsMasterKeyId', 'alias/aws/sns'),
  },
  {
    id: 'kms-rotation-off',
    category: 'security-data',
    description: "The alert key's rotation is turned off.",
    apply: (s) => s.set(s.one(T.kmsKey, 'the alert key'), 'enableKeyRotation', false),
  },
  {
    id: 'log-group-kms-alias',
    category: 'security-data',
    description: 'A log group names its KMS key by alias.',
    apply: (s) =>
      s.set(
        s.one(T.logGroup, 'the state machine log group', (p) => String(p.name).includes('vendedlogs')),
        'kmsKeyId',
        'alias/logs',
      ),
  },
  {
    id: 'proxy-without-tls',
    category: 'security-data',
    description: 'RDS Proxy is added with requireTls false.',
    apply: (s) => {
      const c = s.one(T.cluster, 'the cluster');
      s.add(
        T.proxy,
        'database-proxy',
        { engineFamily: 'POSTGRESQL', requireTls: false, roleArn: 'arn:aws:iam::123456789012:role/proxy', vpcSubnetIds: ['subnet-1'] },
        c,
      );
    },
  },

  // Platform.
  {
    id: 'runtime-node16',
    category: 'security-platform',
    description: 'The worker is pinned to nodejs16.x for a library.',
    apply: (s) => s.set(fn(s, 'aiGenerationWorker'), 'runtime', 'nodejs16.x'),
  },
  {
    id: 'runtime-node18',
    category: 'security-platform',
    description: 'The start handler is left on nodejs18.x.',
    apply: (s) => s.set(fn(s, 'asyncProcessingHandler'), 'runtime', 'nodejs18.x'),
  },
  {
    id: 'xray-off',
    category: 'security-platform',
    description: 'X-Ray tracing is turned off on the queue monitor.',
    apply: (s) => s.set(fn(s, 'queueMonitor'), 'tracingConfig', undefined),
  },
  {
    id: 'sfn-tracing-off',
    category: 'security-platform',
    description: "The state machine's tracing is turned off.",
    apply: (s) => s.set(machine(s), 'tracingConfiguration.enabled', false),
  },
  {
    id: 'mfa-off',
    category: 'security-platform',
    description: 'Cognito MFA is turned OFF after support tickets.',
    apply: (s) => s.set(s.one(T.userPool, 'the user pool'), 'mfaConfiguration', 'OFF'),
  },
  {
    id: 'mfa-no-factor',
    category: 'security-platform',
    description: 'MFA stays OPTIONAL but the authenticator app factor is disabled.',
    apply: (s) => s.set(s.one(T.userPool, 'the user pool'), 'softwareTokenMfaConfiguration', { enabled: false }),
  },
  {
    id: 'cluster-unprotected',
    category: 'security-platform',
    description: 'Pulumi protect is removed from the Aurora cluster to "clean up state".',
    apply: (s) => {
      s.one(T.cluster, 'the cluster').protect = false;
    },
  },
  {
    id: 'user-pool-protect-removed',
    category: 'security-platform',
    description: 'Pulumi protect is removed from the user pool before a rename.',
    apply: (s) => {
      s.one(T.userPool, 'the user pool').protect = false;
    },
  },
  {
    id: 'vault-protect-removed',
    category: 'security-platform',
    description: 'Pulumi protect is removed from the backup vault.',
    apply: (s) => {
      s.one(T.vault, 'the backup vault').protect = false;
    },
  },
  {
    id: 'archive-bucket-protect-removed',
    category: 'security-platform',
    description: 'Pulumi protect is removed from the log-archive bucket.',
    apply: (s) => {
      s.one(T.bucket, 'the log-archive bucket', (p) => /log-archive/.test(String(p.bucket ?? p.bucketPrefix ?? ''))).protect = false;
    },
  },
  {
    id: 'kms-key-protect-removed',
    category: 'security-platform',
    description: 'Pulumi protect is removed from the alerting KMS key.',
    apply: (s) => {
      s.one(T.kmsKey, 'the alerting key').protect = false;
    },
  },
];
