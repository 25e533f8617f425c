/**
 * The runbook, generated from the alarm catalog: one section per alarm kind (the anchor the alarm
 * descriptions link to) with its meaning, severity, thresholds per stack, response steps, the
 * query to run and the escalation. `npm run docs` writes it to docs/runbook.md.
 */
import { BACKUP, DASHBOARD_NAME, DR, ESCALATION, LOG_QUERIES, MAINTENANCE, NOTIFICATIONS, SECURITY_CONTACTS, type Severity } from '../guide';
import type { AlarmSpec } from './alarms/spec';
import { SECRET_KEYS } from './alert-routing';
import { ALARM_KINDS } from './alarms/catalog';
import type { AlarmKind } from './alarms/kinds';
import { PROCEDURE_SECTIONS, procedureSections, type StackContacts } from './runbook-procedures';

export const RUNBOOK_PATH = 'docs/runbook.md';

const ROUTING: Record<Severity, string> = {
  critical: `Pages the on-call through PagerDuty, posts to Slack ${NOTIFICATIONS.slackChannel}, e-mails ${NOTIFICATIONS.email}, and opens an Incident Manager incident that follows the escalation table.`,
  warning: `Posts to Slack ${NOTIFICATIONS.slackChannel} and e-mails ${NOTIFICATIONS.email}; handle it in working hours. No page, no escalation.`,
};

const steps = (list: readonly string[]): string[] => list.map((s, i) => `${i + 1}. ${s}`);

function escalationTable(): string[] {
  return [
    '| time | responder | 対応者 | contact |',
    '| --- | --- | --- | --- |',
    ...ESCALATION.map((t) => `| ${t.toMinutes === undefined ? `from ${t.fromMinutes}` : `${t.fromMinutes}–${t.toMinutes}`} min | ${t.responder} | ${t.responderJa} | ${t.channels.join(', ')} |`),
  ];
}

/** What `pulumi up` cannot do alone, once per stack (AWS asks a human for each). */
function setupSection(): string[] {
  return [
    '## Setting up alerting (once per stack)',
    '',
    `1. Set the secrets: ${SECRET_KEYS.map((k) => `\`pulumi config set --secret ${k} …\``).join(', ')} ` +
      '(`escalationAddresses` is JSON: an e-mail for `on-call`, E.164 phone numbers for `team-lead` and `manager`).',
    '2. Authorize the Slack workspace in the AWS Chatbot console before the first deploy, and invite `@aws` to the channel.',
    '3. Confirm the e-mail subscriptions (one message per topic) and activate the Incident Manager contact channels (AWS sends each an activation code).',
    '4. Incident Manager needs one replication set per account: set `alerting.createReplicationSet: false` in a stack whose account already has one.',
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
    '6. Point the stack at it: import the restored cluster into the stack in place of the lost one (`pulumi import`), or rename it to the stack\'s cluster identifier, then `pulumi up`; the functions reconnect on their next cold start.',
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

function kindSection(kind: AlarmKind, specsByStack: Record<string, readonly AlarmSpec[]>): string[] {
  const stacks = Object.keys(specsByStack);
  const ids = [...new Set(Object.values(specsByStack).flatMap((specs) => specs.filter((p) => p.kind === kind).map((p) => p.id)))];
  const condition = (stack: string, id: string) => specsByStack[stack]!.find((p) => p.id === id)?.condition ?? '—';
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
    query ? `**Query to run**: saved query \`${query.name}\` (see [Saved queries](#saved-queries)).` : '**Query to run**: none; start from the dashboard.',
    '',
    `**Escalation**: ${ROUTING[kind.severity]}`,
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
  ['disaster-recovery', `Disaster recovery (RTO ${BACKUP.rtoHours} h, RPO ${BACKUP.rpoHours} h) and the monthly DR test`],
  ['routing-and-escalation', 'Routing and escalation'],
  ['saved-queries', 'Saved queries'],
  ['alarm-sections', 'Alarm sections'],
];

/**
 * The runbook. `contactsByStack`: each stack's security-incident contacts from its config
 * (infra/config/security.ts); @default the guide's placeholders for every stack.
 */
export function renderRunbook(specsByStack: Record<string, readonly AlarmSpec[]>, contactsByStack?: Record<string, StackContacts>): string {
  const used = ALARM_KINDS.filter((k) => Object.values(specsByStack).some((specs) => specs.some((p) => p.kind === k)));
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
    '| section | severity | what |',
    '| --- | --- | --- |',
    ...used.map((k) => `| [${k.section}](#${k.section}) | ${k.severity} | ${k.title} |`),
    '',
    '## Routing and escalation',
    '',
    `- **critical**: ${ROUTING.critical}`,
    `- **warning**: ${ROUTING.warning}`,
    '- Every alarm also notifies its topic when it returns to OK, so PagerDuty resolves the incident and Slack shows the recovery.',
    '',
    ...escalationTable(),
    '',
    ...setupSection(),
    ...disasterRecoverySection(procedures.drTest),
    '## Saved queries',
    '',
    'CloudWatch → Logs Insights → Saved queries. On the dashboard, the trace widget takes the processId from the `processId` variable.',
    '',
    ...queriesSection(),
    '## Alarm sections',
    '',
    ...used.flatMap((k) => kindSection(k, specsByStack)),
  ].join('\n');
}
