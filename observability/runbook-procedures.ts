/**
 * The runbook's procedures beside the alarm sections: the operator's daily/weekly/monthly
 * checklists (linked to the reports), the security-incident procedure with each stack's contacts,
 * the outage and deploy checklists, the rollback procedure, and how the monthly DR test is
 * validated. The guide's words, times and numbers come from `guide/`; what is ours is how to do
 * each step with this program (its stack outputs, commands and metrics).
 */
import {
  API,
  AUTH,
  BACKUP,
  CHECKLISTS,
  CHECKS,
  DASHBOARD_NAME,
  DB_CAPACITY,
  DESIGN,
  DR,
  FUNCTIONS,
  INFRA,
  LOG_QUERIES,
  METRICS,
  OPERATOR_CHECKS,
  RETENTION,
  SECURITY_AUDIT,
  SECURITY_CONTACTS,
  SECURITY_INCIDENT_PHASES,
  SLO,
  BUDGET,
  type CheckItem,
  type IncidentPhase,
} from '../guide';

/** A stack's security-incident contacts, as its config sets them (infra/config/security.ts). */
export interface StackContacts {
  readonly email: string;
  /** E.164 (+81…), or the guide's placeholder until the stack sets one. */
  readonly phone: string;
  readonly slackChannel: string;
}

/** The report commands the checklists link to (local runtime; the scheduled reports on AWS write the same). */
export const REPORT_COMMANDS = {
  daily: 'npm run ops -- report daily',
  weekly: 'npm run ops -- report weekly',
  monthly: 'npm run ops -- report monthly',
} as const;

/** The section anchors, for links and tests. */
export const PROCEDURE_SECTIONS = {
  checks: 'operator-checks',
  securityIncident: 'security-incident',
  outage: 'outage-checklist',
  deploy: 'deploy-checklist',
  rollback: 'rollback',
  drTest: 'validating-the-monthly-dr-test',
} as const;

const pad = (n: number): string => String(n).padStart(2, '0');
export const hhmm = (t: { hour: number; minute: number }): string => `${pad(t.hour)}:${pad(t.minute)}`;

/** 0–15 min, 15–60 min, 1–4 h, from 4 h: the guide's phase bounds as it writes them. */
export function phaseSpan(p: Pick<IncidentPhase, 'fromMinutes' | 'toMinutes'>): string {
  const h = (m: number) => `${m / 60}`;
  if (p.toMinutes === undefined) return `from ${h(p.fromMinutes)} h`;
  if (p.toMinutes <= 60) return `${p.fromMinutes}–${p.toMinutes} min`;
  return `${h(p.fromMinutes)}–${h(p.toMinutes)} h`;
}

/** One checklist line: the guide's item, its English, and how to do it here. */
const checkLine = (c: CheckItem, how: string): string => `- [ ] **${c.ja}** (${c.en}): ${how}`;

function lines(items: readonly CheckItem[], how: readonly string[]): string[] {
  if (items.length !== how.length) throw new Error(`The runbook says how to do ${how.length} of ${items.length} items (${items[0]?.ja} …)`);
  return items.map((c, i) => checkLine(c, how[i]!));
}

const report = (period: keyof typeof REPORT_COMMANDS, what: string) => `the ${period} report's ${what} (\`${REPORT_COMMANDS[period]}\`)`;

function checksSection(): string[] {
  const { processingRecordsDays } = RETENTION;
  return [
    `## Operator checks`,
    '',
    `The guide's daily, weekly and monthly checks (日常運用) and security audits (セキュリティ監査), JST. Each has a report that gathers its figures: ` +
      `\`${REPORT_COMMANDS.daily}\`, \`${REPORT_COMMANDS.weekly}\`, \`${REPORT_COMMANDS.monthly}\` (\`--format md|json\`) against the local runtime or a stack; ` +
      `on AWS the scheduled reports write the same Markdown and JSON and post a summary to Slack. The dashboard is \`${DASHBOARD_NAME}\` (locally http://127.0.0.1:3000/dashboard).`,
    '',
    `### Daily, ${hhmm(CHECKS.dailyMorning)} (朝)`,
    '',
    ...lines(OPERATOR_CHECKS.dailyMorning, [
      `the dashboard, range 1 day; ${report('daily', 'processing by type and status')}.`,
      `saved query \`${LOG_QUERIES.errors.name}\`; ${report('daily', 'error and timeout rates')}. An alarm in ALARM has its own section below.`,
      `widget QueueDepth (alarm at ${METRICS.queueDepth.threshold.value}) and the oldest active process's age; ${report('daily', 'queue depth and oldest age')}.`,
      `the Step Functions widgets; ${report('daily', 'executions by status')}.`,
    ]),
    '',
    `### Daily, ${hhmm(CHECKS.dailyEvening)} (夕方)`,
    '',
    ...lines(OPERATOR_CHECKS.dailyEvening, [
      `${report('daily', 'processing by type and status')}, run at ${hhmm(CHECKS.dailyEvening)}.`,
      `against the SLO (error rate < ${SLO.errorRatePercent} %, timeout rate < ${SLO.timeoutRatePercent} %): ${report('daily', 'error and timeout rates')}.`,
      `today's AsyncProcessingStarted by type on the dashboard against the worker's reserved concurrency (the guide's plan: ${FUNCTIONS.aiGenerationWorker.reservedConcurrency.current} now, up to ${FUNCTIONS.aiGenerationWorker.reservedConcurrency.max}): a busier day ahead is a concurrency change today.`,
    ]),
    '',
    `Security audit, daily (日次):`,
    '',
    ...lines(SECURITY_AUDIT.daily, [
      `${report('daily', 'auth failures')}; the dashboard's security row (401/403/429 from the API access log).`,
      `${report('daily', 'WAF blocks')}; the dashboard's WAF widget (blocked requests).`,
      `${report('daily', 'rate-limit hits')} (limit ${AUTH.rateLimit.requests} requests per ${AUTH.rateLimit.windowSeconds} s per user).`,
    ]),
    '',
    `### Weekly, ${CHECKS.weekly === 'MON' ? 'Monday' : CHECKS.weekly} (月曜日)`,
    '',
    ...lines(OPERATOR_CHECKS.weekly, [
      `${report('weekly', "last week's statistics")}.`,
      `${report('weekly', 'error trend by error code')}.`,
      `${report('weekly', 'performance against each SLO')} (start API p95 < ${SLO.startApiP95Ms} ms, status API p95 < ${SLO.statusApiP95Ms} ms, completion time per type).`,
      `${report('weekly', 'capacity')}: reserved concurrency in use, database size against the plan (${DB_CAPACITY.currentGb} GB + ${DB_CAPACITY.monthlyGrowthGb} GB/month, reviewed every ${DB_CAPACITY.reviewEveryMonths} months).`,
    ]),
    '',
    `Security audit, weekly (週次):`,
    '',
    ...lines(SECURITY_AUDIT.weekly, [
      `the monthly report's machine-checked audit compares IAM with what the program declares; weekly, \`pulumi preview --diff\` shows any drift of the roles, and \`npm run policy -- --stack <stack>\` checks them against the policy pack.`,
      `as above for the security groups (\`pulumi preview --diff\`); nothing but the program may change them.`,
      `search the logs for secrets (saved query \`${LOG_QUERIES.errors.name}\`, and \`filter @message like /password|secret|BEGIN PRIVATE KEY/\`); the functions never log inputs or tokens.`,
    ]),
    '',
    `### Monthly, ${CHECKS.monthly} (月初)`,
    '',
    ...lines(OPERATOR_CHECKS.monthly, [
      `${report('monthly', "month's statistics")}: keep its Markdown with the month's records.`,
      `${report('monthly', 'cost by service')} against the $${BUDGET.monthlyUsd} budget and the guide's split (Lambda ${BUDGET.sharePercent.lambda} %, Bedrock ${BUDGET.sharePercent.bedrock} %, Aurora ${BUDGET.sharePercent.aurora} %, other ${BUDGET.sharePercent.other} %).`,
      `${report('monthly', 'SLO summary')}: every SLO missed gets an item in the plan.`,
      `${report('monthly', 'security audit')} (the items below), and the DR test's result ([Validating the monthly DR test](#${PROCEDURE_SECTIONS.drTest})).`,
    ]),
    '',
    `Security audit, monthly (月次):`,
    '',
    ...lines(SECURITY_AUDIT.monthly, [
      `\`npm audit --omit=dev\` on the deployed commit, and Amazon Inspector's Lambda findings if the account has it on.`,
      `${report('monthly', 'pending patches')}: the database's pending maintenance after the first-Sunday patch run.`,
      `the access logs of the month (API access log group, archived ${INFRA.logArchive.expireAfterDays} days in the log archive: stack output \`logArchiveBucketName\`), with ${report('monthly', 'unused-access findings')}.`,
    ]),
    '',
    `Records are kept ${processingRecordsDays} days, so every check reads at most that far back.`,
    '',
  ];
}

/** What to do in each phase with this program; the guide's tasks come first. */
const PHASE_ACTIONS: readonly (readonly string[])[] = [
  [
    '`aws ssm-incidents start-incident --response-plan-arn $(pulumi stack output responsePlanArn) --title "<what>"` (it pages as a critical alarm does).',
    'the stack’s security contacts (below) by e-mail, phone and Slack, with what was seen and when.',
    'which users (`processing_state.user_id`), which functions, since when: the API access log, the dashboard’s security row (refused requests, WAF blocks), CloudTrail (`aws cloudtrail lookup-events --start-time <t>`).',
  ],
  [
    "if needed, the whole API: `aws apigatewayv2 update-stage --api-id <apiId> --stage-name '$default' --default-route-settings ThrottlingRateLimit=0,ThrottlingBurstLimit=0` stops every request at the edge; set it back with `pulumi up`.",
    `disable the user in Cognito (\`aws cognito-idp admin-disable-user\` and \`admin-user-global-sign-out\`). An access token stays valid until it expires (at most ${AUTH.tokenValidityHours} h): the stage throttle above, or a WAF rule blocking the source, is what stops it now. Rotate the database secret (\`aws secretsmanager rotate-secret --secret-id <master secret ARN>\`) if a function's role may be abused.`,
    `before their retention ends (CloudWatch Logs ${RETENTION.logsDays} days, the archive ${INFRA.logArchive.expireAfterDays} days): copy the archive bucket (\`aws s3 sync s3://$(pulumi stack output logArchiveBucketName) <evidence bucket>\`) and export the function and API log groups (\`aws logs create-export-task\`). Hold every \`pulumi up\` except the one that restores the stage: a deploy would undo the isolation.`,
  ],
  [
    `saved queries \`${LOG_QUERIES.errors.name}\` and \`${LOG_QUERIES.processTrace.name}\`, the API access log by source IP and user, CloudTrail for IAM and data-plane calls.`,
    'the way in (token, key, dependency, configuration) and when it started; compare the deployed program with the repository (`pulumi preview --diff`).',
    'the processes and users touched (SQL on `processing_state`), data read or changed, whether a recovery point before the incident is needed (RPO: the newest backup).',
  ],
  [
    `deploy the fixed commit (\`pulumi up\`, which also lifts the stage throttle); if data was changed, restore from the last clean recovery point ([Disaster recovery](#disaster-recovery), RTO ${BACKUP.rtoHours} h).`,
    "rotate what was exposed (secrets, signing keys, users' passwords), narrow the permission or rule that let it in, in the program (a policy-pack rule where it can be checked).",
    'the post-incident report ([Outage checklist](#outage-checklist), last item) with the timeline Incident Manager kept, and the changes made.',
  ],
];

function contactsTable(contactsByStack: Record<string, StackContacts>): string[] {
  const mark = (k: keyof StackContacts, v: string) => (v === SECURITY_CONTACTS[k] ? `${v} (placeholder)` : v);
  return [
    '| stack | security team (e-mail) | emergency (phone) | Slack |',
    '| --- | --- | --- | --- |',
    ...Object.entries(contactsByStack).map(
      ([stack, c]) => `| ${stack} | ${mark('email', c.email)} | ${mark('phone', c.phone)} | ${mark('slackChannel', c.slackChannel)} |`,
    ),
  ];
}

function securityIncidentSection(contactsByStack: Record<string, StackContacts>): string[] {
  if (PHASE_ACTIONS.length !== SECURITY_INCIDENT_PHASES.length)
    throw new Error('Every phase of the security-incident procedure needs its actions');
  return [
    '## Security incident',
    '',
    "セキュリティインシデント発生時: four phases, timed from detection. Each lists the guide's tasks, then how to do them with this program.",
    '',
    ...SECURITY_INCIDENT_PHASES.flatMap((p, i) => [
      `### ${i + 1}. ${p.title} (${p.titleJa}), ${phaseSpan(p)}`,
      '',
      ...p.tasks.map((t, j) => `- [ ] **${t.ja}** (${t.en}): ${PHASE_ACTIONS[i]![j]}`),
      '',
    ]),
    '### Contacts (連絡先)',
    '',
    ...contactsTable(contactsByStack),
    '',
    'Each stack sets its own in stack config, e.g. `pulumi config set --path security.email security@corp.example`, ' +
      "`pulumi config set --path security.phone +81300000000` (E.164), `pulumi config set --path security.slackChannel '#security-incidents'`; " +
      "or, to keep addresses out of the repository, under `pulumiConfig` in the stack's ESC environment as the alerting secrets are. " +
      "This table shows what `Pulumi.<stack>.yaml` sets (`npm run docs`); the deployed stack's output `securityContacts` shows what it uses.",
    '',
  ];
}

function outageSection(): string[] {
  return [
    '## Outage checklist',
    '',
    '障害発生時. Open the section of each alarm in ALARM first; this is the frame around it.',
    '',
    ...lines(CHECKLISTS.outage, [
      `\`aws cloudwatch describe-alarms --state-value ALARM --alarm-name-prefix AsyncProcessing-<stack>-\`, the dashboard, and which types and users (guide query "処理状態の統計", \`npm run ops -- stats\` locally). Locally, \`/health\` names the dependency that is down.`,
      `tell the users through the team's channel what is affected and until when. Clients already see it: while Step Functions or the database is unreachable the API answers 503 SERVICE_UNAVAILABLE with Retry-After ${DESIGN.unavailableRetryAfterSeconds} s, and accepted processes are kept.`,
      `the alarm's section below, the saved queries, and one failed process's trace (\`${LOG_QUERIES.processTrace.name}\`; X-Ray, with OpenTelemetry spans when the stack sets \`tracing.adot\`; locally the dashboard's waterfall).`,
      `[roll back](#rollback) when it started with a deploy; raise reserved concurrency within the guide's limits (\`functions.reservedConcurrency\`); once fixed, retry the failed processes (\`POST /v1/processes/{id}/retry\`, at most ${API.retryCap} times each).`,
      'a change to the program (and a test that makes the failure happen), or an alarm that would have caught it earlier.',
      'the timeline (Incident Manager keeps one per incident), the impact in processes and users, the cause, the stopgap, the fix; kept with the monthly report.',
    ]),
    '',
  ];
}

function deploySection(): string[] {
  return [
    '## Deploy checklist',
    '',
    '新規デプロイ時. Before: `npm test`, `npm run policy -- --stack <stack> --preview`, `pulumi preview --diff`; note the commit now deployed (`pulumi stack history`), the one a rollback returns to.',
    '',
    ...lines(CHECKLISTS.deploy, [
      '`pulumi up` ends without error; `aws lambda get-function --function-name <name>` shows the new code hash for each changed function.',
      'start one process through the API and follow it to COMPLETED (`GET /v1/processes/{id}`); `aws stepfunctions list-executions --state-machine-arn $(pulumi stack output stateMachineArn) --status-filter FAILED` stays empty.',
      '`pulumi up` runs them through `db-migrate` (its invocation is in the update); a changed applied migration stops the deploy and names the file.',
      'the alarms of `dashboards/generated/<stack>.json` exist and are OK or INSUFFICIENT_DATA (`aws cloudwatch describe-alarms --alarm-name-prefix AsyncProcessing-<stack>-`).',
      '`npm run test:integration` on the commit (CI runs it), and the smoke process above against the stack.',
      `read [Rollback](#rollback) and have the previous commit at hand.`,
    ]),
    '',
  ];
}

function rollbackSection(): string[] {
  return [
    '## Rollback',
    '',
    'Everything deployed is the program at one commit, so a rollback is the previous good commit deployed again.',
    '',
    '1. Find the last good deploy: `pulumi stack history` (each update records its git commit), or the release tag.',
    '2. `git checkout <commit>`, `npm ci`, `npm run typecheck`, then `pulumi preview --diff`. Expect function code and configuration, the state machine, alarms and dashboard; stop if it would replace or delete the database, the backup vault or the log archive (in prod they are protected and the preview fails).',
    '3. `pulumi up`. Running executions keep the definition they started with, new ones take the rolled-back one.',
    '4. Migrations only go forward: `db-migrate` never undoes one, and the older code runs on the newer schema. So every migration is additive (add, backfill, and drop only in a later release). A migration that damaged data is fixed by a new migration, or by a restore ([Disaster recovery](#disaster-recovery)).',
    "5. With provisioned concurrency (the `live` alias) a function can be turned back in seconds first: `aws lambda update-alias --function-name <name> --name live --function-version <previous>`; the stack differs from Pulumi's state until step 3.",
    '6. Check: a process completes through the API, the alarms return to OK, and the daily report shows no new failures; then open an issue for the fix forward.',
    '',
  ];
}

function drTestValidationSection(): string[] {
  const rtoSeconds = BACKUP.rtoHours * 3600;
  const rpoSeconds = BACKUP.rpoHours * 3600;
  return [
    '### Validating the monthly DR test',
    '',
    `The test passes when all of these hold for the first Sunday's run (the alarms judge the metrics; an operator checks them on the monthly report):`,
    '',
    `1. \`${DR.metrics.validationFailed.name}\` is 0: DrValidation found every migration, every table and index of the source, and every process created before the recovery point (less ${DR.commitMarginSeconds} s) in the restore.`,
    `2. \`${DR.metrics.restoreTime.name}\` ≤ ${rtoSeconds} s (RTO ${BACKUP.rtoHours} h) and \`${DR.metrics.recoveryPointAge.name}\` ≤ ${rpoSeconds} s (RPO ${BACKUP.rpoHours} h).`,
    '3. AWS Backup shows the verdict on the restore job: `aws backup list-restore-jobs --by-restore-testing-plan-arn $(pulumi stack output restoreTestingPlanArn)` lists it with `ValidationStatus` SUCCESSFUL.',
    "4. The test's execution ended SUCCEEDED: `aws stepfunctions list-executions --state-machine-arn $(pulumi stack output drTestStateMachineArn) --max-results 1`.",
    `5. Nothing is left: no cluster \`${DR.restoredClusterPrefix}*\` and no instance \`${DR.instanceIdPrefix}*\` (\`aws rds describe-db-clusters\`).`,
    '',
    'A failure raises its alarm (sections below); the next recovery point is tested the following month, or at once with `aws backup start-restore-job` and the procedure above.',
    '',
  ];
}

/** The procedures, in the runbook's order after the alarm routing. */
export function procedureSections(contactsByStack: Record<string, StackContacts>): {
  checks: string[];
  incident: string[];
  drTest: string[];
} {
  return {
    checks: checksSection(),
    incident: [...securityIncidentSection(contactsByStack), ...outageSection(), ...deploySection(), ...rollbackSection()],
    drTest: drTestValidationSection(),
  };
}
