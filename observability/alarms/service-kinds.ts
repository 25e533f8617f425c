/**
 * Alarm kinds for the AWS services under the pipeline (AWS-recommended alarms for Lambda, Step
 * Functions, API Gateway, Aurora, Bedrock and AWS Backup), adapted to what this pipeline does.
 */
import { ALARM_POLICY, BACKUP, DB_CAPACITY, DB_POOL, DESIGN, GUIDE_ALERTS, TUNING } from '../../guide';
import type { AlarmKind } from './kinds';
import { bytes, consecutiveWindows, duration, during, lastPeriod } from './wording';

const { lambda, stepFunctions, api, aurora, bedrock, backup } = ALARM_POLICY;
const hhmm = (t: { hour: number; minute: number }) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;

const service = (k: Omit<AlarmKind, 'category'>): AlarmKind => ({ ...k, category: 'service' });

export const SERVICE_KINDS = {
  lambdaErrors: service({
    section: 'lambda-errors', title: 'Lambda function errors', severity: 'warning',
    meaning: `A function ended invocations with an error ${during(lambda.errors)}. API handlers map every error to a response, so for them this is a crash; for the worker it is a step the workflow retries or turns into FAILED.`,
    responseSteps: ['Run AsyncProcessing/Errors on the function’s log group.', 'Check the last deployment of the function and roll back if it started then.'],
    query: 'errors', source: 'AWS recommended alarm; ALARM_POLICY.lambda.errors',
  }),
  lambdaThrottles: service({
    section: 'lambda-throttles', title: 'Lambda function throttled', severity: 'warning',
    meaning: `Invocations were refused for lack of concurrency ${during(lambda.throttles)}.`,
    responseSteps: [
      'Compare ConcurrentExecutions with the reserved concurrency (guide: キャパシティプランニング, current / target / limit).',
      'Raise the reserved concurrency towards the guide’s target, and check the account’s unreserved concurrency.',
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.lambda.throttles',
  }),
  lambdaDuration: service({
    section: 'lambda-duration', title: 'Lambda duration near its timeout', severity: 'warning',
    meaning: `The p99 duration has been above ${lambda.duration.percentOfTimeout} % of the function’s timeout ${during(lambda.duration)}: invocations are about to time out.`,
    responseSteps: [
      `Check the memory use in the REPORT lines (guide: raise memory when above ${TUNING.raiseMemoryAbovePercent} %).`,
      'For the worker, check Bedrock latency; for handlers, check the database.',
    ],
    source: 'AWS recommended alarm; ALARM_POLICY.lambda.duration',
  }),
  lambdaConcurrency: service({
    section: 'lambda-concurrency', title: 'Lambda concurrency near its reservation', severity: 'warning',
    meaning: `Concurrent executions have been above ${lambda.concurrency.percentOfReserved} % of the reserved concurrency ${during(lambda.concurrency)}: throttling is next.`,
    responseSteps: ['Raise the reserved concurrency towards the guide’s target (キャパシティプランニング).', 'If the worker is saturated, QueueDepth will grow: see queue-depth.'],
    source: 'AWS recommended alarm; ALARM_POLICY.lambda.concurrency',
  }),
  sfnUnrecordedFailures: service({
    section: 'sfn-unrecorded-failures', title: 'Executions failed without a recorded outcome', severity: 'warning',
    meaning: `AIGenerationStateMachine had more failed executions than FAILED/TIMEOUT outcomes the worker recorded, ${consecutiveWindows(stepFunctions.unrecordedFailures)}: the worker could not write the outcome (database?). The sweeper will end those processes as TIMEOUT.`,
    responseSteps: ['List the FAILED executions of AIGenerationStateMachine and open the MarkFailed/MarkTimeout step.', 'Check the database alarms and the worker’s log group.'],
    query: 'errors', source: 'AWS recommended alarm (ExecutionsFailed), net of recorded outcomes; ALARM_POLICY.stepFunctions.unrecordedFailures',
  }),
  sfnTimedOut: service({
    section: 'sfn-timed-out', title: 'Executions hit the workflow timeout', severity: 'warning',
    meaning: 'An execution ran past the whole-workflow timeout (no step caught it); its process stays PROCESSING until the sweeper marks it TIMEOUT.',
    responseSteps: ['Open the timed-out execution and find the step it was in.', 'Check Bedrock latency and throttles for that time.'],
    source: 'AWS recommended alarm; ALARM_POLICY.stepFunctions.timedOut',
  }),
  sfnThrottled: service({
    section: 'sfn-throttled', title: 'Step Functions throttled', severity: 'warning',
    meaning: `State transitions of AIGenerationStateMachine were throttled ${during(stepFunctions.throttled)}: steps are delayed.`,
    responseSteps: ['Check the account’s Step Functions quotas (StateTransition) in Service Quotas and request an increase.'],
    source: 'AWS recommended alarm; ALARM_POLICY.stepFunctions.throttled',
  }),
  sfnUnexpectedAborts: service({
    section: 'sfn-unexpected-aborts', title: 'Executions aborted beyond user cancels', severity: 'warning',
    meaning: `More executions were aborted ${during(stepFunctions.unexpectedAborts)} than users cancelled processes: someone or something stopped executions.`,
    responseSteps: [`Look up StopExecution calls in CloudTrail over ${lastPeriod(stepFunctions.unexpectedAborts.periodSeconds)}.`, 'Check the affected processes: they stay PROCESSING until the sweeper ends them.'],
    source: 'AWS recommended alarm (ExecutionsAborted), net of AsyncProcessingCancelled; ALARM_POLICY.stepFunctions.unexpectedAborts',
  }),
  apiServerErrors: service({
    section: 'api-server-errors', title: 'API server errors', severity: 'critical',
    meaning: `More than ${GUIDE_ALERTS.errorRate.threshold} % of API requests ${during(api.serverErrors)} got a 5xx: users cannot start or follow processes.`,
    responseSteps: [
      'Run AsyncProcessing/Errors on the handler log groups: 503 SERVICE_UNAVAILABLE means Step Functions, 500 means a bug or the database.',
      'Check Lambda errors and throttles of the handlers, and the Aurora alarms.',
      'Roll back the last deployment if the errors started with it.',
    ],
    query: 'errors', source: `AWS recommended alarm (5xx); ALARM_POLICY.api.serverErrors with the guide’s ${GUIDE_ALERTS.errorRate.threshold} % error tolerance`,
  }),
  auroraCpu: service({
    section: 'aurora-cpu', title: 'Aurora CPU high', severity: 'warning',
    meaning: `The cluster’s CPU has been above ${aurora.cpu.thresholdPercent} % ${during(aurora.cpu)}.`,
    responseSteps: ['Look for slow queries (guide: スロークエリログ) and missing indexes.', 'Check ACU utilization: at its maximum, raise the maximum capacity.'],
    source: 'AWS recommended alarm; ALARM_POLICY.aurora.cpu',
  }),
  auroraAcu: service({
    section: 'aurora-acu', title: 'Aurora Serverless capacity near its maximum', severity: 'warning',
    meaning: `ACU utilization has been above ${aurora.acu.thresholdPercent} % of the maximum capacity ${during(aurora.acu)}: the database cannot scale further.`,
    responseSteps: ['Raise the cluster’s maximum ACU (database config of the stack).', `Review the capacity plan (guide: データベース容量 — ${DB_CAPACITY.currentGb} GB now, growing ${DB_CAPACITY.monthlyGrowthGb} GB a month, reviewed every ${DB_CAPACITY.reviewEveryMonths} months).`],
    source: 'AWS recommended alarm; ALARM_POLICY.aurora.acu',
  }),
  auroraConnections: service({
    section: 'aurora-connections', title: 'Aurora connections near max_connections', severity: 'warning',
    meaning: `Database connections have been above ${aurora.connections.percentOfMax} % of max_connections ${during(aurora.connections)}: new connections will be refused.`,
    responseSteps: [`Check the handlers’ concurrency × pool size (guide: min ${DB_POOL.min}, max ${DB_POOL.max}).`, 'Consider RDS Proxy (guide: RDS Proxyの検討).'],
    source: 'AWS recommended alarm; ALARM_POLICY.aurora.connections',
  }),
  auroraMemory: service({
    section: 'aurora-memory', title: 'Aurora freeable memory low', severity: 'warning',
    meaning: `Freeable memory has been under ${bytes(aurora.freeableMemory.minBytes)} ${during(aurora.freeableMemory)}.`,
    responseSteps: ['Raise the minimum ACU (memory scales with capacity).', 'Check for connection storms and large sorts.'],
    source: 'AWS recommended alarm; ALARM_POLICY.aurora.freeableMemory',
  }),
  bedrockThrottles: service({
    section: 'bedrock-throttles', title: 'Bedrock throttling', severity: 'warning',
    meaning: `Bedrock throttled model calls ${during(bedrock.errors)}. The workflow retries them; persisting throttles turn into AI_ERROR and TIMEOUT.`,
    responseSteps: ['Check the model’s on-demand quotas (requests and tokens per minute) in Service Quotas.', 'Request an increase or lower the worker’s reserved concurrency.'],
    source: 'AWS recommended alarm; ALARM_POLICY.bedrock.errors',
  }),
  bedrockServerErrors: service({
    section: 'bedrock-server-errors', title: 'Bedrock server errors', severity: 'warning',
    meaning: `Bedrock answered with server errors ${during(bedrock.errors)}.`,
    responseSteps: ['Check the AWS Health Dashboard for Bedrock in the region.', 'Expect AI_ERROR outcomes; tell users if it lasts.'],
    source: 'AWS recommended alarm; ALARM_POLICY.bedrock.errors',
  }),
  bedrockLatency: service({
    section: 'bedrock-latency', title: 'Bedrock latency high', severity: 'warning',
    meaning: `The p95 model latency has been above ${bedrock.latency.percentOfStepTimeout} % of a workflow step’s timeout (${duration((DESIGN.workflow.stepTimeoutSeconds * bedrock.latency.percentOfStepTimeout) / 100)}) ${during(bedrock.latency)}: slow answers will become TIMEOUT.`,
    responseSteps: ['Check output token counts: longer answers take longer.', 'Consider a faster model or smaller slices per step.'],
    source: 'ALARM_POLICY.bedrock.latency of DESIGN.workflow.stepTimeoutSeconds',
  }),
  backupFailed: service({
    section: 'backup-failed', title: 'Backup job failed', severity: 'warning',
    meaning: `An AWS Backup job of the database vault failed ${during(backup.failed)}.`,
    responseSteps: ['Open the failed job in AWS Backup and read its status message.', `Start an on-demand backup once the cause is fixed (guide: RPO ${BACKUP.rpoHours} h).`],
    source: 'AWS recommended alarm; ALARM_POLICY.backup.failed',
  }),
  backupMissing: service({
    section: 'backup-missing', title: 'No backup completed in a day', severity: 'warning',
    meaning: `No AWS Backup job completed in the database vault for ${duration(backup.missing.periodSeconds)}: the guide’s RPO (${BACKUP.rpoHours} h) is at risk. A new stack starts in this state until its first backup.`,
    responseSteps: [`Check the backup plan’s schedule (${BACKUP.frequency} ${hhmm(BACKUP.startJst)} JST) and its selection.`, 'Start an on-demand backup.'],
    source: `guide: 災害復旧 — RPO ${BACKUP.rpoHours}時間; ALARM_POLICY.backup.missing`,
  }),
} as const satisfies Record<string, AlarmKind>;
