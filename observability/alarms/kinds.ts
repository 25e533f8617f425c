/**
 * Alarm kinds: what an alarm means, how severe it is, what to do, which saved query to run.
 * One kind is one runbook section (its anchor is `section`); a kind may have several alarms (one
 * per function, route or process type). The guide's four alerts take their words from the guide.
 */
import { GUIDE_ALERTS, METRICS, type GuideAlert, type LOG_QUERIES, type Severity } from '../../guide';

export type AlarmCategory = 'guide' | 'slo' | 'pipeline' | 'service' | 'dr';

export interface AlarmKind {
  /** Runbook anchor, unique. */
  readonly section: string;
  readonly title: string;
  readonly titleJa?: string;
  readonly severity: Severity;
  readonly category: AlarmCategory;
  /** What the alarm means, for the runbook. */
  readonly meaning: string;
  readonly responseSteps: readonly string[];
  /** The guide's own words, where the guide has them. */
  readonly responseStepsJa?: readonly string[];
  /** The saved Logs Insights query to start with. */
  readonly query?: keyof typeof LOG_QUERIES;
  /** Where the threshold comes from: a guide section, or our ALARM_POLICY. */
  readonly source: string;
}

const fromGuide = (alert: GuideAlert, query: AlarmKind['query'], meaning: string): AlarmKind => ({
  section: alert.id,
  title: alert.title,
  titleJa: alert.titleJa,
  severity: alert.severity,
  category: 'guide',
  meaning,
  responseSteps: alert.responseSteps,
  responseStepsJa: alert.responseStepsJa,
  query,
  source: `guide: アラート一覧 — ${alert.conditionJa}, 重要度 ${alert.importanceJa}`,
});

export const GUIDE_KINDS = {
  errorRate: fromGuide(GUIDE_ALERTS.errorRate, 'errors',
    'More than 5 % of the processes that finished in the last 5 minutes ended FAILED or TIMEOUT (ErrorRate).'),
  timeoutRate: fromGuide(GUIDE_ALERTS.timeoutRate, 'errors',
    'More than 10 % of the processes that finished in the last 5 minutes ended TIMEOUT.'),
  processingTime: fromGuide(GUIDE_ALERTS.processingTime, 'durationByType',
    'Processes that completed in the last 5 minutes took more than 5 minutes on average (ProcessingDuration, start of processing to completion). ' +
    'The guide’s own targets for ACTION (5–10 min) and TASK (10–15 min) are above 5 minutes, so a mix heavy in those types trips it within SLO: look at the per-type graph and the slo-completion-time alarms first.'),
  queueDepth: fromGuide(GUIDE_ALERTS.queueDepth, undefined,
    'More than 100 processes are waiting or running (QueueDepth: PENDING + PROCESSING, published every minute by the queue monitor).'),
  failedCount: {
    section: 'failed-count', title: 'Failed processes', titleJa: '失敗数', severity: 'warning', category: 'guide',
    meaning: `More than ${METRICS.failed.threshold.value} processes ended FAILED in 5 minutes (metric table threshold of AsyncProcessingFailed). It complements the error rate when traffic is high.`,
    responseSteps: [...GUIDE_ALERTS.errorRate.responseSteps],
    responseStepsJa: [...GUIDE_ALERTS.errorRate.responseStepsJa],
    query: 'errors', source: 'guide: 主要メトリクス — AsyncProcessingFailed > 5/5分',
  },
  timeoutCount: {
    section: 'timeout-count', title: 'Timed-out processes', titleJa: 'タイムアウト数', severity: 'warning', category: 'guide',
    meaning: `More than ${METRICS.timeout.threshold.value} processes ended TIMEOUT in 5 minutes (metric table threshold of AsyncProcessingTimeout).`,
    responseSteps: [...GUIDE_ALERTS.timeoutRate.responseSteps],
    responseStepsJa: [...GUIDE_ALERTS.timeoutRate.responseStepsJa],
    query: 'errors', source: 'guide: 主要メトリクス — AsyncProcessingTimeout > 10/5分',
  },
} as const satisfies Record<string, AlarmKind>;

export const SLO_KINDS = {
  apiLatency: {
    section: 'api-latency', title: 'API p95 latency above its SLO', titleJa: 'API応答時間', severity: 'warning', category: 'slo',
    meaning: 'The 95th percentile latency of a route (API Gateway, request to response) has been above its SLO (start < 1 s, status < 500 ms) for 15 minutes.',
    responseSteps: [
      'Open the API widgets of AsyncProcessing-Dashboard: is it one route or all, latency or integration latency?',
      'Check the handler’s Lambda duration and cold starts (Init Duration in its log group); consider provisioned concurrency.',
      'Check Aurora CPU, connections and ACU: the handlers wait on the database.',
    ],
    source: 'guide: パフォーマンス指標 — API応答時間 95%ile; window: ALARM_POLICY.slo.apiLatency',
  },
  errorRate: {
    section: 'slo-error-rate', title: 'Error rate above its SLO', titleJa: 'エラー率 (目標値)', severity: 'warning', category: 'slo',
    meaning: 'Over the last hour 1 % or more of the finished processes ended in error: the SLO (< 1 %) is missed even though the 5 % alert is quiet.',
    responseSteps: ['Run the saved query AsyncProcessing/Errors and group the errors by code.', 'Plan a fix for the largest group during working hours.'],
    query: 'errors', source: 'guide: パフォーマンス指標 — エラー率 < 1%; window: ALARM_POLICY.slo.outcomeRate',
  },
  timeoutRate: {
    section: 'slo-timeout-rate', title: 'Timeout rate above its SLO', titleJa: 'タイムアウト率 (目標値)', severity: 'warning', category: 'slo',
    meaning: 'Over the last hour 5 % or more of the finished processes timed out: the SLO (< 5 %) is missed.',
    responseSteps: [...GUIDE_ALERTS.timeoutRate.responseSteps],
    query: 'errors', source: 'guide: パフォーマンス指標 — タイムアウト率 < 5%; window: ALARM_POLICY.slo.outcomeRate',
  },
  completionTime: {
    section: 'slo-completion-time', title: 'Completion time of a type above its SLO', titleJa: '処理完了時間', severity: 'warning', category: 'slo',
    meaning: 'Over the last hour the average completion time of one process type was above the upper bound of its SLO (SUBGOAL 5 min, ACTION 10 min, TASK 15 min).',
    responseSteps: [...GUIDE_ALERTS.processingTime.responseSteps],
    query: 'durationByType', source: 'guide: パフォーマンス指標 — 処理完了時間; window: ALARM_POLICY.slo.completionByType',
  },
} as const satisfies Record<string, AlarmKind>;

export const PIPELINE_KINDS = {
  neverFinished: {
    section: 'never-finished', title: 'Accepted processes that never finish', severity: 'warning', category: 'pipeline',
    meaning: 'For three hours in a row, more than 10 % of the processes started in the hour had no outcome (completed, failed, timed out or cancelled). Processes are being lost between the API and the worker.',
    responseSteps: [
      'Compare Step Functions ExecutionsStarted with AsyncProcessingStarted on the dashboard: do executions start?',
      'Look for PROCESSING rows older than the workflow timeout in processing_state, and for the sweeper in the queue-monitor log group.',
      'Trace one such process with the saved query AsyncProcessing/ProcessTrace.',
    ],
    query: 'processTrace', source: 'ALARM_POLICY.pipeline.neverFinished',
  },
  oldestActive: {
    section: 'oldest-active-process', title: 'A process is active past every timeout', severity: 'critical', category: 'pipeline',
    meaning: 'The oldest PENDING/PROCESSING process is older than the workflow timeout plus the sweeper grace: neither Step Functions nor the sweeper ended it, and its user is still waiting.',
    responseSteps: [
      'Check the queue-monitor log group: does the sweeper run, and does it fail?',
      'Find the process (oldest created_at among PENDING/PROCESSING) and trace it with AsyncProcessing/ProcessTrace.',
      'Check its Step Functions execution; if it is stuck, stop it, and mark the process TIMEOUT.',
    ],
    query: 'processTrace', source: 'DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds; window: ALARM_POLICY.pipeline.oldestActive',
  },
  queueMonitorSilent: {
    section: 'queue-monitor-silent', title: 'The queue monitor stopped publishing', severity: 'warning', category: 'pipeline',
    meaning: 'No QueueDepth sample for 5 minutes: the queue monitor is not running, so the queue-depth and oldest-process alarms are blind and the sweeper does not end stale processes.',
    responseSteps: [
      'Check the queue-monitor function: errors, throttles and its log group.',
      'Check its EventBridge schedule is enabled.',
      'Check the database is reachable from the function (security groups, secret).',
    ],
    source: 'DESIGN.queueMonitorEveryMinutes; window: ALARM_POLICY.pipeline.queueMonitorSilence',
  },
} as const satisfies Record<string, AlarmKind>;
