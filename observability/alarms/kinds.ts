/**
 * Alarm kinds: what an alarm means, how severe it is, what to do, which saved query to run.
 * One kind is one runbook section (its anchor is `section`); a kind may have several alarms (one
 * per function, route or process type). The guide's four alerts take their words from the guide.
 *
 * Severity: a `critical` kind belongs to an incident class (incidents.ts) and pages through that
 * class's composite alarm, never by itself; a `warning` kind notifies Slack and e-mail only.
 */
import {
  ALARM_POLICY,
  DESIGN,
  ERROR_BUDGET,
  GUIDE_ALERTS,
  MAINTENANCE,
  METRICS,
  PROCESS_TYPES,
  RATE_VOLUME,
  RETENTION,
  SLO,
  burnRate,
  type GuideAlert,
  type LOG_QUERIES,
  type Severity,
} from '../../guide';
import { duration, during, every, lastPeriod, millis } from './wording';

export type AlarmCategory = 'guide' | 'slo' | 'pipeline' | 'service' | 'dr' | 'incident';

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
   * A cause class whose aftermath this kind watches (incidents.ts): its alarm stays in ALARM while
   * that incident's consequences may still come, and keeps the symptoms' composites from paging.
   */
  readonly aftermathOf?: IncidentClassId;
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

const { errorRate, timeoutRate, processingTime, queueDepth } = GUIDE_ALERTS;
const minutesOf = (ms: number): number => ms / 60_000;
const short = (type: string): string => type.replace(/_GENERATION$/, '');
/** The types whose own completion target reaches above the guide's processing-time alert. */
const slowerThanTheAlert = PROCESS_TYPES.filter((t) => SLO.completionMinutes[t][1] > minutesOf(processingTime.threshold));
/** The metric table's threshold as the guide writes it (`> 5/5分`). */
const metricThreshold = (m: { name: string; threshold: { value: number; periodSeconds: number } }) =>
  `guide: 主要メトリクス — ${m.name} > ${m.threshold.value}/${m.threshold.periodSeconds / 60}分`;

export const GUIDE_KINDS = {
  errorRate: fromGuide(
    errorRate,
    'errorsByCode',
    `More than ${errorRate.threshold} % of the processes that finished in ${lastPeriod(errorRate.periodSeconds)} ended FAILED or TIMEOUT (ErrorRate), with at least ${RATE_VOLUME.minEvents} of them finished (RATE_VOLUME): below that one failure would already be above ${errorRate.threshold} %, and the SLO burn-rate alarms judge the longer windows.`,
    'processing-failing',
  ),
  timeoutRate: fromGuide(
    timeoutRate,
    'errorsByCode',
    `More than ${timeoutRate.threshold} % of the processes that finished in ${lastPeriod(timeoutRate.periodSeconds)} ended TIMEOUT, with at least ${RATE_VOLUME.minEvents} of them finished (RATE_VOLUME).`,
    'processing-failing',
  ),
  processingTime: fromGuide(
    processingTime,
    'durationByType',
    `Processes that completed in ${lastPeriod(processingTime.periodSeconds)} took more than ${duration(processingTime.threshold / 1000)} on average (ProcessingDuration, start of processing to completion). ` +
      (slowerThanTheAlert.length
        ? `The guide’s own targets for ${slowerThanTheAlert.map((t) => `${short(t)} (${SLO.completionMinutes[t].join('–')} min)`).join(' and ')} reach above ${duration(processingTime.threshold / 1000)}, so a mix heavy in those types trips it within SLO: look at the per-type graph and the slo-completion-time alarms first.`
        : 'Every type’s completion target is below it, so it means processing is slower than the SLOs allow.'),
  ),
  queueDepth: fromGuide(
    queueDepth,
    undefined,
    `More than ${queueDepth.threshold} processes are waiting or running (QueueDepth: PENDING + PROCESSING, published ${every(DESIGN.queueMonitorEveryMinutes * 60)} by the queue monitor).`,
  ),
  failedCount: {
    section: 'failed-count',
    title: 'Failed processes',
    titleJa: '失敗数',
    severity: 'warning',
    category: 'guide',
    meaning: `More than ${METRICS.failed.threshold.value} processes ended FAILED in ${duration(METRICS.failed.threshold.periodSeconds)} (metric table threshold of AsyncProcessingFailed). It complements the error rate when traffic is high.`,
    responseSteps: [...errorRate.responseSteps],
    responseStepsJa: [...errorRate.responseStepsJa],
    query: 'errors',
    source: metricThreshold(METRICS.failed),
  },
  timeoutCount: {
    section: 'timeout-count',
    title: 'Timed-out processes',
    titleJa: 'タイムアウト数',
    severity: 'warning',
    category: 'guide',
    meaning: `More than ${METRICS.timeout.threshold.value} processes ended TIMEOUT in ${duration(METRICS.timeout.threshold.periodSeconds)} (metric table threshold of AsyncProcessingTimeout).`,
    responseSteps: [...timeoutRate.responseSteps],
    responseStepsJa: [...timeoutRate.responseStepsJa],
    query: 'errors',
    source: metricThreshold(METRICS.timeout),
  },
} as const satisfies Record<string, AlarmKind>;

const FAST = ERROR_BUDGET.windows.fast;
const SLOW = ERROR_BUDGET.windows.slow;

export const SLO_KINDS = {
  apiLatency: {
    section: 'api-latency',
    title: 'API p95 latency above its SLO',
    titleJa: 'API応答時間',
    severity: 'warning',
    category: 'slo',
    meaning: `The 95th percentile latency of a route (API Gateway, request to response) has been above its SLO (start < ${millis(SLO.startApiP95Ms)}, status < ${millis(SLO.statusApiP95Ms)}) ${during(ALARM_POLICY.slo.apiLatency)}.`,
    responseSteps: [
      'Open the API widgets of AsyncProcessing-Dashboard: is it one route or all, latency or integration latency?',
      'Check the handler’s Lambda duration and cold starts (Init Duration in its log group); consider provisioned concurrency.',
      'Check Aurora CPU, connections and ACU: the handlers wait on the database.',
    ],
    source: 'guide: パフォーマンス指標 — API応答時間 95%ile; window: ALARM_POLICY.slo.apiLatency',
    awsOnly: `API latency is CPU and database time, which a compressed clock cannot compress: the local runtime records it in real milliseconds (dashboard), but a failure scenario plays minutes in seconds, so a p95 held ${during(ALARM_POLICY.slo.apiLatency)} against a ${millis(SLO.statusApiP95Ms)} or ${millis(SLO.startApiP95Ms)} target cannot be reproduced faithfully; on AWS it is real traffic`,
  },
  errorBudget: {
    section: 'slo-error-budget',
    title: `Error budget burning (error rate SLO < ${SLO.errorRatePercent} %)`,
    titleJa: 'エラー率 (目標値)',
    severity: 'critical',
    category: 'slo',
    incident: 'processing-failing',
    meaning:
      `The error rate SLO (< ${SLO.errorRatePercent} %) over a ${ERROR_BUDGET.periodDays}-day budget is burning fast: ` +
      `fast = ${burnRate(FAST)}× the budget rate (${burnRate(FAST) * SLO.errorRatePercent} % errors) over ${duration(FAST.longSeconds)} and ${duration(FAST.shortSeconds)}, ` +
      `slow = ${burnRate(SLOW)}× (${burnRate(SLOW) * SLO.errorRatePercent} %) over ${duration(SLOW.longSeconds)} and ${duration(SLOW.shortSeconds)}. ` +
      `Each window pair is one composite alarm (long AND short). The long windows need ${RATE_VOLUME.minEvents} finished processes, so they see outages at traffic too low for the ${duration(errorRate.periodSeconds)} error-rate alert; the short ones need ${ERROR_BUDGET.shortWindowMinErrors} errors.`,
    responseSteps: [
      'Run the saved query AsyncProcessing/ErrorsByCode for the last hour: which errorCode and type dominate?',
      ...GUIDE_ALERTS.errorRate.responseSteps.slice(1),
    ],
    query: 'errorsByCode',
    source: `guide: パフォーマンス指標 — エラー率 < ${SLO.errorRatePercent}%; windows: ERROR_BUDGET (Google SRE workbook, multiwindow burn rate)`,
  },
  timeoutBudget: {
    section: 'slo-timeout-budget',
    title: `Timeout budget burning (timeout rate SLO < ${SLO.timeoutRatePercent} %)`,
    titleJa: 'タイムアウト率 (目標値)',
    severity: 'critical',
    category: 'slo',
    incident: 'processing-failing',
    meaning:
      `The timeout rate SLO (< ${SLO.timeoutRatePercent} %) is burning fast: ` +
      `fast = ${burnRate(FAST) * SLO.timeoutRatePercent} % timeouts over ${duration(FAST.longSeconds)} and ${duration(FAST.shortSeconds)}, slow = ${burnRate(SLOW) * SLO.timeoutRatePercent} % over ${duration(SLOW.longSeconds)} and ${duration(SLOW.shortSeconds)}.`,
    responseSteps: [...GUIDE_ALERTS.timeoutRate.responseSteps],
    responseStepsJa: [...GUIDE_ALERTS.timeoutRate.responseStepsJa],
    query: 'errorsByCode',
    source: `guide: パフォーマンス指標 — タイムアウト率 < ${SLO.timeoutRatePercent}%; windows: ERROR_BUDGET`,
  },
  completionTime: {
    section: 'slo-completion-time',
    title: 'Completion time of a type above its SLO',
    titleJa: '処理完了時間',
    severity: 'warning',
    category: 'slo',
    meaning: `Over ${lastPeriod(ALARM_POLICY.slo.completionByType.periodSeconds)} the average completion time of one process type was above the upper bound of its SLO (${PROCESS_TYPES.map((t) => `${short(t)} ${SLO.completionMinutes[t][1]} min`).join(', ')}).`,
    responseSteps: [...GUIDE_ALERTS.processingTime.responseSteps],
    query: 'durationByType',
    source: 'guide: パフォーマンス指標 — 処理完了時間; window: ALARM_POLICY.slo.completionByType',
  },
} as const satisfies Record<string, AlarmKind>;

const window = (w: { day: string; startJst: { hour: number; minute: number }; endJst: { hour: number; minute: number } }) =>
  `${w.day.replace('#1', ' (first of the month)')} ${hhmm(w.startJst)}–${hhmm(w.endJst)} JST`;
const hhmm = (t: { hour: number; minute: number }) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
const canary = ALARM_POLICY.pipeline.queueMonitorErrors;
/**
 * A process in flight when its cause (the database away, its row held) ended is over this long
 * after, at the latest: the workflow timeout, the sweeper grace and one queue-monitor period.
 */
export const STRANDED_SECONDS = DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds + DESIGN.queueMonitorEveryMinutes * 60;
const aftermathMeaning = (what: string) =>
  `${what} in the last ${duration(STRANDED_SECONDS)} (the workflow timeout, the sweeper grace and a queue-monitor period): the processes in flight then may still end FAILED or TIMEOUT until this window has passed. While it is in ALARM the failures they bring are that incident's, and incident-processing-failing does not page for them (it is part of incident-processing-failing-cause, the suppressor). It pages nobody.`;

export const PIPELINE_KINDS = {
  oldestActive: {
    section: 'oldest-active-process',
    title: 'A process is active past every timeout',
    severity: 'critical',
    category: 'pipeline',
    incident: 'processes-stuck',
    meaning: `The oldest PENDING/PROCESSING process has been older than the workflow timeout plus the sweeper grace ${during(ALARM_POLICY.pipeline.oldestActive)}: neither Step Functions nor the sweeper ended it (the age is published before each sweep, so one the sweeper ends shows for a minute only), and its user is still waiting.`,
    responseSteps: [
      'Check the queue-monitor log group: does the sweeper run, and does it fail?',
      'Find the process (oldest created_at among PENDING/PROCESSING) and trace it with AsyncProcessing/ProcessTrace; look for a session holding its row (pg_stat_activity, pg_locks).',
      'Check its Step Functions execution; if it is stuck, stop it, and mark the process TIMEOUT.',
    ],
    query: 'processTrace',
    source: 'DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds; window: ALARM_POLICY.pipeline.oldestActive',
  },
  queueMonitorSilent: {
    section: 'queue-monitor-silent',
    title: 'The queue monitor stopped publishing',
    severity: 'critical',
    category: 'pipeline',
    incident: 'database-unreachable',
    meaning: `No QueueDepth sample for ${duration(ALARM_POLICY.pipeline.queueMonitorSilence.periodSeconds)}: the queue monitor, which reads the database ${every(DESIGN.queueMonitorEveryMinutes * 60)}, cannot (the database is down or unreachable) or does not run. The queue-depth and oldest-process alarms are blind and the sweeper does not end stale processes.`,
    responseSteps: [
      'Check the database first: the Aurora cluster’s status and events, then the queue-monitor log group for connection errors.',
      'Check the queue-monitor function: errors, throttles, and that its EventBridge schedule is enabled.',
      'Check the database is reachable from the function (security groups, IAM authentication as aip_app).',
    ],
    source: 'DESIGN.queueMonitorEveryMinutes; window: ALARM_POLICY.pipeline.queueMonitorSilence',
  },
  queueMonitorFailing: {
    section: 'queue-monitor-failing',
    title: 'The queue monitor keeps failing',
    severity: 'critical',
    category: 'pipeline',
    incident: 'database-unreachable',
    meaning: `The queue monitor’s invocations failed ${during(canary)}. It runs ${every(DESIGN.queueMonitorEveryMinutes * 60)} and its only dependency is the database, so this is the fastest sign that the database is unreachable (queue-monitor-silent needs ${duration(ALARM_POLICY.pipeline.queueMonitorSilence.periodSeconds)} of silence).`,
    responseSteps: [
      'Run AsyncProcessing/Errors on the queue-monitor log group: a connection error or a timeout means the database; anything else, the function (its last deployment).',
      'Check the Aurora cluster’s status and events.',
    ],
    query: 'errors',
    source: 'DESIGN.queueMonitorEveryMinutes; window: ALARM_POLICY.pipeline.queueMonitorErrors',
  },
  databaseAftermath: {
    section: 'database-recently-unreachable',
    title: 'The database was unreachable a short while ago',
    severity: 'warning',
    category: 'pipeline',
    aftermathOf: 'database-unreachable',
    meaning: aftermathMeaning(
      `The queue monitor (the database canary) failed in ${canary.datapoints} minutes, as queue-monitor-failing counts them,`,
    ),
    responseSteps: [
      'Nothing of its own: work incident-database-unreachable while it is open.',
      'Once the database is back, the queue monitor ends the processes whose executions ended during the outage as they ended (FAILED, DATABASE_ERROR) within minutes; any it cannot are swept as TIMEOUT (processes-swept). Users can retry them.',
    ],
    query: 'errors',
    source:
      'queue-monitor-failing’s rule over DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds + DESIGN.queueMonitorEveryMinutes',
  },
  stuckAftermath: {
    section: 'processes-recently-stuck',
    title: 'Processes were stuck a short while ago',
    severity: 'warning',
    category: 'pipeline',
    aftermathOf: 'processes-stuck',
    meaning: aftermathMeaning(
      `A process was active past the workflow timeout plus the sweeper grace in ${ALARM_POLICY.pipeline.oldestActive.datapoints} minutes, as oldest-active-process counts them,`,
    ),
    responseSteps: [
      'Nothing of its own: work incident-processes-stuck while it is open.',
      'Once what held the processes is gone, the sweeper ends them TIMEOUT at its next run (processes-swept), and the rates count them. Users can retry them.',
    ],
    query: 'processTrace',
    source:
      'oldest-active-process’s rule over DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds + DESIGN.queueMonitorEveryMinutes',
  },
  swept: {
    section: 'processes-swept',
    title: 'The sweeper ended processes the workflow lost',
    severity: 'warning',
    category: 'pipeline',
    meaning: `The queue monitor ended at least one PENDING/PROCESSING process as TIMEOUT ${during(ALARM_POLICY.pipeline.swept)} because it outlived the workflow timeout plus the sweeper grace (ProcessesSwept): its execution never said how it ended (never started, failed or timed out without recording it, aborted, lost with a host, or the database was down when it ended). Each is a user who waited ${duration(DESIGN.workflow.workflowTimeoutSeconds)} for a TIMEOUT.`,
    responseSteps: [
      'Run AsyncProcessing/Errors on the queue-monitor log group: each swept process is logged with its processId.',
      'Trace one with AsyncProcessing/ProcessTrace and find its Step Functions execution: did it start, and how did it end?',
      'Many at once after a database outage are its aftermath; otherwise look for lost executions: the Step Functions graphs (failed, timed out, aborted: sfn-unexpected-aborts).',
    ],
    query: 'errors',
    source: 'DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds; window: ALARM_POLICY.pipeline.swept',
  },
  maintenanceOverdue: {
    section: 'maintenance-overdue',
    title: 'A maintenance task did not succeed in its window',
    titleJa: '定期メンテナンス',
    severity: 'warning',
    category: 'pipeline',
    meaning: `The weekly maintenance (cleanup of records past ${RETENTION.processingRecordsDays} days, index maintenance; ${window(MAINTENANCE.weekly)}) or the monthly window (${window(MAINTENANCE.monthly)}) has no success since its window ended, ${duration(ALARM_POLICY.maintenance.heartbeat.graceSeconds)} past due (MaintenanceOverdue, published ${every(DESIGN.queueMonitorEveryMinutes * 60)} by the queue monitor from the last recorded success). The run failed, was not started, or did not finish in time.`,
    responseSteps: [
      'Run AsyncProcessing/Errors on the processing-cleanup log group for the window: did it start, and how did it end?',
      'Check the EventBridge Scheduler schedules (weekly-maintenance, monthly-maintenance) are enabled and their target errors.',
      'Run it by hand once the cause is fixed: aws lambda invoke --function-name processing-cleanup --payload \'{"task":"weekly-maintenance"}\' out.json (the heartbeat clears with its success).',
    ],
    query: 'errors',
    source: 'guide: 定期メンテナンス (MAINTENANCE); grace: ALARM_POLICY.maintenance.heartbeat',
  },
} as const satisfies Record<string, AlarmKind>;
