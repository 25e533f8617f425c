/**
 * Alarm kinds for the AWS services under the pipeline (AWS-recommended alarms for Lambda, Step
 * Functions, API Gateway, Aurora, Bedrock and AWS Backup), adapted to what this pipeline does.
 */
import { ALARM_POLICY, AUTH, BACKUP, DB_CAPACITY, DB_POOL, DESIGN, GUIDE_ALERTS, RATE_VOLUME, TUNING } from '../../guide';
import type { AlarmKind } from './kinds';
import { bytes, duration, during, lastPeriod } from './wording';

const { lambda, stepFunctions, api, edge, aurora, bedrock, backup, alerting, maintenance } = ALARM_POLICY;
const hhmm = (t: { hour: number; minute: number }) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;

const service = (k: Omit<AlarmKind, 'category'>): AlarmKind => ({ ...k, category: 'service' });

/** Why some AWS metrics have no local source (AlarmKind.awsOnly, AlarmSpec.awsOnly). */
export const NOT_LOCAL = {
  concurrency:
    'the local runtime runs every invocation at once, in one process: it enforces no reserved concurrency, so nothing is throttled, and the account’s other functions do not exist',
  memory:
    'every local function shares one Node.js process, whose memory says nothing about one function’s; Lambda’s REPORT lines exist only on AWS',
  stepFunctionsQuota: 'aws-local-stepfunctions has no state-transition quota, so it never throttles',
  aurora: 'the local PostgreSQL is not Aurora: no ACUs, no Performance Insights, no RDS metrics',
  bedrock: 'the local Converse endpoint answers for the model; Bedrock’s own metrics (AWS/Bedrock) come from the service',
  backup: 'AWS Backup has no local counterpart; the local data folder is not backed up',
  edge: 'CloudFront and WAF are not part of the local runtime: requests reach the local API directly',
  sns: 'the local runtime has no SNS topics: alarms are evaluated offline and their notifications modelled',
  opsReport:
    'OpsReport reads AWS only (CloudWatch metrics, Logs Insights, Step Functions, Cost Explorer, IAM Access Analyzer) and writes the reports bucket and the warning topic: the local runtime has none of them, so it does not run the function on its schedule. `npm run ops -- report` builds the same report from local sources (PostgreSQL, the log file) in the operator’s own process, whose failures and time are not the function’s: on AWS a report fails or runs long on a slow Logs Insights query over a month of logs or a throttled AWS API, which nothing local reproduces',
  handlerConcurrency:
    'an API handler’s concurrency is its request rate times its duration, and its duration is work (CPU and SQL), which a compressed clock cannot compress: a failure scenario plays minutes in seconds, multiplying the rate but not the work, so the local count is the time scale times too high; on AWS it is real traffic (the worker’s concurrency is judged locally: its time is the model’s latency, compressed with its arrivals)',
} as const;

export const SERVICE_KINDS = {
  lambdaErrors: service({
    section: 'lambda-errors',
    title: 'Lambda function errors',
    severity: 'warning',
    meaning: `A function ended invocations with an error ${during(lambda.errors)}. API handlers map every error to a response, so for them this is a crash; for the worker it is a step the workflow retries or turns into FAILED.`,
    responseSteps: [
      'Run AsyncProcessing/Errors on the function’s log group.',
      'Check the last deployment of the function and roll back if it started then.',
    ],
    query: 'errors',
    source: 'AWS recommended alarm; ALARM_POLICY.lambda.errors (functions invoked all day, FUNCTION_CADENCE)',
  }),
  lambdaScheduledErrors: service({
    section: 'lambda-scheduled-errors',
    title: 'A scheduled maintenance run failed',
    severity: 'warning',
    meaning: `ProcessingCleanup, which runs once a week (and in the monthly window), ended an invocation with an error or a timeout ${during(maintenance.scheduledErrors)}. A per-minute M-of-N rule could never see one failed run; this alarms on it. The maintenance-overdue heartbeat follows if no retry succeeds in the window.`,
    responseSteps: [
      `Run AsyncProcessing/Errors on the processing-cleanup log group over ${lastPeriod(maintenance.scheduledErrors.periodSeconds)}.`,
      'Lock waits (lockTimeouts in its report) or a timeout mean a long transaction or an index build held the table.',
      'Run it again by hand once fixed (see maintenance-overdue).',
    ],
    query: 'errors',
    source: 'ALARM_POLICY.maintenance.scheduledErrors (FUNCTION_CADENCE: scheduled)',
  }),
  lambdaThrottles: service({
    section: 'lambda-throttles',
    title: 'Lambda function throttled',
    severity: 'warning',
    meaning: `Invocations were refused for lack of concurrency ${during(lambda.throttles)}.`,
    responseSteps: [
      'Compare ConcurrentExecutions with the reserved concurrency (guide: キャパシティプランニング, current / target / limit).',
      'Raise the reserved concurrency towards the guide’s target, and check the account’s unreserved concurrency.',
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.lambda.throttles',
    awsOnly: NOT_LOCAL.concurrency,
  }),
  lambdaDuration: service({
    section: 'lambda-duration',
    title: 'Lambda duration near its timeout',
    severity: 'warning',
    meaning: `The p99 duration has been above ${lambda.duration.percentOfTimeout} % of the function’s timeout ${during(lambda.duration)}: invocations are about to time out.`,
    responseSteps: [
      `Check the memory use in the REPORT lines (guide: raise memory when above ${TUNING.raiseMemoryAbovePercent} %).`,
      'For the worker, check Bedrock latency; for handlers, check the database.',
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.lambda.duration',
  }),
  lambdaMemory: service({
    section: 'lambda-memory',
    title: `Lambda memory use above ${TUNING.raiseMemoryAbovePercent} %`,
    titleJa: 'メモリ使用率',
    severity: 'warning',
    meaning: `An invocation used more than ${TUNING.raiseMemoryAbovePercent} % of the function’s memory ${during(lambda.memory)} (Max Memory Used of its REPORT line, extracted by a metric filter on the function’s log group). The guide: raise the memory above ${TUNING.raiseMemoryAbovePercent} % (メモリサイズの調整).`,
    responseSteps: [
      'Look at the REPORT lines of the function’s log group: is it every invocation or a few large ones?',
      'Raise the function’s memory in guide/ FUNCTIONS and redeploy.',
    ],
    source: 'guide: パフォーマンス改善 — メモリ使用率; ALARM_POLICY.lambda.memory',
    awsOnly: NOT_LOCAL.memory,
  }),
  lambdaConcurrency: service({
    section: 'lambda-concurrency',
    title: 'Lambda concurrency near its reservation',
    severity: 'warning',
    meaning: `Concurrent executions have been above ${lambda.concurrency.percentOfReserved} % of the reserved concurrency ${during(lambda.concurrency)}: throttling is next.`,
    responseSteps: [
      'Raise the reserved concurrency towards the guide’s target (キャパシティプランニング).',
      'If the worker is saturated, QueueDepth will grow: see queue-depth.',
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.lambda.concurrency',
  }),
  lambdaAccountConcurrency: service({
    section: 'lambda-account-concurrency',
    title: 'Account’s unreserved Lambda concurrency near its limit',
    severity: 'warning',
    meaning: `UnreservedConcurrentExecutions has been above ${lambda.accountConcurrency.percentOfUnreserved} % of the account’s unreserved pool (the concurrency quota minus every reservation) ${during(lambda.accountConcurrency)}: functions without a reservation (the maintenance functions, and any other application in the account) are about to be throttled.`,
    responseSteps: [
      'Find which functions use the pool (ConcurrentExecutions per function in the account).',
      'Request a higher concurrency quota in Service Quotas, or lower the reservations (functions.reservedConcurrency).',
    ],
    source:
      'AWS recommended alarm (ConcurrentExecutions, account level); ALARM_POLICY.lambda.accountConcurrency of functions.accountConcurrencyQuota',
    awsOnly: NOT_LOCAL.concurrency,
  }),
  sfnThrottled: service({
    section: 'sfn-throttled',
    title: 'Step Functions throttled',
    severity: 'warning',
    meaning: `State transitions of AIGenerationStateMachine were throttled ${during(stepFunctions.throttled)}: steps are delayed.`,
    responseSteps: ['Check the account’s Step Functions quotas (StateTransition) in Service Quotas and request an increase.'],
    source: 'AWS recommended alarm; ALARM_POLICY.stepFunctions.throttled',
    awsOnly: NOT_LOCAL.stepFunctionsQuota,
  }),
  sfnUnexpectedAborts: service({
    section: 'sfn-unexpected-aborts',
    title: 'Executions aborted beyond user cancels',
    severity: 'warning',
    meaning: `More executions were aborted ${during(stepFunctions.unexpectedAborts)} than users cancelled processes: someone or something stopped executions.`,
    responseSteps: [
      `Look up StopExecution calls in CloudTrail over ${lastPeriod(stepFunctions.unexpectedAborts.periodSeconds)}.`,
      'Check the affected processes: they stay PROCESSING until the sweeper ends them.',
    ],
    source: 'AWS recommended alarm (ExecutionsAborted), net of AsyncProcessingCancelled; ALARM_POLICY.stepFunctions.unexpectedAborts',
  }),
  apiServerErrors: service({
    section: 'api-server-errors',
    title: 'API server errors',
    severity: 'critical',
    incident: 'api-failing',
    meaning: `More than ${GUIDE_ALERTS.errorRate.threshold} % of API requests ${during(api.serverErrors)} got a 5xx, with at least ${RATE_VOLUME.minEvents} requests (RATE_VOLUME): users cannot start or follow processes.`,
    responseSteps: [
      'Run AsyncProcessing/Errors on the handler log groups: 503 SERVICE_UNAVAILABLE means Step Functions, 500 means a bug or the database.',
      'Check Lambda errors and throttles of the handlers, and the Aurora alarms.',
      'Roll back the last deployment if the errors started with it.',
    ],
    query: 'errors',
    source: `AWS recommended alarm (5xx); ALARM_POLICY.api.serverErrors with the guide’s ${GUIDE_ALERTS.errorRate.threshold} % error tolerance`,
  }),
  apiAuthFailures: service({
    section: 'api-auth-failures',
    title: 'Requests refused for their token',
    titleJa: '認証失敗',
    severity: 'warning',
    meaning: `More than ${api.authFailures.perMinuteOfOneClient * (api.authFailures.periodSeconds / 60)} requests ${during(api.authFailures)} were refused 401/403 by the API’s JWT authorizer (AuthFailures, counted by a metric filter on the API access log: API Gateway refuses bad tokens before any handler runs). That is more than one client at the per-user rate limit (${AUTH.rateLimit.requests} a minute) with a bad token: someone is guessing tokens, or a client ships an expired or foreign token in a loop.`,
    responseSteps: [
      'Open the access-log widget (認証失敗・レート制限) on the dashboard: which source IPs, which routes, which authorizerError?',
      'One IP or a few: block it in the web ACL; many: check the WAF blocked-request spike and the issuer settings (api.jwtIssuer).',
      'A security incident (セキュリティインシデント): report to the security team (guide: 検知・報告, within its first 15 minutes).',
    ],
    source: 'guide: セキュリティ監査 日次 — 認証失敗ログ; ALARM_POLICY.api.authFailures of AUTH.rateLimit',
  }),
  cloudFrontServerErrors: service({
    section: 'cloudfront-server-errors',
    title: 'CloudFront 5xx error rate',
    severity: 'warning',
    meaning: `More than ${GUIDE_ALERTS.errorRate.threshold} % of the requests CloudFront served ${during(edge.serverErrors)} were 5xx, with at least ${RATE_VOLUME.minEvents} requests. When the API’s own 5xx alarm is quiet, the edge cannot reach its origins (API Gateway, the frontend bucket) or fails itself.`,
    responseSteps: [
      'Compare with api-server-errors: both → start there; CloudFront only → check the origins (the API URL, the S3 origin access control) and the distribution’s recent changes.',
      'Check the AWS Health Dashboard for CloudFront.',
    ],
    source: `AWS recommended alarm (5xxErrorRate); ALARM_POLICY.edge.serverErrors with the guide’s ${GUIDE_ALERTS.errorRate.threshold} % error tolerance`,
    awsOnly: NOT_LOCAL.edge,
  }),
  wafBlockedSpike: service({
    section: 'waf-blocked-spike',
    title: 'WAF blocked-request spike',
    titleJa: '不正アクセス試行',
    severity: 'warning',
    meaning: `The CloudFront web ACL blocked more than ${edge.wafBlocked.blockedPerWindow} requests ${during(edge.wafBlocked)}: more than one client over the rate limit, managed rules matching an attack, or a broken client fleet.`,
    responseSteps: [
      'Open the web ACL’s sampled requests: which rule blocks, from where?',
      'An attack is a security incident (セキュリティインシデント): report it; a broken client of ours: find its release.',
    ],
    source: 'guide: セキュリティ監査 日次 — 不正アクセス試行; ALARM_POLICY.edge.wafBlocked',
    awsOnly: NOT_LOCAL.edge,
  }),
  alertDeliveryFailed: service({
    section: 'alert-delivery-failed',
    title: 'Alert notifications not delivered',
    severity: 'warning',
    meaning: `SNS could not deliver a notification of an alert topic to one of its subscriptions (NumberOfNotificationsFailed) ${during(alerting.deliveryFailed)}: PagerDuty, Slack (AWS Chatbot) or e-mail missed an alert. The alarm notifies the other topic of its region, so it reaches people through the paths that still work; when the warning topic fails it pages.`,
    responseSteps: [
      'Open the topic in SNS and look at its subscriptions: a deleted PagerDuty integration, a removed Chatbot configuration, an unconfirmed or bouncing e-mail?',
      'Read the delivery status logs if enabled, and the alarms that fired meanwhile (they may have reached nobody).',
    ],
    source: 'AWS recommended alarm (NumberOfNotificationsFailed); ALARM_POLICY.alerting.deliveryFailed',
    awsOnly: NOT_LOCAL.sns,
  }),
  auroraCpu: service({
    section: 'aurora-cpu',
    title: 'Aurora CPU high',
    severity: 'warning',
    meaning: `The cluster’s CPU has been above ${aurora.cpu.thresholdPercent} % ${during(aurora.cpu)}.`,
    responseSteps: [
      'Look for slow queries (guide: スロークエリログ) and missing indexes.',
      'Check ACU utilization: at its maximum, raise the maximum capacity.',
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.aurora.cpu',
    awsOnly: NOT_LOCAL.aurora,
  }),
  auroraAcu: service({
    section: 'aurora-acu',
    title: 'Aurora Serverless capacity near its maximum',
    severity: 'warning',
    meaning: `ACU utilization has been above ${aurora.acu.thresholdPercent} % of the maximum capacity ${during(aurora.acu)}: the database cannot scale further.`,
    responseSteps: [
      'Raise the cluster’s maximum ACU (database config of the stack).',
      `Review the capacity plan (guide: データベース容量 — ${DB_CAPACITY.currentGb} GB now, growing ${DB_CAPACITY.monthlyGrowthGb} GB a month, reviewed every ${DB_CAPACITY.reviewEveryMonths} months).`,
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.aurora.acu',
    awsOnly: NOT_LOCAL.aurora,
  }),
  auroraConnections: service({
    section: 'aurora-connections',
    title: 'Aurora connections near max_connections',
    severity: 'warning',
    meaning: `Database connections have been above ${aurora.connections.percentOfMax} % of max_connections ${during(aurora.connections)}: new connections will be refused.`,
    responseSteps: [
      `Check the handlers’ concurrency × pool size (guide: min ${DB_POOL.min}, max ${DB_POOL.max}).`,
      'Consider RDS Proxy (guide: RDS Proxyの検討).',
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.aurora.connections',
    awsOnly: NOT_LOCAL.aurora,
  }),
  auroraMemory: service({
    section: 'aurora-memory',
    title: 'Aurora freeable memory low',
    severity: 'warning',
    meaning: `Freeable memory has been under ${bytes(aurora.freeableMemory.minBytes)} ${during(aurora.freeableMemory)}.`,
    responseSteps: ['Raise the minimum ACU (memory scales with capacity).', 'Check for connection storms and large sorts.'],
    source: 'AWS recommended alarm; ALARM_POLICY.aurora.freeableMemory',
    awsOnly: NOT_LOCAL.aurora,
  }),
  auroraTransactionIds: service({
    section: 'aurora-transaction-ids',
    title: 'Aurora transaction ids near wraparound',
    severity: 'warning',
    meaning: `MaximumUsedTransactionIDs is above ${aurora.transactionIds.maxUsed.toLocaleString('en')}, about half way to PostgreSQL’s wraparound limit (2^31), at which the database stops accepting writes until vacuumed.`,
    responseSteps: [
      'Find the tables with the oldest relfrozenxid (SELECT relname, age(relfrozenxid) FROM pg_class ORDER BY 2 DESC LIMIT 5) and long-open transactions (pg_stat_activity).',
      'End what blocks autovacuum, then VACUUM (FREEZE) the oldest tables; the weekly maintenance’s VACUUM (ANALYZE) does not freeze.',
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.aurora.transactionIds',
    awsOnly: NOT_LOCAL.aurora,
  }),
  auroraDbLoad: service({
    section: 'aurora-db-load',
    title: 'Aurora load above its vCPUs',
    severity: 'warning',
    meaning: `Performance Insights’ database load (average active sessions) relative to the writer’s vCPUs has been above ${aurora.dbLoad.relativeToVcpus} ${during(aurora.dbLoad)}: sessions queue for CPU, I/O or locks, and every query gets slower.`,
    responseSteps: [
      'Open Performance Insights for the writer: the top waits and the top SQL.',
      'CPU waits: raise database.maxCapacity; lock waits: look for long transactions; I/O: missing indexes (guide: クエリの最適化).',
    ],
    source: 'AWS recommended alarm (DBLoad > vCPUs, as DBLoadRelativeToNumVCPUs); ALARM_POLICY.aurora.dbLoad',
    awsOnly: NOT_LOCAL.aurora,
  }),
  bedrockThrottles: service({
    section: 'bedrock-throttles',
    title: 'Bedrock throttling',
    severity: 'warning',
    meaning: `Bedrock throttled model calls ${during(bedrock.errors)}. The workflow retries them; persisting throttles turn into AI_ERROR and TIMEOUT.`,
    responseSteps: [
      'Check the model’s on-demand quotas (requests and tokens per minute) in Service Quotas.',
      'Request an increase or lower the worker’s reserved concurrency.',
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.bedrock.errors',
    awsOnly: NOT_LOCAL.bedrock,
  }),
  bedrockServerErrors: service({
    section: 'bedrock-server-errors',
    title: 'Bedrock server errors',
    severity: 'warning',
    meaning: `Bedrock answered with server errors ${during(bedrock.errors)}.`,
    responseSteps: ['Check the AWS Health Dashboard for Bedrock in the region.', 'Expect AI_ERROR outcomes; tell users if it lasts.'],
    source: 'AWS recommended alarm; ALARM_POLICY.bedrock.errors',
    awsOnly: NOT_LOCAL.bedrock,
  }),
  bedrockLatency: service({
    section: 'bedrock-latency',
    title: 'Bedrock latency high',
    severity: 'warning',
    meaning: `The p95 model latency has been above ${bedrock.latency.percentOfStepTimeout} % of a workflow step’s timeout (${duration((DESIGN.workflow.stepTimeoutSeconds * bedrock.latency.percentOfStepTimeout) / 100)}) ${during(bedrock.latency)}: slow answers will become TIMEOUT.`,
    responseSteps: ['Check output token counts: longer answers take longer.', 'Consider a faster model or smaller slices per step.'],
    source: 'ALARM_POLICY.bedrock.latency of DESIGN.workflow.stepTimeoutSeconds',
    awsOnly: NOT_LOCAL.bedrock,
  }),
  backupFailed: service({
    section: 'backup-failed',
    title: 'Backup job failed',
    severity: 'warning',
    meaning: `An AWS Backup job of the database vault failed ${during(backup.failed)}.`,
    responseSteps: [
      'Open the failed job in AWS Backup and read its status message.',
      `Start an on-demand backup once the cause is fixed (guide: RPO ${BACKUP.rpoHours} h).`,
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.backup.failed',
    awsOnly: NOT_LOCAL.backup,
  }),
  backupMissing: service({
    section: 'backup-missing',
    title: 'No backup completed in a day',
    severity: 'warning',
    meaning: `No AWS Backup job completed in the database vault for ${duration(backup.missing.periodSeconds * backup.missing.periods)} (the RPO, the backup’s start window and time for the job; a window of exactly a day would flap whenever a job ends later than the day before): the guide’s RPO (${BACKUP.rpoHours} h) is at risk. A new stack starts in this state until its first backup.`,
    responseSteps: [
      `Check the backup plan’s schedule (${BACKUP.frequency} ${hhmm(BACKUP.startJst)} JST) and its selection.`,
      'Start an on-demand backup.',
    ],
    source: `guide: 災害復旧 — RPO ${BACKUP.rpoHours}時間; ALARM_POLICY.backup.missing`,
    awsOnly: NOT_LOCAL.backup,
  }),
} as const satisfies Record<string, AlarmKind>;
