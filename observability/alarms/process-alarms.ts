/**
 * Alarms on what the functions report about processes: the guide's alerts and metric-table
 * thresholds, the SLOs, and the pipeline's own health.
 */
import { ALARM_POLICY, DESIGN, GUIDE_ALERTS, METRICS, PROCESS_TYPES, SLO, once } from '../../guide';
import { alarm, type AlarmSpec } from './spec';
import { GUIDE_KINDS, PIPELINE_KINDS, SLO_KINDS } from './kinds';
import { awsMetric, customMetric, outcomeRate, single, type MetricQuery } from '../metrics';
import { SLO_ROUTES, type MonitoredResources } from '../monitored-resources';

export function guideAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const { errorRate, timeoutRate, processingTime, queueDepth } = GUIDE_ALERTS;
  return [
    alarm(r, { kind: GUIDE_KINDS.errorRate, queries: outcomeRate('errorRate', errorRate.periodSeconds), threshold: errorRate.threshold, evaluation: once(errorRate.periodSeconds) }),
    alarm(r, { kind: GUIDE_KINDS.timeoutRate, queries: outcomeRate('timeoutRate', timeoutRate.periodSeconds), threshold: timeoutRate.threshold, evaluation: once(timeoutRate.periodSeconds) }),
    alarm(r, {
      kind: GUIDE_KINDS.processingTime, unit: 'ms',
      queries: single(customMetric('duration', 'Average', processingTime.periodSeconds)),
      threshold: processingTime.threshold, evaluation: once(processingTime.periodSeconds),
    }),
    alarm(r, {
      kind: GUIDE_KINDS.queueDepth,
      queries: single(customMetric('queueDepth', 'Maximum', queueDepth.periodSeconds)),
      threshold: queueDepth.threshold, evaluation: once(queueDepth.periodSeconds),
    }),
    alarm(r, {
      kind: GUIDE_KINDS.failedCount,
      queries: single(customMetric('failed', 'Sum', METRICS.failed.threshold.periodSeconds)),
      threshold: METRICS.failed.threshold.value, evaluation: once(METRICS.failed.threshold.periodSeconds),
    }),
    alarm(r, {
      kind: GUIDE_KINDS.timeoutCount,
      queries: single(customMetric('timeout', 'Sum', METRICS.timeout.threshold.periodSeconds)),
      threshold: METRICS.timeout.threshold.value, evaluation: once(METRICS.timeout.threshold.periodSeconds),
    }),
  ];
}

export function sloAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const { apiLatency, outcomeRate: rateWindow, completionByType } = ALARM_POLICY.slo;
  const latency = SLO_ROUTES.map((route) => alarm(r, {
    kind: SLO_KINDS.apiLatency, subject: route.id, unit: 'ms',
    queries: single(awsMetric('AWS/ApiGateway', 'Latency',
      { ApiId: r.api.id, Stage: r.api.stage, Method: route.method, Resource: route.resource }, 'p95', apiLatency.periodSeconds),
      `${route.method} ${route.resource} p95`),
    threshold: route.p95Ms, evaluation: apiLatency,
  }));
  const completion = PROCESS_TYPES.map((type) => alarm(r, {
    kind: SLO_KINDS.completionTime, subject: type.toLowerCase().replace(/_/g, '-'), unit: 'ms',
    queries: single(customMetric('duration', 'Average', completionByType.periodSeconds, type), `ProcessingDuration ${type}`),
    threshold: SLO.completionMinutes[type][1] * 60_000, evaluation: completionByType,
  }));
  return [
    ...latency,
    // The SLO is "< 1 %": reaching it is already a miss.
    alarm(r, {
      kind: SLO_KINDS.errorRate, comparison: 'GreaterThanOrEqualToThreshold',
      queries: outcomeRate('errorRate', rateWindow.periodSeconds), threshold: SLO.errorRatePercent, evaluation: rateWindow,
    }),
    alarm(r, {
      kind: SLO_KINDS.timeoutRate, comparison: 'GreaterThanOrEqualToThreshold',
      queries: outcomeRate('timeoutRate', rateWindow.periodSeconds), threshold: SLO.timeoutRatePercent, evaluation: rateWindow,
    }),
    ...completion,
  ];
}

/** Started minus every outcome, as a share of started; 0 below `minStarted` (too few to judge). */
export function neverFinishedQueries(periodSeconds: number, minStarted: number): MetricQuery<string>[] {
  const keys = ['started', 'completed', 'failed', 'timeout', 'cancelled'] as const;
  const inputs = keys.map((key) => ({ id: key, metric: customMetric(key, 'Sum', periodSeconds), returnData: false }));
  const outcomes = keys.slice(1).map((k) => `FILL(${k},0)`).join(' + ');
  const expression = `IF(FILL(started,0) >= ${minStarted}, 100 * (FILL(started,0) - (${outcomes})) / FILL(started,0), 0)`;
  return [...inputs, { id: 'unfinished', expression, label: 'Started without outcome (%)', returnData: true }];
}

export function pipelineAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const { neverFinished, queueMonitorSilence, oldestActive } = ALARM_POLICY.pipeline;
  return [
    alarm(r, {
      kind: PIPELINE_KINDS.neverFinished, unit: '%',
      queries: neverFinishedQueries(neverFinished.evaluation.periodSeconds, neverFinished.minStarted),
      threshold: neverFinished.thresholdPercent, evaluation: neverFinished.evaluation,
    }),
    alarm(r, {
      kind: PIPELINE_KINDS.oldestActive, unit: 's',
      queries: single(customMetric('oldestActiveAge', 'Maximum', oldestActive.periodSeconds)),
      threshold: DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds, evaluation: oldestActive,
    }),
    // Silence is the symptom here, so missing data breaches.
    alarm(r, {
      kind: PIPELINE_KINDS.queueMonitorSilent, comparison: 'LessThanThreshold', treatMissingData: 'breaching',
      queries: single(customMetric('queueDepth', 'SampleCount', queueMonitorSilence.periodSeconds), 'QueueDepth samples'),
      threshold: 1, evaluation: queueMonitorSilence,
    }),
  ];
}
