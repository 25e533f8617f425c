/**
 * Alarms on what the functions report about processes: the guide's alerts and metric-table
 * thresholds, the SLOs (latency, completion time, and the error and timeout budgets as
 * multi-window burn rates), and the pipeline's own health.
 */
import {
  ALARM_POLICY,
  DESIGN,
  ERROR_BUDGET,
  GUIDE_ALERTS,
  MAINTENANCE_EVENTS,
  METRICS,
  PROCESS_TYPES,
  RATE_VOLUME,
  SLO,
  burnRate,
  once,
  type BurnWindowKey,
  type Evaluation,
  type OutcomeRateKey,
} from '../../guide';
import { alarm, type AlarmSpec } from './spec';
import { GUIDE_KINDS, PIPELINE_KINDS, SLO_KINDS, STRANDED_SECONDS, type AlarmKind } from './kinds';
import { awsMetric, countOf, customMetric, outcomeRate, single, taskMetric, type MetricQuery } from '../metrics';
import { SLO_ROUTES, type MonitoredResources } from '../monitored-resources';

const guarded = { minFinished: RATE_VOLUME.minEvents };

export function guideAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const { errorRate, timeoutRate, processingTime, queueDepth } = GUIDE_ALERTS;
  return [
    alarm(r, {
      kind: GUIDE_KINDS.errorRate,
      queries: outcomeRate('errorRate', errorRate.periodSeconds, guarded),
      threshold: errorRate.threshold,
      evaluation: once(errorRate.periodSeconds),
    }),
    alarm(r, {
      kind: GUIDE_KINDS.timeoutRate,
      queries: outcomeRate('timeoutRate', timeoutRate.periodSeconds, guarded),
      threshold: timeoutRate.threshold,
      evaluation: once(timeoutRate.periodSeconds),
    }),
    alarm(r, {
      kind: GUIDE_KINDS.processingTime,
      unit: 'ms',
      queries: single(customMetric('duration', 'Average', processingTime.periodSeconds)),
      threshold: processingTime.threshold,
      evaluation: once(processingTime.periodSeconds),
    }),
    alarm(r, {
      kind: GUIDE_KINDS.queueDepth,
      queries: single(customMetric('queueDepth', 'Maximum', queueDepth.periodSeconds)),
      threshold: queueDepth.threshold,
      evaluation: once(queueDepth.periodSeconds),
    }),
    alarm(r, {
      kind: GUIDE_KINDS.failedCount,
      queries: countOf(customMetric('failed', 'Sum', METRICS.failed.threshold.periodSeconds)),
      threshold: METRICS.failed.threshold.value,
      evaluation: once(METRICS.failed.threshold.periodSeconds),
    }),
    alarm(r, {
      kind: GUIDE_KINDS.timeoutCount,
      queries: countOf(customMetric('timeout', 'Sum', METRICS.timeout.threshold.periodSeconds)),
      threshold: METRICS.timeout.threshold.value,
      evaluation: once(METRICS.timeout.threshold.periodSeconds),
    }),
  ];
}

/** The SLO a budget alarm burns, its rate and its kind. */
export const BUDGETS = [
  { id: 'error', rate: 'errorRate', sloPercent: SLO.errorRatePercent, kind: SLO_KINDS.errorBudget },
  { id: 'timeout', rate: 'timeoutRate', sloPercent: SLO.timeoutRatePercent, kind: SLO_KINDS.timeoutBudget },
] as const satisfies readonly { id: string; rate: OutcomeRateKey; sloPercent: number; kind: AlarmKind }[];

/** The subject of one window of a burn-rate pair: `fast-long`, `fast-short`, `slow-long`, `slow-short`. */
export const burnSubject = (window: BurnWindowKey, part: 'long' | 'short'): string => `${window}-${part}`;

/**
 * The two metric alarms of each burn-rate window pair; the composite `long AND short` of each pair
 * is built with the incident composites (composites.ts). The long window carries the volume guard,
 * the short one only asks that the burn goes on (ERROR_BUDGET.shortWindowMinErrors).
 */
export function budgetAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  return BUDGETS.flatMap((budget) =>
    (Object.keys(ERROR_BUDGET.windows) as BurnWindowKey[]).flatMap((key) => {
      const w = ERROR_BUDGET.windows[key];
      const threshold = Math.round(burnRate(w) * budget.sloPercent * 100) / 100;
      const pair = [
        { part: 'long', seconds: w.longSeconds, guard: guarded },
        { part: 'short', seconds: w.shortSeconds, guard: { minErrors: ERROR_BUDGET.shortWindowMinErrors } },
      ] as const;
      return pair.map((p) =>
        alarm(r, {
          kind: budget.kind,
          subject: burnSubject(key, p.part),
          unit: '%',
          queries: outcomeRate(budget.rate, p.seconds, p.guard),
          threshold,
          evaluation: once(p.seconds),
        }),
      );
    }),
  );
}

export function sloAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const { apiLatency, completionByType } = ALARM_POLICY.slo;
  const latency = SLO_ROUTES.map((route) =>
    alarm(r, {
      kind: SLO_KINDS.apiLatency,
      subject: route.id,
      unit: 'ms',
      queries: single(
        awsMetric(
          'AWS/ApiGateway',
          'Latency',
          { ApiId: r.api.id, Stage: r.api.stage, Method: route.method, Resource: route.resource },
          'p95',
          apiLatency.periodSeconds,
        ),
        `${route.method} ${route.resource} p95`,
      ),
      threshold: route.p95Ms,
      evaluation: apiLatency,
    }),
  );
  const completion = PROCESS_TYPES.map((type) =>
    alarm(r, {
      kind: SLO_KINDS.completionTime,
      subject: type.toLowerCase().replace(/_/g, '-'),
      unit: 'ms',
      queries: single(customMetric('duration', 'Average', completionByType.periodSeconds, type), `ProcessingDuration ${type}`),
      threshold: SLO.completionMinutes[type][1] * 60_000,
      evaluation: completionByType,
    }),
  );
  return [...latency, ...budgetAlarms(r), ...completion];
}

/**
 * Started minus every outcome, as a share of started; 0 below `minStarted` (too few to judge). A
 * dashboard graph, no longer an alarm: with the oldest active age published before each sweep, a
 * process without an outcome is either swept within the workflow timeout plus grace (its TIMEOUT
 * counts in the rates) or shows as the oldest active process (oldest-active-process pages), hours
 * before three hours of this share could.
 */
export function neverFinishedQueries(periodSeconds: number, minStarted: number = RATE_VOLUME.minEvents): MetricQuery<string>[] {
  const keys = ['started', 'completed', 'failed', 'timeout', 'cancelled'] as const;
  const inputs = keys.map((key) => ({ id: key, metric: customMetric(key, 'Sum', periodSeconds), returnData: false }));
  const outcomes = keys
    .slice(1)
    .map((k) => `FILL(${k},0)`)
    .join(' + ');
  const expression = `IF(FILL(started,0) >= ${minStarted}, 100 * (FILL(started,0) - (${outcomes})) / FILL(started,0), 0)`;
  return [...inputs, { id: 'unfinished', expression, label: 'Started without outcome (%)', returnData: true }];
}

/** The maintenance tasks the heartbeat watches (dimension `task`), named as their schedules send them. */
export const HEARTBEAT_TASKS = Object.values(MAINTENANCE_EVENTS).map((e) => e.task);

/**
 * A cause's rule held over the stranded window: the same datapoints to alarm among its periods
 * plus those of STRANDED_SECONDS, so it goes to ALARM with the cause and stays there until the
 * processes the cause caught are over.
 */
const aftermath = (e: Evaluation): Evaluation => ({
  periodSeconds: e.periodSeconds,
  periods: e.periods + Math.ceil(STRANDED_SECONDS / e.periodSeconds),
  datapoints: e.datapoints,
});

export function pipelineAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const { queueMonitorSilence, queueMonitorErrors, oldestActive, swept } = ALARM_POLICY.pipeline;
  const { heartbeat } = ALARM_POLICY.maintenance;
  const heartbeatEvaluation: Evaluation = {
    periodSeconds: heartbeat.periodSeconds,
    periods: heartbeat.periods,
    datapoints: heartbeat.datapoints,
  };
  const queueMonitor = r.functions.find((f) => f.key === 'queueMonitor');
  const oldest = {
    unit: 's',
    queries: single(customMetric('oldestActiveAge', 'Maximum', oldestActive.periodSeconds)),
    threshold: DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds,
  };
  return [
    alarm(r, { kind: PIPELINE_KINDS.oldestActive, ...oldest, evaluation: oldestActive }),
    alarm(r, { kind: PIPELINE_KINDS.stuckAftermath, ...oldest, evaluation: aftermath(oldestActive) }),
    alarm(r, {
      kind: PIPELINE_KINDS.swept,
      queries: countOf(customMetric('swept', 'Sum', swept.periodSeconds)),
      threshold: 0,
      evaluation: swept,
    }),
    // Silence is the symptom here, so missing data breaches.
    alarm(r, {
      kind: PIPELINE_KINDS.queueMonitorSilent,
      comparison: 'LessThanThreshold',
      treatMissingData: 'breaching',
      queries: single(customMetric('queueDepth', 'SampleCount', queueMonitorSilence.periodSeconds), 'QueueDepth samples'),
      threshold: 1,
      evaluation: queueMonitorSilence,
    }),
    ...(queueMonitor
      ? [PIPELINE_KINDS.queueMonitorFailing, PIPELINE_KINDS.databaseAftermath].map((kind) =>
          alarm(r, {
            kind,
            queries: countOf(
              awsMetric('AWS/Lambda', 'Errors', { FunctionName: queueMonitor.name }, 'Sum', queueMonitorErrors.periodSeconds),
              'Errors queue-monitor',
            ),
            threshold: 0,
            evaluation: kind === PIPELINE_KINDS.queueMonitorFailing ? queueMonitorErrors : aftermath(queueMonitorErrors),
          }),
        )
      : []),
    ...HEARTBEAT_TASKS.map((task) =>
      alarm(r, {
        kind: PIPELINE_KINDS.maintenanceOverdue,
        subject: task,
        unit: 's',
        queries: single(taskMetric('maintenanceOverdue', 'Maximum', heartbeat.periodSeconds, task), `MaintenanceOverdue ${task}`),
        threshold: heartbeat.graceSeconds,
        evaluation: heartbeatEvaluation,
      }),
    ),
  ];
}
