/**
 * Alarm kinds: what an alarm means, how severe it is, what to do, which saved query to run.
 * One kind is one runbook section (its anchor is `section`); a kind may have several alarms (one
 * per function, route or process type). The guide's four alerts take their words from the guide.
 *
 * Severity: a `critical` kind belongs to an incident class (incidents.ts) and pages through that
 * class's composite alarm, never by itself; a `warning` kind notifies Slack and e-mail only.
 */
import { ERROR_BUDGET, GUIDE_ALERTS, METRICS, SLO, burnRate, type GuideAlert, type LOG_QUERIES, type Severity } from '../../guide';

export type AlarmCategory = 'guide' | 'slo' | 'pipeline' | 'service' | 'incident';

/** The incident classes (incidents.ts): one composite alarm each carries the page. */
export type IncidentClassId = 'processing-failing' | 'processes-stuck' | 'api-failing' | 'database-unreachable';

export interface AlarmKind {
  /** Runbook anchor, unique. */
  readonly section: string;
  readonly title: string;
  readonly titleJa?: string;
  readonly severity: Severity;
  readonly category: AlarmCategory;
  /** The class whose composite pages for this kind; set exactly for critical kinds. */
  readonly incident?: IncidentClassId;
  /** What the alarm means, for the runbook. */
  readonly meaning: string;
  readonly responseSteps: readonly string[];
  /** The guide's own words, where the guide has them. */
  readonly responseStepsJa?: readonly string[];
  /** The saved Logs Insights query to start with. */
  readonly query?: keyof typeof LOG_QUERIES;
  /** Where the threshold comes from: a guide section, or our ALARM_POLICY. */
  readonly source: string;
  /**
   * Why its metrics exist only on AWS, when they do: the local runtime cannot produce them
   * faithfully, so no local failure scenario can make it fire (the runbook and the scenario table
   * list these). Unset: the local runtime emits every metric the alarm reads.
   */
  readonly awsOnly?: string;
}

const fromGuide = (alert: GuideAlert, query: AlarmKind['query'], meaning: string, incident?: IncidentClassId): AlarmKind => ({
  section: alert.id,
  title: alert.title,
  titleJa: alert.titleJa,
  severity: alert.severity,
  category: 'guide',
  ...(incident ? { incident } : {}),
  meaning,
  responseSteps: alert.responseSteps,
  responseStepsJa: alert.responseStepsJa,
  query,
  source: `guide: アラート一覧 — ${alert.conditionJa}, 重要度 ${alert.importanceJa}`,
});

export const GUIDE_KINDS = {
  errorRate: fromGuide(GUIDE_ALERTS.errorRate, 'errorsByCode',
    'More than 5 % of the processes that finished in the last 5 minutes ended FAILED or TIMEOUT (ErrorRate), with at least 20 of them finished (RATE_VOLUME): below that one failure would already be above 5 %, and the SLO burn-rate alarms judge the longer windows.',
    'processing-failing'),
  timeoutRate: fromGuide(GUIDE_ALERTS.timeoutRate, 'errorsByCode',
    'More than 10 % of the processes that finished in the last 5 minutes ended TIMEOUT, with at least 20 of them finished (RATE_VOLUME).',
    'processing-failing'),
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
    awsOnly: 'API latency is CPU and database time, which a compressed clock cannot compress: the local runtime records it in real milliseconds (dashboard), but a failure scenario plays minutes in seconds, so a 15-minute p95 against a 500 ms or 1 s target cannot be reproduced faithfully; on AWS it is real traffic',
  },
  errorBudget: {
    section: 'slo-error-budget', title: 'Error budget burning (error rate SLO < 1 %)', titleJa: 'エラー率 (目標値)', severity: 'critical', category: 'slo',
    incident: 'processing-failing',
    meaning: `The error rate SLO (< ${SLO.errorRatePercent} %) over a ${ERROR_BUDGET.periodDays}-day budget is burning fast: ` +
      `fast = ${burnRate(ERROR_BUDGET.windows.fast)}× the budget rate (${burnRate(ERROR_BUDGET.windows.fast) * SLO.errorRatePercent} % errors) over 1 h and 5 min, ` +
      `slow = ${burnRate(ERROR_BUDGET.windows.slow)}× (${burnRate(ERROR_BUDGET.windows.slow) * SLO.errorRatePercent} %) over 6 h and 30 min. ` +
      'Each window pair is one composite alarm (long AND short). The long windows need 20 finished processes, so they see outages at traffic too low for the 5-minute error-rate alert.',
    responseSteps: [
      'Run the saved query AsyncProcessing/ErrorsByCode for the last hour: which errorCode and type dominate?',
      ...GUIDE_ALERTS.errorRate.responseSteps.slice(1),
    ],
    query: 'errorsByCode', source: 'guide: パフォーマンス指標 — エラー率 < 1%; windows: ERROR_BUDGET (Google SRE workbook, multiwindow burn rate)',
  },
  timeoutBudget: {
    section: 'slo-timeout-budget', title: 'Timeout budget burning (timeout rate SLO < 5 %)', titleJa: 'タイムアウト率 (目標値)', severity: 'critical', category: 'slo',
    incident: 'processing-failing',
    meaning: `The timeout rate SLO (< ${SLO.timeoutRatePercent} %) is burning fast: ` +
      `fast = ${burnRate(ERROR_BUDGET.windows.fast) * SLO.timeoutRatePercent} % timeouts over 1 h and 5 min, slow = ${burnRate(ERROR_BUDGET.windows.slow) * SLO.timeoutRatePercent} % over 6 h and 30 min.`,
    responseSteps: [...GUIDE_ALERTS.timeoutRate.responseSteps],
    responseStepsJa: [...GUIDE_ALERTS.timeoutRate.responseStepsJa],
    query: 'errorsByCode', source: 'guide: パフォーマンス指標 — タイムアウト率 < 5%; windows: ERROR_BUDGET',
  },
  completionTime: {
    section: 'slo-completion-time', title: 'Completion time of a type above its SLO', titleJa: '処理完了時間', severity: 'warning', category: 'slo',
    meaning: 'Over the last hour the average completion time of one process type was above the upper bound of its SLO (SUBGOAL 5 min, ACTION 10 min, TASK 15 min).',
    responseSteps: [...GUIDE_ALERTS.processingTime.responseSteps],
    query: 'durationByType', source: 'guide: パフォーマンス指標 — 処理完了時間; window: ALARM_POLICY.slo.completionByType',
  },
} as const satisfies Record<string, AlarmKind>;

export const PIPELINE_KINDS = {
  oldestActive: {
    section: 'oldest-active-process', title: 'A process is active past every timeout', severity: 'critical', category: 'pipeline',
    incident: 'processes-stuck',
    meaning: 'The oldest PENDING/PROCESSING process is older than the workflow timeout plus the sweeper grace: neither Step Functions nor the sweeper ended it, and its user is still waiting.',
    responseSteps: [
      'Check the queue-monitor log group: does the sweeper run, and does it fail?',
      'Find the process (oldest created_at among PENDING/PROCESSING) and trace it with AsyncProcessing/ProcessTrace.',
      'Check its Step Functions execution; if it is stuck, stop it, and mark the process TIMEOUT.',
    ],
    query: 'processTrace', source: 'DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds; window: ALARM_POLICY.pipeline.oldestActive',
  },
  queueMonitorSilent: {
    section: 'queue-monitor-silent', title: 'The queue monitor stopped publishing', severity: 'critical', category: 'pipeline',
    incident: 'database-unreachable',
    meaning: 'No QueueDepth sample for 5 minutes: the queue monitor, which reads the database every minute, cannot (the database is down or unreachable) or does not run. The queue-depth and oldest-process alarms are blind and the sweeper does not end stale processes.',
    responseSteps: [
      'Check the database first: the Aurora cluster’s status and events, then the queue-monitor log group for connection errors.',
      'Check the queue-monitor function: errors, throttles, and that its EventBridge schedule is enabled.',
      'Check the database is reachable from the function (security groups, IAM authentication as aip_app).',
    ],
    source: 'DESIGN.queueMonitorEveryMinutes; window: ALARM_POLICY.pipeline.queueMonitorSilence',
  },
  queueMonitorFailing: {
    section: 'queue-monitor-failing', title: 'The queue monitor fails every minute', severity: 'critical', category: 'pipeline',
    incident: 'database-unreachable',
    meaning: 'The queue monitor’s invocations failed in 2 minutes of the last 3. It runs every minute and its only dependency is the database, so this is the fastest sign that the database is unreachable (the queue-monitor-silent alarm needs 5 silent minutes).',
    responseSteps: [
      'Run AsyncProcessing/Errors on the queue-monitor log group: a connection error means the database; anything else, the function (its last deployment).',
      'Check the Aurora cluster’s status and events.',
    ],
    query: 'errors', source: 'DESIGN.queueMonitorEveryMinutes; window: ALARM_POLICY.pipeline.queueMonitorErrors',
  },
  swept: {
    section: 'processes-swept', title: 'The sweeper ended processes the workflow lost', severity: 'warning', category: 'pipeline',
    meaning: 'The queue monitor ended at least one PENDING/PROCESSING process as TIMEOUT because it outlived the workflow timeout plus the sweeper grace (ProcessesSwept): its execution never said how it ended (never started, failed or timed out without recording it, aborted, lost with a host, or the database was down when it ended). Each is a user who waited half an hour for a TIMEOUT.',
    responseSteps: [
      'Run AsyncProcessing/Errors on the queue-monitor log group: each swept process is logged with its processId.',
      'Trace one with AsyncProcessing/ProcessTrace and find its Step Functions execution: did it start, and how did it end?',
      'Many at once after a database outage are its aftermath; otherwise look for lost executions: the Step Functions graphs (failed, timed out, aborted: sfn-unexpected-aborts).',
    ],
    query: 'errors', source: 'DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds; window: ALARM_POLICY.pipeline.swept',
  },
  maintenanceOverdue: {
    section: 'maintenance-overdue', title: 'A maintenance task did not succeed in its window', titleJa: '定期メンテナンス', severity: 'warning', category: 'pipeline',
    meaning: 'The weekly maintenance (cleanup of records past 90 days, index maintenance; Sunday 02:00–04:00 JST) or the monthly window (first Sunday 02:00–06:00 JST) has no success since its last window ended, an hour past due (MaintenanceOverdue, published every minute by the queue monitor from the last recorded success). The run failed, was not started, or did not finish in time.',
    responseSteps: [
      'Run AsyncProcessing/Errors on the processing-cleanup log group for the window: did it start, and how did it end?',
      'Check the EventBridge Scheduler schedules (weekly-maintenance, monthly-maintenance) are enabled and their target errors.',
      'Run it by hand once the cause is fixed: aws lambda invoke --function-name processing-cleanup --payload \'{"task":"weekly-maintenance"}\' out.json (the heartbeat clears with its success).',
    ],
    query: 'errors', source: 'guide: 定期メンテナンス (MAINTENANCE); grace: ALARM_POLICY.maintenance.heartbeat',
  },
} as const satisfies Record<string, AlarmKind>;
