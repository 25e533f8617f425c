/**
 * AWS-recommended alarms for the services under the pipeline, with thresholds from ALARM_POLICY
 * and the deployed limits (timeouts, reserved concurrency, max_connections).
 */
import { ALARM_POLICY, DESIGN, FUNCTIONS, FUNCTION_CADENCE, GUIDE_ALERTS, RATE_VOLUME, TUNING, type FunctionKey } from '../../guide';
import { alarm, type AlarmSpec } from './spec';
import { awsMetric, countOf, customMetric, single, type MetricQuery, type Stat } from '../metrics';
import { accessLogMetric, LAMBDA_MEMORY_NAMESPACE } from '../metric-filters';
import { edgeTopicName, topicName } from '../alert-routing';
import type { MonitoredResources } from '../monitored-resources';
import { NOT_LOCAL, SERVICE_KINDS as K } from './service-kinds';

/** The metric the memory filter extracts from one function's REPORT lines (metric-filters.ts). */
export const lambdaMemoryMetric = <V>(functionName: string, periodSeconds: number) =>
  awsMetric<V | string>(LAMBDA_MEMORY_NAMESPACE, functionName, {}, 'Maximum', periodSeconds);

/**
 * Per function, the alarms its cadence lets fire (FUNCTION_CADENCE): per-minute M-of-N rules for
 * the functions invoked all day (the queue monitor's errors are the database canary, pipeline
 * kinds), one-run rules for the weekly maintenance, and none for the migration, which `pulumi up`
 * runs and reports itself. Memory for every function: one invocation above 80 % is enough.
 */
export function lambdaAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.lambda;
  const scheduled = ALARM_POLICY.maintenance.scheduledErrors;
  return r.functions.flatMap((f) => {
    const subject = FUNCTIONS[f.key].name;
    const cadence = FUNCTION_CADENCE[f.key];
    const m = (name: string, stat: Stat, period: number) =>
      (stat === 'Sum' ? countOf : single)(awsMetric('AWS/Lambda', name, { FunctionName: f.name }, stat, period), `${name} ${subject}`);
    const durationThreshold = (f.timeoutSeconds * 1000 * p.duration.percentOfTimeout) / 100;
    const memory = alarm(r, {
      kind: K.lambdaMemory,
      subject,
      unit: 'MB',
      queries: single(lambdaMemoryMetric<V>(subject, p.memory.periodSeconds), `Max Memory Used ${subject}`),
      threshold: Math.floor((f.memoryMb * TUNING.raiseMemoryAbovePercent) / 100),
      evaluation: p.memory,
    });
    if (cadence === 'deploy' || cadence === 'drTest') return [memory];
    if (cadence === 'scheduled') {
      const awsOnly = f.key === 'opsReport' ? { awsOnly: NOT_LOCAL.opsReport } : {};
      return [
        alarm(r, {
          kind: K.lambdaScheduledErrors,
          subject,
          queries: m('Errors', 'Sum', scheduled.periodSeconds),
          threshold: 0,
          evaluation: scheduled,
          ...awsOnly,
        }),
        alarm(r, {
          kind: K.lambdaDuration,
          subject,
          unit: 'ms',
          queries: m('Duration', 'Maximum', scheduled.periodSeconds),
          threshold: durationThreshold,
          evaluation: scheduled,
          ...awsOnly,
        }),
        memory,
      ];
    }
    const alarms = [
      ...(cadence === 'traffic'
        ? [
            alarm(r, {
              kind: K.lambdaErrors,
              subject,
              queries: m('Errors', 'Sum', p.errors.periodSeconds),
              threshold: 0,
              evaluation: p.errors,
            }),
          ]
        : []),
      alarm(r, {
        kind: K.lambdaThrottles,
        subject,
        queries: m('Throttles', 'Sum', p.throttles.periodSeconds),
        threshold: 0,
        evaluation: p.throttles,
      }),
      alarm(r, {
        kind: K.lambdaDuration,
        subject,
        unit: 'ms',
        queries: m('Duration', 'p99', p.duration.periodSeconds),
        threshold: durationThreshold,
        evaluation: p.duration,
      }),
      memory,
    ];
    if (f.reservedConcurrency && CONCURRENCY_WATCHED.includes(f.key)) {
      alarms.push(
        alarm(r, {
          kind: K.lambdaConcurrency,
          subject,
          queries: m('ConcurrentExecutions', 'Maximum', p.concurrency.periodSeconds),
          threshold: Math.floor((f.reservedConcurrency * p.concurrency.percentOfReserved) / 100),
          evaluation: p.concurrency,
          ...(FUNCTIONS[f.key].role === 'api' ? { awsOnly: NOT_LOCAL.handlerConcurrency } : {}),
        }),
      );
    }
    return alarms;
  });
}

/**
 * The functions whose own traffic approaches their reservation: the status route (every client
 * polls each running process at its Retry-After, so its concurrency follows the processes in
 * flight) and the worker (one per running slice). Start, retry and cancel are one call of a few
 * milliseconds per user action, far from the guide's 50; their throttles alarm (lambda-throttles).
 */
const CONCURRENCY_WATCHED: readonly FunctionKey[] = ['statusCheckHandler', 'aiGenerationWorker'];

/** The account's unreserved pool: the concurrency quota minus every reservation of the stack. */
export const unreservedConcurrency = (r: Pick<MonitoredResources<unknown>, 'functions' | 'lambdaConcurrencyQuota'>): number =>
  r.lambdaConcurrencyQuota - r.functions.reduce((sum, f) => sum + (f.reservedConcurrency ?? 0), 0);

export function accountAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.lambda.accountConcurrency;
  return [
    alarm(r, {
      kind: K.lambdaAccountConcurrency,
      queries: single(
        awsMetric<V | string>('AWS/Lambda', 'UnreservedConcurrentExecutions', {}, 'Maximum', p.periodSeconds),
        'UnreservedConcurrentExecutions',
      ),
      threshold: Math.floor((unreservedConcurrency(r) * p.percentOfUnreserved) / 100),
      evaluation: p,
    }),
  ];
}

/** `<aws metric> - FILL(<our metric>,0) [- …]`: what the service counted that the functions did not. */
function netOf<V>(base: MetricQuery<V | string>, ours: MetricQuery<V | string>[], label: string): MetricQuery<V | string>[] {
  const expression = `FILL(${base.id},0) - (${ours.map((q) => `FILL(${q.id},0)`).join(' + ')})`;
  return [base, ...ours, { id: 'net', expression, label, returnData: true }];
}

export function stepFunctionsAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.stepFunctions;
  const sfn = (name: string, period: number) => awsMetric('AWS/States', name, { StateMachineArn: r.stateMachineArn }, 'Sum', period);
  const aborts = netOf<V>(
    { id: 'aborted', metric: sfn('ExecutionsAborted', p.unexpectedAborts.periodSeconds), returnData: false },
    [{ id: 'cancelled', metric: customMetric('cancelled', 'Sum', p.unexpectedAborts.periodSeconds), returnData: false }],
    'Aborted executions beyond user cancels',
  );
  return [
    alarm(r, {
      kind: K.sfnThrottled,
      queries: countOf(sfn('ExecutionThrottled', p.throttled.periodSeconds)),
      threshold: 0,
      evaluation: p.throttled,
    }),
    alarm(r, { kind: K.sfnUnexpectedAborts, queries: aborts, threshold: 0, evaluation: p.unexpectedAborts }),
  ];
}

/** `IF(FILL(requests,0) >= min, <rate>, 0)`: the volume guard every rate alarm shares (RATE_VOLUME). */
export const guardedByRequests = (rate: string): string => `IF(FILL(requests,0) >= ${RATE_VOLUME.minEvents}, ${rate}, 0)`;

export function apiAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.api;
  const dims = { ApiId: r.api.id, Stage: r.api.stage };
  const queries: MetricQuery<V | string>[] = [
    { id: 'errors', metric: awsMetric('AWS/ApiGateway', '5xx', dims, 'Sum', p.serverErrors.periodSeconds), returnData: false },
    { id: 'requests', metric: awsMetric('AWS/ApiGateway', 'Count', dims, 'Sum', p.serverErrors.periodSeconds), returnData: false },
    { id: 'rate', label: '5xx (% of requests)', returnData: true, expression: guardedByRequests('100 * FILL(errors,0) / requests') },
  ];
  const auth = p.authFailures;
  return [
    alarm(r, { kind: K.apiServerErrors, unit: '%', queries, threshold: GUIDE_ALERTS.errorRate.threshold, evaluation: p.serverErrors }),
    alarm(r, {
      kind: K.apiAuthFailures,
      queries: countOf(accessLogMetric('authFailures', 'Sum', auth.periodSeconds), 'AuthFailures (access log)'),
      threshold: auth.perMinuteOfOneClient * (auth.periodSeconds / 60),
      evaluation: auth,
    }),
  ];
}

/** CloudFront and its web ACL, alarmed in us-east-1 where they publish (placement `edge`). */
export function edgeAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.edge;
  const distribution = { DistributionId: r.cloudFront.distributionId, Region: 'Global' };
  const queries: MetricQuery<V | string>[] = [
    {
      id: 'errorrate',
      metric: awsMetric('AWS/CloudFront', '5xxErrorRate', distribution, 'Average', p.serverErrors.periodSeconds),
      returnData: false,
    },
    {
      id: 'requests',
      metric: awsMetric('AWS/CloudFront', 'Requests', distribution, 'Sum', p.serverErrors.periodSeconds),
      returnData: false,
    },
    { id: 'rate', label: 'CloudFront 5xx (% of requests)', returnData: true, expression: guardedByRequests('FILL(errorrate,0)') },
  ];
  const waf = { WebACL: r.waf.webAclName, Rule: 'ALL' };
  return [
    alarm(r, {
      kind: K.cloudFrontServerErrors,
      placement: 'edge',
      unit: '%',
      queries,
      threshold: GUIDE_ALERTS.errorRate.threshold,
      evaluation: p.serverErrors,
    }),
    alarm(r, {
      kind: K.wafBlockedSpike,
      placement: 'edge',
      queries: countOf(awsMetric('AWS/WAFV2', 'BlockedRequests', waf, 'Sum', p.wafBlocked.periodSeconds), 'BlockedRequests'),
      threshold: p.wafBlocked.blockedPerWindow,
      evaluation: p.wafBlocked,
    }),
  ];
}

/**
 * Failed deliveries of every alert topic, notifying the other topic of its region: an alert path
 * that fails is told through one that works. The edge region has one topic, so its alarm notifies
 * that topic, whose other subscriptions still deliver (SNS counts failures per subscription).
 */
export function alertingAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.alerting.deliveryFailed;
  const failed = (topic: string) =>
    countOf(
      awsMetric<V | string>('AWS/SNS', 'NumberOfNotificationsFailed', { TopicName: topic }, 'Sum', p.periodSeconds),
      `NumberOfNotificationsFailed ${topic}`,
    );
  return [
    alarm(r, {
      kind: K.alertDeliveryFailed,
      subject: 'critical',
      queries: failed(topicName(r.stack, 'critical')),
      threshold: 0,
      evaluation: p,
      notifies: 'warning',
    }),
    alarm(r, {
      kind: K.alertDeliveryFailed,
      subject: 'warning',
      queries: failed(topicName(r.stack, 'warning')),
      threshold: 0,
      evaluation: p,
      notifies: 'critical',
    }),
    alarm(r, {
      kind: K.alertDeliveryFailed,
      subject: 'edge',
      placement: 'edge',
      queries: failed(edgeTopicName(r.stack)),
      threshold: 0,
      evaluation: p,
    }),
  ];
}

export function auroraAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.aurora;
  const rds = (name: string, stat: Stat, period: number) =>
    single(awsMetric('AWS/RDS', name, { DBClusterIdentifier: r.database.clusterIdentifier }, stat, period));
  return [
    alarm(r, {
      kind: K.auroraCpu,
      unit: '%',
      queries: rds('CPUUtilization', 'Average', p.cpu.periodSeconds),
      threshold: p.cpu.thresholdPercent,
      evaluation: p.cpu,
    }),
    alarm(r, {
      kind: K.auroraAcu,
      unit: '%',
      queries: rds('ACUUtilization', 'Average', p.acu.periodSeconds),
      threshold: p.acu.thresholdPercent,
      evaluation: p.acu,
    }),
    alarm(r, {
      kind: K.auroraConnections,
      queries: rds('DatabaseConnections', 'Maximum', p.connections.periodSeconds),
      threshold: Math.floor((r.database.maxConnections * p.connections.percentOfMax) / 100),
      evaluation: p.connections,
    }),
    alarm(r, {
      kind: K.auroraMemory,
      unit: 'bytes',
      comparison: 'LessThanThreshold',
      queries: rds('FreeableMemory', 'Minimum', p.freeableMemory.periodSeconds),
      threshold: p.freeableMemory.minBytes,
      evaluation: p.freeableMemory,
    }),
    alarm(r, {
      kind: K.auroraTransactionIds,
      queries: rds('MaximumUsedTransactionIDs', 'Maximum', p.transactionIds.periodSeconds),
      threshold: p.transactionIds.maxUsed,
      evaluation: p.transactionIds,
    }),
    // AWS advises alarming on the WRITER role, not an instance: instances change roles on failover.
    alarm(r, {
      kind: K.auroraDbLoad,
      queries: single(
        awsMetric(
          'AWS/RDS',
          'DBLoadRelativeToNumVCPUs',
          { DBClusterIdentifier: r.database.clusterIdentifier, Role: 'WRITER' },
          'Average',
          p.dbLoad.periodSeconds,
        ),
      ),
      threshold: p.dbLoad.relativeToVcpus,
      evaluation: p.dbLoad,
    }),
  ];
}

export function bedrockAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.bedrock;
  const bedrock = (name: string, stat: Stat, period: number) =>
    (stat === 'Sum' ? countOf : single)(awsMetric('AWS/Bedrock', name, { ModelId: r.bedrockModelId }, stat, period));
  return [
    alarm(r, {
      kind: K.bedrockThrottles,
      queries: bedrock('InvocationThrottles', 'Sum', p.errors.periodSeconds),
      threshold: 0,
      evaluation: p.errors,
    }),
    alarm(r, {
      kind: K.bedrockServerErrors,
      queries: bedrock('InvocationServerErrors', 'Sum', p.errors.periodSeconds),
      threshold: 0,
      evaluation: p.errors,
    }),
    alarm(r, {
      kind: K.bedrockLatency,
      unit: 'ms',
      queries: bedrock('InvocationLatency', 'p95', p.latency.periodSeconds),
      threshold: (DESIGN.workflow.stepTimeoutSeconds * 1000 * p.latency.percentOfStepTimeout) / 100,
      evaluation: p.latency,
    }),
  ];
}

export function backupAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.backup;
  const backup = (name: string, period: number) =>
    single(awsMetric('AWS/Backup', name, { BackupVaultName: r.backupVaultName }, 'Sum', period));
  return [
    alarm(r, {
      kind: K.backupFailed,
      queries: countOf(
        awsMetric('AWS/Backup', 'NumberOfBackupJobsFailed', { BackupVaultName: r.backupVaultName }, 'Sum', p.failed.periodSeconds),
      ),
      threshold: 0,
      evaluation: p.failed,
    }),
    // No datapoint at all is exactly "no backup completed": missing data breaches; every hour of the window must lack one.
    alarm(r, {
      kind: K.backupMissing,
      comparison: 'LessThanThreshold',
      treatMissingData: 'breaching',
      queries: backup('NumberOfBackupJobsCompleted', p.missing.periodSeconds),
      threshold: 1,
      evaluation: p.missing,
    }),
  ];
}
