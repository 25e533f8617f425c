/**
 * The runbook, generated from the alarm catalog: the paging path, one section per incident class
 * and per alarm kind (the anchor the alarm descriptions link to) with its meaning, severity,
 * thresholds per stack, response steps, the query to run, who is told and whether a local failure
 * scenario proves it, and the disaster recovery procedure. `npm run docs` writes it to docs/runbook.md.
 */
import { BACKUP, DASHBOARD_NAME, DR, ESCALATION, LOG_QUERIES, MAINTENANCE, NOTIFICATIONS, SECURITY_CONTACTS } from '../guide';
import type { AlarmSpec } from './alarms/spec';
import type { CompositeSpec } from './alarms/composites';
import { PAGERDUTY_TOKEN_KEY, SECRET_KEYS } from './alert-routing';
import { ALARM_KINDS } from './alarms/catalog';
import { INCIDENT_CLASSES } from './alarms/incidents';
import type { AlarmKind } from './alarms/kinds';
import { escalationRules } from './escalation-stages';
import { PROCEDURE_SECTIONS, procedureSections, type StackContacts } from './runbook-procedures';

export const RUNBOOK_PATH = 'docs/runbook.md';
export const SCENARIO_RESULTS_PATH = 'observability/results/latest.md';

const steps = (list: readonly string[]): string[] => list.map((s, i) => `${i + 1}. ${s}`);

function escalationTable(): string[] {
  const rules = escalationRules();
  return [
    '| time | responder | 対応者 | contact (guide) | PagerDuty escalation rule |',
    '| --- | --- | --- | --- | --- |',
    ...ESCALATION.map(
      (t, i) =>
        `| ${t.toMinutes === undefined ? `from ${t.fromMinutes}` : `${t.fromMinutes}–${t.toMinutes}`} min | ${t.responder} | ${t.responderJa} | ${t.channels.join(', ')} | level ${i + 1}, ${i === ESCALATION.length - 1 ? 'last (no loop)' : `escalates after ${rules[i]!.escalationDelayInMinutes} min unacknowledged`} |`,
    ),
  ];
}

function pagingSection(): string[] {
  const suppressions = Object.values(INCIDENT_CLASSES).flatMap((c) =>
    c.suppressedBy
      ? [
          `- \`incident-${c.id}\` is suppressed while ${c.suppressedBy.by.map((b) => `\`incident-${b}\``).join(' or ')} is in ALARM (waits ${c.suppressedBy.waitSeconds} s for it, stays quiet ${c.suppressedBy.extensionSeconds} s after it): ${c.suppressedBy.why}.`,
        ]
      : [],
  );
  return [
    '## Paging path',
    '',
    'One incident pages once, through one engine:',
    '',
    '1. A metric alarm fires. Every metric alarm notifies the **warning** topic: Slack ' +
      `${NOTIFICATIONS.slackChannel} (AWS Chatbot) and e-mail. None pages by itself.`,
    '2. Each **incident class** is one composite alarm over its critical alarms (below). When it goes to ALARM it notifies the **critical** topic: ' +
      "PagerDuty (its Amazon CloudWatch integration, the topic's HTTPS subscription), Slack and e-mail.",
    '3. PagerDuty opens one incident per composite alarm; further notifications of the same alarm join it while it is open. ' +
      "The escalation policy (PagerDuty as code, `infra/components/observability/paging.ts`) follows the guide's table; acknowledging stops it.",
    '4. When the composite returns to OK it notifies the critical topic again, and PagerDuty resolves the incident.',
    '',
    ...escalationTable(),
    '',
    'The team lead and the manager are reached by phone through their PagerDuty notification rules (high urgency → phone call): each sets that once in their PagerDuty profile.',
    '',
    "Where one incident causes another's symptoms, the symptom's composite waits for the cause's (CloudWatch actions suppressor):",
    '',
    ...suppressions,
    '',
    'SNS delivery failures of an alert topic notify the other topic of its region (alert-delivery-failed): a broken warning topic pages.',
    'Incident Manager is optional (`alerting.incidentManager.enabled`, off): it would only record incidents; it never escalates.',
    '',
  ];
}

/** What `pulumi up` cannot do alone, once per stack. */
function setupSection(): string[] {
  return [
    '## Setting up alerting (once per stack)',
    '',
    `1. PagerDuty: an API token with write access, \`pulumi config set --secret ${PAGERDUTY_TOKEN_KEY} <token>\`; the escalation levels, ` +
      ESCALATION.map((t) => `\`pulumi config set --path pagerDuty.escalation.${t.responder} <user|schedule>:<id>\``).join(', ') +
      ' (EU accounts: `pulumi config set --path pagerDuty.serviceRegion eu`).',
    `2. Slack: ${SECRET_KEYS.map((k) => `\`pulumi config set --secret ${k} …\``).join(', ')}; authorize the workspace in the AWS Chatbot console before the first deploy, and invite \`@aws\` to the channel.`,
    '3. Prod refuses placeholders: `pulumi config set --path alerting.email <team list>` and `pulumi config set --path alerting.runbookUrl https://<where this file is served>` (alarm links are `<runbookUrl>#<section>`).',
    '4. Confirm the e-mail subscriptions (one message per topic, three topics).',
    '',
  ];
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The DR procedure (災害復旧手順) and the monthly test that proves it, with the guide's RTO and RPO. */
function disasterRecoverySection(validation: readonly string[]): string[] {
  const backupAt = `${pad(BACKUP.startJst.hour)}:${pad(BACKUP.startJst.minute)}`;
  const testAt = `${pad(DR.startJst.hour)}:${pad(DR.startJst.minute)}`;
  const window = `${pad(MAINTENANCE.monthly.startJst.hour)}:00–${pad(MAINTENANCE.monthly.endJst.hour)}:00`;
  return [
    '## Disaster recovery',
    '',
    `**RTO ${BACKUP.rtoHours} h, RPO ${BACKUP.rpoHours} h** (guide: 災害復旧). AWS Backup takes the Aurora cluster daily at ${backupAt} JST and keeps ${BACKUP.retentionDays} days of recovery points in the stack's vault (stack output \`backupVaultName\`).`,
    '',
    '### Restore the database (the procedure)',
    '',
    '1. Declare the incident (critical escalation). Note the time: the RTO runs from here.',
    '2. Pick the recovery point: `aws backup list-recovery-points-by-backup-vault --backup-vault-name <vault>`; the newest is at most a day old (RPO).',
    '3. Restore it: `aws backup start-restore-job --recovery-point-arn <arn> --iam-role-arn <backup role> --metadata DBClusterIdentifier=<new id>,DBSubnetGroupName=<stack subnet group>,VpcSecurityGroupIds=\'["<database sg>"]\'` (`aws backup get-restore-testing-inferred-metadata` shows the keys). AWS Backup restores the cluster only.',
    '4. Add an instance: `aws rds modify-db-cluster --db-cluster-identifier <new id> --serverless-v2-scaling-configuration MinCapacity=<min>,MaxCapacity=<max> --apply-immediately`, then `aws rds create-db-instance --db-cluster-identifier <new id> --db-instance-identifier <new id>-1 --db-instance-class db.serverless --engine aurora-postgresql`; wait for `available`.',
    '5. Check it. If the stack\'s database still answers (a restore after corruption or a bad deploy), invoke `dr-validation` with `{"action":"validate","restoreJobId":"<job>","restored":{"host":"<endpoint>","port":5432}}`: it compares the restore with it, as the monthly test does, and answers SUCCESSFUL or names what is missing. If it is gone, check that `SELECT version FROM schema_migrations` lists every file of `functions/migrations/` and that the newest `processing_state.created_at` is within the RPO.',
    "6. Point the stack at it: import the restored cluster into the stack in place of the lost one (`pulumi import`), or rename it to the stack's cluster identifier, then `pulumi up`; the functions reconnect on their next cold start.",
    '',
    '### The monthly DR test (災害復旧手順のテスト)',
    '',
    `On the first Sunday at ${testAt} JST (monthly window ${window}, after that night's backup), AWS Backup restore testing restores the newest recovery point. Its restore job starts the state machine \`AsyncProcessingDrTest\`, which scales the restored cluster, adds an instance \`${DR.instanceIdPrefix}…\`, and invokes DrValidation: every migration and (unless the source migrated since) every table and index of the source must be in the restore, and every process created before the recovery point (less ${DR.commitMarginSeconds} s). DrValidation publishes \`${DR.metrics.restoreTime.name}\` (restore start → validated), \`${DR.metrics.recoveryPointAge.name}\` (recovery point → restore start) and \`${DR.metrics.validationFailed.name}\`; the alarms [dr-restore-time](#dr-restore-time), [dr-recovery-point-age](#dr-recovery-point-age) and [dr-validation-failed](#dr-validation-failed) judge them against the RTO and RPO. The verdict goes to AWS Backup (its console shows it on the restore job); the test removes its instance, AWS Backup deletes the restored cluster, and the state machine deletes it itself if it is still there after the validation window.`,
    '',
    ...validation,
  ];
}

function queriesSection(): string[] {
  return Object.values(LOG_QUERIES).flatMap((q) => [`### ${q.name}`, '', q.title, '', '```text', q.query, '```', '']);
}

const ROUTING = {
  incident: `Pages: PagerDuty (the critical topic), with Slack ${NOTIFICATIONS.slackChannel} and e-mail ${NOTIFICATIONS.email}; escalates per the table above until acknowledged; resolves on OK.`,
  critical: (incident: string) =>
    `Slack ${NOTIFICATIONS.slackChannel} and e-mail; pages through [incident-${incident}](#incident-${incident}).`,
  warning: `Slack ${NOTIFICATIONS.slackChannel} and e-mail ${NOTIFICATIONS.email}; handle it in working hours. No page.`,
} as const;

const pagesItself = (kind: AlarmKind): boolean => kind.category === 'incident' && kind.severity === 'critical';

function routingOf(kind: AlarmKind): string {
  if (pagesItself(kind)) return ROUTING.incident;
  return kind.incident ? ROUTING.critical(kind.incident) : ROUTING.warning;
}

type Row = { id: string; condition: string };

function kindSection(kind: AlarmKind, rowsByStack: Record<string, readonly Row[]>): string[] {
  const stacks = Object.keys(rowsByStack);
  const ids = [...new Set(Object.values(rowsByStack).flatMap((rows) => rows.map((p) => p.id)))];
  const condition = (stack: string, id: string) => rowsByStack[stack]!.find((p) => p.id === id)?.condition ?? '—';
  const query = kind.query ? LOG_QUERIES[kind.query] : undefined;
  return [
    `### ${kind.section}`,
    '',
    `**${kind.title}${kind.titleJa ? ` (${kind.titleJa})` : ''}** · severity **${kind.severity}** · threshold from ${kind.source}`,
    '',
    kind.meaning,
    '',
    `| alarm (AsyncProcessing-<stack>-…) | ${stacks.join(' | ')} |`,
    `| --- | ${stacks.map(() => '---').join(' | ')} |`,
    ...ids.map((id) => `| ${id} | ${stacks.map((s) => condition(s, id)).join(' | ')} |`),
    '',
    '**Response steps**',
    '',
    ...steps(kind.responseSteps),
    ...(kind.responseStepsJa ? ['', '**対応手順** (guide)', '', ...steps(kind.responseStepsJa)] : []),
    '',
    query
      ? `**Query to run**: saved query \`${query.name}\` (see [Saved queries](#saved-queries)).`
      : '**Query to run**: none; start from the dashboard.',
    '',
    `**Who is told**: ${routingOf(kind)}`,
    '',
    kind.awsOnly
      ? `**Proven by**: AWS only — ${kind.awsOnly}.`
      : kind.category === 'incident'
        ? `**Proven by**: the local failure scenarios (\`npm run scenarios\`, [results](../${SCENARIO_RESULTS_PATH})).`
        : `**Proven by**: a local failure scenario (\`npm run scenarios\`, [results](../${SCENARIO_RESULTS_PATH})).`,
    '',
  ];
}

function awsOnlySection(kinds: readonly AlarmKind[]): string[] {
  const only = kinds.filter((k) => k.awsOnly);
  return [
    '## Alarms proven on AWS only',
    '',
    'Their metrics have no faithful local source, so no local failure scenario can make them fire:',
    '',
    '| section | why |',
    '| --- | --- |',
    ...only.map((k) => `| [${k.section}](#${k.section}) | ${k.awsOnly} |`),
    '',
  ];
}

/** The runbook's sections besides the alarms', in order: anchor → title. */
const CONTENTS: readonly [string, string][] = [
  [PROCEDURE_SECTIONS.checks, 'Operator checks: daily, weekly, monthly, with the security audits'],
  [PROCEDURE_SECTIONS.securityIncident, 'Security incident (0–15 min, 15–60 min, 1–4 h, from 4 h), contacts'],
  [PROCEDURE_SECTIONS.outage, 'Outage checklist'],
  [PROCEDURE_SECTIONS.deploy, 'Deploy checklist'],
  [PROCEDURE_SECTIONS.rollback, 'Rollback'],
  ['paging-path', 'Paging path and escalation'],
  ['disaster-recovery', `Disaster recovery (RTO ${BACKUP.rtoHours} h, RPO ${BACKUP.rpoHours} h) and the monthly DR test`],
  ['saved-queries', 'Saved queries'],
  ['alarms-proven-on-aws-only', 'Alarms proven on AWS only'],
  ['alarm-sections', 'Alarm sections'],
];

/**
 * The runbook. `compositesByStack`: each stack's incident composites; `contactsByStack`: each
 * stack's security-incident contacts from its config (infra/config/security.ts), @default the
 * guide's placeholders for every stack.
 */
export function renderRunbook(
  specsByStack: Record<string, readonly AlarmSpec[]>,
  compositesByStack: Record<string, readonly CompositeSpec[]> = {},
  contactsByStack?: Record<string, StackContacts>,
): string {
  const rowsOf = (kind: AlarmKind): Record<string, Row[]> =>
    Object.fromEntries(
      Object.keys(specsByStack).map((stack) => [
        stack,
        [
          ...(compositesByStack[stack] ?? []).filter((c) => c.kind === kind).map((c) => ({ id: c.id, condition: c.condition })),
          ...specsByStack[stack]!.filter((p) => p.kind === kind).map((p) => ({ id: p.id, condition: p.condition })),
        ],
      ]),
    );
  const used = ALARM_KINDS.filter((k) => Object.values(rowsOf(k)).some((rows) => rows.length > 0));
  const pages = (k: AlarmKind) => (pagesItself(k) ? 'pages' : k.incident ? `→ incident-${k.incident}` : 'Slack, e-mail');
  const procedures = procedureSections(contactsByStack ?? Object.fromEntries(Object.keys(specsByStack).map((s) => [s, SECURITY_CONTACTS])));
  return [
    '# AsyncProcessing runbook',
    '',
    '<!-- Generated by `npm run docs` from guide/ and the alarm catalog (observability/). Do not edit: change them and regenerate. -->',
    '',
    `Every CloudWatch alarm of the pipeline links to its section here. Dashboard: \`${DASHBOARD_NAME}\` (its reviewed JSON and picture per stack are in \`dashboards/generated/\`).`,
    '',
    ...CONTENTS.map(([anchor, title]) => `- [${title}](#${anchor})`),
    '',
    ...procedures.checks,
    ...procedures.incident,
    '## Alarms',
    '',
    '| section | severity | who is told | what | proven by |',
    '| --- | --- | --- | --- | --- |',
    ...used.map(
      (k) => `| [${k.section}](#${k.section}) | ${k.severity} | ${pages(k)} | ${k.title} | ${k.awsOnly ? 'AWS only' : 'local scenario'} |`,
    ),
    '',
    ...pagingSection(),
    ...setupSection(),
    ...disasterRecoverySection(procedures.drTest),
    '## Saved queries',
    '',
    'CloudWatch → Logs Insights → Saved queries. On the dashboard, the trace widget takes the processId from the `processId` variable.',
    '',
    ...queriesSection(),
    ...awsOnlySection(used),
    '## Alarm sections',
    '',
    ...used.flatMap((k) => kindSection(k, rowsOf(k))),
  ].join('\n');
}
