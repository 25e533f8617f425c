/**
 * Alarm kinds: what an alarm means, how severe it is, what to do, which saved query to run.
 * One kind is one runbook section (its anchor is `section`); a kind may have several alarms (one
 * per function, route or process type). The guide's four alerts take their words from the guide.
 */
import {
  ALARM_POLICY, DESIGN, GUIDE_ALERTS, METRICS, PROCESS_TYPES, SLO, type GuideAlert, type LOG_QUERIES, type Severity,
} from '../../guide';
import { consecutiveWindows, duration, during, every, lastPeriod, millis } from './wording';

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

const { errorRate, timeoutRate, processingTime, queueDepth } = GUIDE_ALERTS;
const minutesOf = (ms: number): number => ms / 60_000;
const short = (type: string): string => type.replace(/_GENERATION$/, '');
/** The types whose own completion target reaches above the guide's processing-time alert. */
const slowerThanTheAlert = PROCESS_TYPES.filter((t) => SLO.completionMinutes[t][1] > minutesOf(processingTime.threshold));
/** The metric table's threshold as the guide writes it (`> 5/5分`). */
const metricThreshold = (m: { name: string; threshold: { value: number; periodSeconds: number } }) =>
  `guide: 主要メトリクス — ${m.name} > ${m.threshold.value}/${m.threshold.periodSeconds / 60}分`;

export const GUIDE_KINDS = {
  errorRate: fromGuide(errorRate, 'errors',
    `More than ${errorRate.threshold} % of the processes that finished in ${lastPeriod(errorRate.periodSeconds)} ended FAILED or TIMEOUT (ErrorRate).`),
  timeoutRate: fromGuide(timeoutRate, 'errors',
    `More than ${timeoutRate.threshold} % of the processes that finished in ${lastPeriod(timeoutRate.periodSeconds)} ended TIMEOUT.`),
  processingTime: fromGuide(processingTime, 'durationByType',
    `Processes that completed in ${lastPeriod(processingTime.periodSeconds)} took more than ${duration(processingTime.threshold / 1000)} on average (ProcessingDuration, start of processing to completion). ` +
    (slowerThanTheAlert.length
      ? `The guide’s own targets for ${slowerThanTheAlert.map((t) => `${short(t)} (${SLO.completionMinutes[t].join('–')} min)`).join(' and ')} reach above ${duration(processingTime.threshold / 1000)}, so a mix heavy in those types trips it within SLO: look at the per-type graph and the slo-completion-time alarms first.`
      : 'Every type’s completion target is below it, so it means processing is slower than the SLOs allow.')),
  queueDepth: fromGuide(queueDepth, undefined,
    `More than ${queueDepth.threshold} processes are waiting or running (QueueDepth: PENDING + PROCESSING, published ${every(DESIGN.queueMonitorEveryMinutes * 60)} by the queue monitor).`),
  failedCount: {
    section: 'failed-count', title: 'Failed processes', titleJa: '失敗数', severity: 'warning', category: 'guide',
    meaning: `More than ${METRICS.failed.threshold.value} processes ended FAILED in ${duration(METRICS.failed.threshold.periodSeconds)} (metric table threshold of AsyncProcessingFailed). It complements the error rate when traffic is high.`,
    responseSteps: [...errorRate.responseSteps],
    responseStepsJa: [...errorRate.responseStepsJa],
    query: 'errors', source: metricThreshold(METRICS.failed),
  },
  timeoutCount: {
    section: 'timeout-count', title: 'Timed-out processes', titleJa: 'タイムアウト数', severity: 'warning', category: 'guide',
    meaning: `More than ${METRICS.timeout.threshold.value} processes ended TIMEOUT in ${duration(METRICS.timeout.threshold.periodSeconds)} (metric table threshold of AsyncProcessingTimeout).`,
    responseSteps: [...timeoutRate.responseSteps],
    responseStepsJa: [...timeoutRate.responseStepsJa],
    query: 'errors', source: metricThreshold(METRICS.timeout),
  },
} as const satisfies Record<string, AlarmKind>;

export const SLO_KINDS = {
  apiLatency: {
    section: 'api-latency', title: 'API p95 latency above its SLO', titleJa: 'API応答時間', severity: 'warning', category: 'slo',
    meaning: `The 95th percentile latency of a route (API Gateway, request to response) has been above its SLO (start < ${millis(SLO.startApiP95Ms)}, status < ${millis(SLO.statusApiP95Ms)}) ${during(ALARM_POLICY.slo.apiLatency)}.`,
    responseSteps: [
      'Open the API widgets of AsyncProcessing-Dashboard: is it one route or all, latency or integration latency?',
      'Check the handler’s Lambda duration and cold starts (Init Duration in its log group); consider provisioned concurrency.',
      'Check Aurora CPU, connections and ACU: the handlers wait on the database.',
    ],
    source: 'guide: パフォーマンス指標 — API応答時間 95%ile; window: ALARM_POLICY.slo.apiLatency',
  },
  errorRate: {
    section: 'slo-error-rate', title: 'Error rate above its SLO', titleJa: 'エラー率 (目標値)', severity: 'warning', category: 'slo',
    meaning: `Over ${lastPeriod(ALARM_POLICY.slo.outcomeRate.periodSeconds)} ${SLO.errorRatePercent} % or more of the finished processes ended in error: the SLO (< ${SLO.errorRatePercent} %) is missed even though the ${errorRate.threshold} % alert is quiet.`,
    responseSteps: ['Run the saved query AsyncProcessing/Errors and group the errors by code.', 'Plan a fix for the largest group during working hours.'],
    query: 'errors', source: `guide: パフォーマンス指標 — エラー率 < ${SLO.errorRatePercent}%; window: ALARM_POLICY.slo.outcomeRate`,
  },
  timeoutRate: {
    section: 'slo-timeout-rate', title: 'Timeout rate above its SLO', titleJa: 'タイムアウト率 (目標値)', severity: 'warning', category: 'slo',
    meaning: `Over ${lastPeriod(ALARM_POLICY.slo.outcomeRate.periodSeconds)} ${SLO.timeoutRatePercent} % or more of the finished processes timed out: the SLO (< ${SLO.timeoutRatePercent} %) is missed.`,
    responseSteps: [...GUIDE_ALERTS.timeoutRate.responseSteps],
    query: 'errors', source: `guide: パフォーマンス指標 — タイムアウト率 < ${SLO.timeoutRatePercent}%; window: ALARM_POLICY.slo.outcomeRate`,
  },
  completionTime: {
    section: 'slo-completion-time', title: 'Completion time of a type above its SLO', titleJa: '処理完了時間', severity: 'warning', category: 'slo',
    meaning: `Over ${lastPeriod(ALARM_POLICY.slo.completionByType.periodSeconds)} the average completion time of one process type was above the upper bound of its SLO (${PROCESS_TYPES.map((t) => `${short(t)} ${SLO.completionMinutes[t][1]} min`).join(', ')}).`,
    responseSteps: [...GUIDE_ALERTS.processingTime.responseSteps],
    query: 'durationByType', source: 'guide: パフォーマンス指標 — 処理完了時間; window: ALARM_POLICY.slo.completionByType',
  },
} as const satisfies Record<string, AlarmKind>;

export const PIPELINE_KINDS = {
  neverFinished: {
    section: 'never-finished', title: 'Accepted processes that never finish', severity: 'warning', category: 'pipeline',
    meaning: `${consecutiveWindows(ALARM_POLICY.pipeline.neverFinished.evaluation).replace(/^in/, 'In')}, more than ${ALARM_POLICY.pipeline.neverFinished.thresholdPercent} % of the processes started in the window had no outcome (completed, failed, timed out or cancelled). Processes are being lost between the API and the worker.`,
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
    meaning: `No QueueDepth sample for ${duration(ALARM_POLICY.pipeline.queueMonitorSilence.periodSeconds)}: the queue monitor is not running, so the queue-depth and oldest-process alarms are blind and the sweeper does not end stale processes.`,
    responseSteps: [
      'Check the queue-monitor function: errors, throttles and its log group.',
      'Check its EventBridge schedule is enabled.',
      'Check the database is reachable from the function (security groups, secret).',
    ],
    source: 'DESIGN.queueMonitorEveryMinutes; window: ALARM_POLICY.pipeline.queueMonitorSilence',
  },
} as const satisfies Record<string, AlarmKind>;
