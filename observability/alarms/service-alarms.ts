/**
 * AWS-recommended alarms for the services under the pipeline, with thresholds from ALARM_POLICY
 * and the deployed limits (timeouts, reserved concurrency, max_connections).
 */
import { ALARM_POLICY, DESIGN, FUNCTIONS, GUIDE_ALERTS } from '../../guide';
import { alarm, type AlarmSpec } from './spec';
import { awsMetric, customMetric, single, type MetricQuery, type Stat } from '../metrics';
import type { MonitoredResources } from '../monitored-resources';
import { SERVICE_KINDS as K } from './service-kinds';

export function lambdaAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.lambda;
  return r.functions.flatMap((f) => {
    const subject = FUNCTIONS[f.key].name;
    const m = (name: string, stat: Stat, period: number) => single(awsMetric('AWS/Lambda', name, { FunctionName: f.name }, stat, period), `${name} ${subject}`);
    const alarms = [
      alarm(r, { kind: K.lambdaErrors, subject, queries: m('Errors', 'Sum', p.errors.periodSeconds), threshold: 0, evaluation: p.errors }),
      alarm(r, { kind: K.lambdaThrottles, subject, queries: m('Throttles', 'Sum', p.throttles.periodSeconds), threshold: 0, evaluation: p.throttles }),
      alarm(r, {
        kind: K.lambdaDuration, subject, unit: 'ms', queries: m('Duration', 'p99', p.duration.periodSeconds),
        threshold: (f.timeoutSeconds * 1000 * p.duration.percentOfTimeout) / 100, evaluation: p.duration,
      }),
    ];
    if (f.reservedConcurrency) {
      alarms.push(alarm(r, {
        kind: K.lambdaConcurrency, subject, queries: m('ConcurrentExecutions', 'Maximum', p.concurrency.periodSeconds),
        threshold: Math.floor((f.reservedConcurrency * p.concurrency.percentOfReserved) / 100), evaluation: p.concurrency,
      }));
    }
    return alarms;
  });
}

/** `<aws metric> - FILL(<our metric>,0) [- …]`: what the service counted that the functions did not. */
function netOf<V>(base: MetricQuery<V | string>, ours: MetricQuery<V | string>[], label: string): MetricQuery<V | string>[] {
  const expression = `FILL(${base.id},0) - (${ours.map((q) => `FILL(${q.id},0)`).join(' + ')})`;
  return [base, ...ours, { id: 'net', expression, label, returnData: true }];
}

export function stepFunctionsAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.stepFunctions;
  const sfn = (name: string, period: number) => awsMetric('AWS/States', name, { StateMachineArn: r.stateMachineArn }, 'Sum', period);
  const unrecorded = netOf<V>(
    { id: 'executionsfailed', metric: sfn('ExecutionsFailed', p.unrecordedFailures.periodSeconds), returnData: false },
    [
      { id: 'failed', metric: customMetric('failed', 'Sum', p.unrecordedFailures.periodSeconds), returnData: false },
      { id: 'timeout', metric: customMetric('timeout', 'Sum', p.unrecordedFailures.periodSeconds), returnData: false },
    ],
    'Failed executions without a recorded outcome',
  );
  const aborts = netOf<V>(
    { id: 'aborted', metric: sfn('ExecutionsAborted', p.unexpectedAborts.periodSeconds), returnData: false },
    [{ id: 'cancelled', metric: customMetric('cancelled', 'Sum', p.unexpectedAborts.periodSeconds), returnData: false }],
    'Aborted executions beyond user cancels',
  );
  return [
    alarm(r, { kind: K.sfnUnrecordedFailures, queries: unrecorded, threshold: 0, evaluation: p.unrecordedFailures }),
    alarm(r, { kind: K.sfnTimedOut, queries: single(sfn('ExecutionsTimedOut', p.timedOut.periodSeconds)), threshold: 0, evaluation: p.timedOut }),
    alarm(r, { kind: K.sfnThrottled, queries: single(sfn('ExecutionThrottled', p.throttled.periodSeconds)), threshold: 0, evaluation: p.throttled }),
    alarm(r, { kind: K.sfnUnexpectedAborts, queries: aborts, threshold: 0, evaluation: p.unexpectedAborts }),
  ];
}

export function apiAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.api.serverErrors;
  const dims = { ApiId: r.api.id, Stage: r.api.stage };
  const queries: MetricQuery<V | string>[] = [
    { id: 'errors', metric: awsMetric('AWS/ApiGateway', '5xx', dims, 'Sum', p.periodSeconds), returnData: false },
    { id: 'requests', metric: awsMetric('AWS/ApiGateway', 'Count', dims, 'Sum', p.periodSeconds), returnData: false },
    {
      id: 'rate', label: '5xx (% of requests)', returnData: true,
      expression: `IF(FILL(requests,0) >= ${p.minRequests}, 100 * FILL(errors,0) / requests, 0)`,
    },
  ];
  return [alarm(r, { kind: K.apiServerErrors, unit: '%', queries, threshold: GUIDE_ALERTS.errorRate.threshold, evaluation: p })];
}

export function auroraAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.aurora;
  const rds = (name: string, stat: Stat, period: number) =>
    single(awsMetric('AWS/RDS', name, { DBClusterIdentifier: r.database.clusterIdentifier }, stat, period));
  return [
    alarm(r, { kind: K.auroraCpu, unit: '%', queries: rds('CPUUtilization', 'Average', p.cpu.periodSeconds), threshold: p.cpu.thresholdPercent, evaluation: p.cpu }),
    alarm(r, { kind: K.auroraAcu, unit: '%', queries: rds('ACUUtilization', 'Average', p.acu.periodSeconds), threshold: p.acu.thresholdPercent, evaluation: p.acu }),
    alarm(r, {
      kind: K.auroraConnections, queries: rds('DatabaseConnections', 'Maximum', p.connections.periodSeconds),
      threshold: Math.floor((r.database.maxConnections * p.connections.percentOfMax) / 100), evaluation: p.connections,
    }),
    alarm(r, {
      kind: K.auroraMemory, unit: 'bytes', comparison: 'LessThanThreshold',
      queries: rds('FreeableMemory', 'Minimum', p.freeableMemory.periodSeconds), threshold: p.freeableMemory.minBytes, evaluation: p.freeableMemory,
    }),
  ];
}

export function bedrockAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.bedrock;
  const bedrock = (name: string, stat: Stat, period: number) => single(awsMetric('AWS/Bedrock', name, { ModelId: r.bedrockModelId }, stat, period));
  return [
    alarm(r, { kind: K.bedrockThrottles, queries: bedrock('InvocationThrottles', 'Sum', p.errors.periodSeconds), threshold: 0, evaluation: p.errors }),
    alarm(r, { kind: K.bedrockServerErrors, queries: bedrock('InvocationServerErrors', 'Sum', p.errors.periodSeconds), threshold: 0, evaluation: p.errors }),
    alarm(r, {
      kind: K.bedrockLatency, unit: 'ms', queries: bedrock('InvocationLatency', 'p95', p.latency.periodSeconds),
      threshold: (DESIGN.workflow.stepTimeoutSeconds * 1000 * p.latency.percentOfStepTimeout) / 100, evaluation: p.latency,
    }),
  ];
}

export function backupAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const p = ALARM_POLICY.backup;
  const backup = (name: string, period: number) => single(awsMetric('AWS/Backup', name, { BackupVaultName: r.backupVaultName }, 'Sum', period));
  return [
    alarm(r, { kind: K.backupFailed, queries: backup('NumberOfBackupJobsFailed', p.failed.periodSeconds), threshold: 0, evaluation: p.failed }),
    // No datapoint at all is exactly "no backup completed": missing data breaches.
    alarm(r, {
      kind: K.backupMissing, comparison: 'LessThanThreshold', treatMissingData: 'breaching',
      queries: backup('NumberOfBackupJobsCompleted', p.missing.periodSeconds), threshold: 1, evaluation: p.missing,
    }),
  ];
}
