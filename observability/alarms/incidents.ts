/**
 * Incident classes: what pages. One composite alarm per class carries the page (the critical
 * topic, hence PagerDuty); its children, the critical kinds of the class, notify Slack and e-mail
 * only. So one incident opens one PagerDuty incident, however many of its alarms fire: a timeout
 * storm fires error-rate, timeout-rate and the timeout budget, and pages once.
 *
 * Where one incident is the cause of another's symptoms, the symptom's composite is suppressed by
 * the cause's (CloudWatch's actions suppressor): a database outage fails the API and strands the
 * processes in flight, and pages once, as database-unreachable.
 */
import { ALARM_POLICY, GUIDE_ALERTS } from '../../guide';
import { STRANDED_SECONDS, type AlarmKind, type IncidentClassId } from './kinds';

export interface Suppression {
  /** The incidents that cause this one's symptoms; with several, a cause composite (any of them) suppresses it. */
  readonly by: readonly IncidentClassId[];
  /** How long the composite waits for the suppressor to fire before it pages (ActionsSuppressorWaitPeriod). */
  readonly waitSeconds: number;
  /** How long it stays quiet after the suppressor recovers (ActionsSuppressorExtensionPeriod). */
  readonly extensionSeconds: number;
  /**
   * The causes' aftermath alarms (AlarmKind.aftermathOf) join the suppressor: the symptoms go on
   * after the cause is over (processes it stranded end later), not only while it lasts.
   */
  readonly throughAftermath?: boolean;
  readonly why: string;
}

export interface IncidentClass {
  readonly id: IncidentClassId;
  /** The runbook section of the class (category `incident`, severity `critical`). */
  readonly kind: AlarmKind;
  readonly suppressedBy?: Suppression;
}

const incident = (
  id: IncidentClassId,
  k: Omit<AlarmKind, 'section' | 'category' | 'severity' | 'incident' | 'source'> & { source?: string },
): AlarmKind => ({
  section: `incident-${id}`,
  category: 'incident',
  severity: 'critical',
  incident: id,
  source: 'incident class: the composite of its critical alarms',
  ...k,
});

const canary = ALARM_POLICY.pipeline.queueMonitorErrors;
/** The queue monitor fails its 2-of-3 rule at most this long after the database goes away. */
const DATABASE_DETECTION_SECONDS = canary.periodSeconds * canary.periods;

export const INCIDENT_CLASSES: Readonly<Record<IncidentClassId, IncidentClass>> = {
  'database-unreachable': {
    id: 'database-unreachable',
    kind: incident('database-unreachable', {
      title: 'Database unreachable',
      titleJa: 'データベース障害',
      meaning:
        'The queue monitor, which reads processing_state every minute, fails or has gone silent: the functions cannot reach Aurora (or the monitor itself is broken). Every API call and every step needs the database, so this is an outage.',
      responseSteps: [
        'Open the child alarm in Slack (queue-monitor-failing or queue-monitor-silent) and the queue-monitor log group: connection refused or timeouts mean the database.',
        'Check the Aurora cluster: status, recent events (failover, maintenance, scaling to its maximum ACU), the aurora-* alarms.',
        'Check the network path: the database security group, the functions’ subnets, IAM database authentication (aip_app).',
        `Once it is back, the queue monitor ends the processes whose executions ended during the outage as they ended (FAILED, DATABASE_ERROR), within minutes; any it cannot are swept as TIMEOUT within ${STRANDED_SECONDS / 60} minutes (processes-swept). Users can retry them; database-recently-unreachable stays in ALARM meanwhile, so their failures do not page again.`,
      ],
    }),
  },
  'processing-failing': {
    id: 'processing-failing',
    kind: incident('processing-failing', {
      title: 'Processing failing',
      titleJa: '処理失敗',
      meaning:
        'Processes end FAILED or TIMEOUT above the guide’s 5-minute thresholds (error-rate, timeout-rate) or burn the SLO budgets (slo-error-budget, slo-timeout-budget): users do not get their results.',
      responseSteps: [
        'Open the child alarms in Slack: which one fired tells the window (5 minutes, 1 hour, 6 hours) and errors vs timeouts.',
        'Run the saved query AsyncProcessing/ErrorsByCode: AI_ERROR → Bedrock (bedrock-* alarms, quotas), DATABASE_ERROR → Aurora, TIMEOUT_ERROR → latency (Bedrock, Lambda duration).',
        'Follow the child alarm’s section for the guide’s response steps; confirm the rates return to normal.',
      ],
      query: 'errorsByCode',
    }),
    suppressedBy: {
      by: ['database-unreachable', 'processes-stuck'],
      waitSeconds: ALARM_POLICY.pipeline.queueMonitorErrors.periodSeconds,
      extensionSeconds: GUIDE_ALERTS.errorRate.periodSeconds,
      throughAftermath: true,
      why: 'the processes a database outage strands, or stuck processes once the sweeper can end them, end FAILED or TIMEOUT up to the workflow timeout + sweeper grace later: the same incident. CloudWatch’s extension period only holds actions of a composite already in ALARM when the suppressor leaves it, so the suppressor itself stays in ALARM over that window (the causes’ aftermath alarms, database-recently-unreachable and processes-recently-stuck); the extension then covers the 5-minute rates, whose window still holds those failures',
    },
  },
  'api-failing': {
    id: 'api-failing',
    kind: incident('api-failing', {
      title: 'API failing',
      titleJa: 'API障害',
      meaning: 'More than 5 % of API requests get a 5xx (api-server-errors): users cannot start or follow processes.',
      responseSteps: [
        'Open api-server-errors in Slack; run AsyncProcessing/Errors on the handler log groups: 503 SERVICE_UNAVAILABLE means Step Functions or the database, 500 a bug.',
        'Check the handlers’ Lambda errors and throttles; roll back the last deployment if the errors started with it.',
      ],
      query: 'errors',
    }),
    suppressedBy: {
      by: ['database-unreachable'],
      waitSeconds: DATABASE_DETECTION_SECONDS,
      extensionSeconds: ALARM_POLICY.api.serverErrors.periodSeconds,
      why: 'a database outage fails every API call; the API alarm waits as long as the database canary needs to fire, and its 5-minute window still holds the outage’s errors after the database returns',
    },
  },
  'processes-stuck': {
    id: 'processes-stuck',
    kind: incident('processes-stuck', {
      title: 'Processes stuck',
      titleJa: '処理停滞',
      meaning:
        'A process has been PENDING or PROCESSING past the workflow timeout plus the sweeper grace for five minutes (oldest-active-process): the workflow lost it and the sweeper cannot end it. Its user waits forever.',
      responseSteps: [
        'Run AsyncProcessing/Errors on the queue-monitor log group: does the sweep fail (lock waits, errors)?',
        'Find the oldest PENDING/PROCESSING rows and what holds them (pg_stat_activity, pg_locks); end the blocking session.',
        'Check their Step Functions executions; stop what is left and let the sweeper mark them TIMEOUT.',
      ],
      query: 'processTrace',
    }),
  },
};

/** The composite alarm of a class: `AsyncProcessing-<stack>-incident-<id>`. */
export const incidentAlarmId = (id: IncidentClassId): string => `incident-${id}`;

/**
 * A composite alarm has one actions suppressor; a class with several causes is suppressed by a
 * composite of them (`incident-<id>-cause`). It pages nobody: it tells Slack why the class is quiet.
 */
export const CAUSE_KIND: AlarmKind = {
  section: 'incident-cause',
  title: 'A root-cause incident explains the symptoms',
  category: 'incident',
  severity: 'warning',
  meaning:
    'One of the incidents that cause processing failures (the database unreachable, processes stuck) is in ALARM, or ended less than the workflow timeout plus the sweeper grace ago: processing failures that follow are part of it, and incident-processing-failing does not page for them.',
  responseSteps: [
    'Work the root-cause incident that pages (its section above); the processing failures it causes need no separate action.',
  ],
  source: 'incident classes: suppressors',
};

export const causeAlarmId = (id: IncidentClassId): string => `incident-${id}-cause`;

export const INCIDENT_KINDS: readonly AlarmKind[] = [...Object.values(INCIDENT_CLASSES).map((c) => c.kind), CAUSE_KIND];
