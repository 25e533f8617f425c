/**
 * The README's generated regions: every sentence and table of README.md that states a number of
 * guide/, the local runtime's settings or the policy rules is written here and filled in between
 * `<!-- generated:<name> -->` and `<!-- /generated -->` by `npm run docs`. The rest of README.md is
 * prose by hand. A test fails when a region is stale, unknown or missing.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../infra/build/bundle';
import {
  API,
  AUTH,
  BACKUP,
  CHECKS,
  DESIGN,
  DR,
  ERROR_BUDGET,
  ESCALATION,
  FUNCTIONS,
  GUIDE_ALERTS,
  INFRA,
  MAINTENANCE,
  NOTIFICATIONS,
  OPS_SQL,
  PROCESS_TYPES,
  REPORTS,
  RATE_VOLUME,
  RETENTION,
  SLO,
  burnRate,
  type ProcessType,
} from '../guide';
import { escalationRules } from '../observability/escalation-stages';
import { TIME_SCALES } from './scenarios/settings';
import { loadConfig } from '../functions/src/runtime/config';
import { duration, every, perPeriod } from '../observability/alarms/wording';
import { STAGES } from '../infra/config';
import { loadLocalConfig } from '../local/config';
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../local/api-server';
import { USER_ID_MAX_LENGTH } from '../functions/src/domain/schemas';
import { POLICIES } from '../policies/rules';
import { loadPackConfig } from '../policies/lib/pack-config';
import { rulesTable } from '../policies/lib/rules-table';
import { MUTATIONS } from '../policies/mutations/catalog';
import { TARGET_PERCENT } from '../policies/mutations/report';

const hhmm = (t: { hour: number; minute: number }): string => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
const addMinutes = (t: { hour: number; minute: number }, minutes: number) => {
  const m = t.hour * 60 + t.minute + minutes;
  return { hour: Math.floor(m / 60) % 24, minute: m % 60 };
};
const short = (type: ProcessType): string => type.replace(/_GENERATION$/, '');
const range = (type: ProcessType): string => `${SLO.completionMinutes[type].join('–')} min`;
const DAY_NAMES: Record<string, string> = {
  SUN: 'Sunday',
  MON: 'Monday',
  TUE: 'Tuesday',
  WED: 'Wednesday',
  THU: 'Thursday',
  FRI: 'Friday',
  SAT: 'Saturday',
};

/** The environment variables of `npm start` with the defaults the code really uses (an empty environment). */
function settings(): string {
  const local = loadLocalConfig({});
  const fn = loadConfig({ DATABASE_URL: 'postgres://defaults' });
  const rows: [string, string, string][] = [
    ['PORT', `\`${local.port}\``, 'API port on 127.0.0.1 (`0`: any free port)'],
    ['AIP_DATA_DIR', `\`${relative(process.cwd(), local.dataDir)}\``, 'database, signing key; survives restarts'],
    ['DATABASE_URL', '–', 'use this PostgreSQL instead of starting one'],
    ['AIP_PG_PORT', `\`${local.pgPort}\``, 'port of the embedded PostgreSQL'],
    ['AIP_LOG_FORMAT', `\`${local.logFormat}\``, '`pretty` for human-readable logs (JSON lines are exactly what Lambda logs)'],
    ['AIP_STEP_TIMEOUT_SECONDS', `\`${local.stepTimeoutSeconds}\``, "per-step timeout (the worker's Lambda timeout)"],
    ['AIP_WORKFLOW_TIMEOUT_SECONDS', `\`${local.workflowTimeoutSeconds}\``, 'whole-workflow timeout'],
    ['AIP_RETRY_INTERVAL_MS', '–', "replace the workflow's retry backoff (tests)"],
    ['AIP_QUEUE_MONITOR_SECONDS', `\`${local.queueMonitorSeconds}\``, 'queue monitor / stale sweeper interval'],
    ['AIP_SWEEPER_GRACE_SECONDS', `\`${fn.sweeperGraceSeconds}\``, 'how long past the workflow timeout the sweeper ends an active process'],
    [
      'AIP_TIME_SCALE',
      `\`${local.timeScale}\``,
      'scenario seconds per real second (`npm run scenarios`): divides the timeouts and intervals above, the waits; work (CPU, answered SQL) keeps real speed',
    ],
    ['BEDROCK_MAX_ATTEMPTS', `\`${fn.modelMaxAttempts}\``, 'SDK attempts per model call (the workflow retries on top)'],
    ['AIP_RATE_LIMIT_REQUESTS', `\`${fn.rateLimit.requests}\``, `requests per user per ${perPeriod(fn.rateLimit.windowSeconds)}`],
    ['AIP_BEDROCK', `\`${local.realBedrock ? 'aws' : 'local'}\``, '`aws`: call real Amazon Bedrock with the normal AWS credential chain'],
    ['BEDROCK_MODEL_ID', `\`${local.bedrockModelId}\``, 'model for real Bedrock'],
    [
      'AIP_DASHBOARD_STACK',
      `\`${local.dashboardStack}\``,
      'the stack whose dashboard body and alarms `/dashboard` shows (`dev` or `prod`)',
    ],
  ];
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows.map(([k, d, m]) => `| \`${k}\` | ${d} | ${m} |`)].join('\n');
}

/** The guide's appendix commands, with the windows of its queries. */
function opsCommands(): string {
  const window = (sql: string): string => {
    const m = /INTERVAL '(\d+) (hour|day)s?'/.exec(sql);
    if (!m) throw new Error(`No INTERVAL in the guide's query:\n${sql}`);
    return m[2] === 'hour' ? `${m[1]} h` : `${m[1]} days`;
  };
  const hhmm = (t: { hour: number; minute: number }) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
  const { limit, sinceMinutes } = REPORTS.recentErrors;
  return [
    '```bash',
    'npm run --silent ops -- --help                           # every command; <command> --help for its flags',
    'npm run --silent ops -- executions --status RUNNING      # aws stepfunctions list-executions …',
    'npm run --silent ops -- executions --status FAILED --max 10',
    `npm run --silent ops -- stats                            # processes by status and type, ${window(OPS_SQL.statusStats24h)}`,
    `npm run --silent ops -- durations                        # completion time by type, ${window(OPS_SQL.durations7d)}`,
    `npm run --silent ops -- logs errors                      # the latest ${limit} ERROR lines of the last ${sinceMinutes} min`,
    'npm run --silent ops -- logs trace <processId>           # every log line of one process, in order',
    `npm run --silent ops -- report daily                     # ${hhmm(CHECKS.dailyMorning)} JST: yesterday; from ${hhmm(CHECKS.dailyEvening)}: today so far`,
    'npm run --silent ops -- report weekly --format json      # last Monday-to-Monday week',
    'npm run --silent ops -- report monthly --at 2026-12-01T09:00:00+09:00',
    '```',
  ].join('\n');
}

function contract(): string {
  return [
    'In short: `POST /v1/processes` (202, `Location`,',
    'optional `Idempotency-Key`), `GET /v1/processes/{id}` (200, `Retry-After` while running),',
    `\`POST /v1/processes/{id}/retry\` (202, FAILED/TIMEOUT only, at most ${API.retryCap} times),`,
    '`POST /v1/processes/{id}/cancel` (200). Errors are `{"error": {code, message, requestId}}`.',
    `Bodies over ${API.maxBodyBytes / 1024} KiB get 413; more than ${AUTH.rateLimit.requests} requests per ${perPeriod(AUTH.rateLimit.windowSeconds)} per user get 429 with \`Retry-After\`.`,
  ].join('\n');
}

function longRunning(): string {
  const slowest = PROCESS_TYPES.reduce((a, b) => (SLO.completionMinutes[b][1] > SLO.completionMinutes[a][1] ? b : a));
  const fastest = PROCESS_TYPES.reduce((a, b) => (SLO.completionMinutes[b][0] < SLO.completionMinutes[a][0] ? b : a));
  return [
    `* **Long generations:** the guide's completion times (${SLO.completionMinutes[fastest][0]}–${SLO.completionMinutes[slowest][1]} min) exceed one ${FUNCTIONS.aiGenerationWorker.timeoutSeconds} s worker`,
    `  invocation, so the result is generated in ${DESIGN.workflow.generationSteps} slices, one worker invocation (and one Step`,
    '  Functions task, with its own timeout) each; progress rises with every slice.',
    `* **Nothing stays PENDING/PROCESSING forever:** the workflow times out after ${duration(DESIGN.workflow.workflowTimeoutSeconds)}`,
    `  (twice the slowest type's upper average); a queue monitor running ${every(DESIGN.queueMonitorEveryMinutes * 60)} publishes`,
    '  `QueueDepth`, brings back to running what a crash left behind (see',
    '  [Durability and recovery](#durability-and-recovery)), and, as the last resort, ends any',
    `  attempt older than the workflow timeout (plus ${DESIGN.sweeperGraceSeconds} s) as \`TIMEOUT\`.`,
    `* **Rate limit:** fixed windows of ${duration(AUTH.rateLimit.windowSeconds)} counted in PostgreSQL (shared by every Lambda`,
    '  instance), in addition to the WAF rule.',
  ].join('\n');
}

function edge(): string {
  const kib = API.maxBodyBytes / 1024;
  return [
    "* **Bad input never gets 5xx** (locally, the edge in `local/api-server.ts`): in API Gateway's order,",
    '  an unknown route 404, no valid token 401 (always with `WWW-Authenticate: Bearer`), a path',
    `  parameter with a bad \`%\` escape 400, a body over ${kib} KiB 413 (Content-Length is checked first, and`,
    '  the rest of the body is read so the client gets the 413, not a reset). What HTTP itself cannot',
    `  parse, a slow client (headers not in ${duration(HEADERS_TIMEOUT_MS / 1000)}, the request not in ${duration(REQUEST_TIMEOUT_MS / 1000)}), text with NUL or unpaired`,
    `  surrogates, and a token \`sub\` that is not a non-empty string of at most ${USER_ID_MAX_LENGTH} characters get`,
    '  400/401 in the same `{"error": …}` envelope. Anything unexpected is logged and answered 500',
    '  INTERNAL_ERROR; the server stays up. `/health` answers 503 with `Retry-After` while degraded.',
    `* **A slow model call may use its whole step:** the SDK's attempts share the step's ${DESIGN.workflow.stepTimeoutSeconds} s, less`,
    `  ${Math.round(DESIGN.workflow.outcomeMarginShareOfStep * 100)} % kept for recording the outcome (\`DESIGN.workflow.outcomeMarginShareOfStep\`), so every slice`,
    "  the step's timeout allows finishes; a call still unanswered then (hung, or throttled slowly",
    '  again and again) has used up the step, which ends `StepTimedOut` and the process TIMEOUT with',
    '  TIMEOUT_ERROR, as when Step Functions times the step out itself. Quick throttling is retried.',
  ].join('\n');
}

/** The mutation suite's figures, from its committed results (policies/results/mutations.json). */
function mutations(): string {
  const results = JSON.parse(readFileSync(join(REPO_ROOT, 'policies/results/mutations.json'), 'utf8')) as {
    modes: { mode: string; overall: { caught: number; applicable: number; notApplicable: number; percent: number } }[];
  };
  const [up, preview] = results.modes.map((m) => m.overall);
  const fig = (o: NonNullable<typeof up>) => `${o.caught}/${o.applicable} (${o.percent} %)`;
  return [
    `\`npm run policy -- --mutations\` applies ${MUTATIONS.length} realistic misconfigurations of the prod`,
    'stack (the kind an engineer introduces in a hurry: a DEBUG log level left on, a maintenance',
    'schedule without its timezone, a topic policy open to `*`, `protect` removed…), one at a time, to',
    'the resource inputs the program registers (so refactors of the program do not break it), and',
    'counts one as caught when the pack reports a mandatory violation the unmutated stack does not',
    'have, at `up` and at preview. It writes [policies/results/mutations.md](policies/results/mutations.md)',
    `(figures per category, the misses) and \`mutations.json\`; \`npm test\` runs it, fails below ${TARGET_PERCENT} % in`,
    `either mode and when the committed results are stale. Today: ${fig(up!)} at \`up\`, ${fig(preview!)} at preview`,
    `(the ${preview!.notApplicable} IAM mutations on documents unknown at preview are not applicable there).`,
  ].join('\n');
}

/** The last full chaos run, from its committed results (chaos/results/latest.json). */
function chaosResults(): string {
  type Part = {
    result: { tried: number; passed: number; failed: number; counts: Record<string, number> };
    command: string;
    otherWork: number;
  };
  const { parts } = JSON.parse(readFileSync(join(REPO_ROOT, 'chaos/results/latest.json'), 'utf8')) as { parts: Record<string, Part> };
  const n = (x: number | undefined) => (x ?? 0).toLocaleString('en-US').replace(/,/g, '\u202f');
  const s = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`;
  const all = Object.values(parts);
  const failed = all.reduce((a, p) => a + p.result.failed, 0);
  const shares = all.map((p) => Math.round(p.otherWork * 100));
  const lines = [
    `The last full run (\`${all[0]?.command ?? 'npm run chaos'}\`; other processes took ${Math.min(...shares)}–${Math.max(...shares)} % of the CPU;`,
    `[chaos/results/latest.md](chaos/results/latest.md)): ${failed === 0 ? 'every check passed' : `**${failed} checks failed**`}.`,
  ];
  const f = parts.fuzz?.result.counts;
  if (f)
    lines.push(
      `fuzz: ${n(f.requests)} requests, ${n(f.status5xx)} 5xx, ${n(f.outsideEnvelope)} outside the error envelope, ${n(f.crashes)} crashes.`,
    );
  const k = parts['kill-runtime']?.result.counts;
  if (k) {
    lines.push(
      `kill-runtime: ${k.cycles} kills with at least ${n(k.inFlightAtKillMin)} (median ${n(k.inFlightAtKillMedian)}) processes in flight, ${n(k.accepted)} accepted, ${n(k.lost)} lost, ${n(k.stuckPastWorkflowTimeout)} stuck,`,
      `${n(k.endedByRunning)} ended by running and ${n(k.endedBySweeper)} by the sweeper; ${n(k.resent)} re-sent requests, ${n(k.resentEndedByRunning)} of them ended by running`,
      `(${n(k.lostStartsStartedByResend)} found a start the kill had lost, and started it); restart after kill -9 in ${s(k.restartMsMedian)} median, ${s(k.restartMsMax)} at most.`,
    );
  }
  const p = parts['kill-postgres']?.result.counts;
  if (p) {
    lines.push(
      `kill-postgres: ${p.kills} kills, ${n(p.requests)} requests, ${n(p.status503WithRetryAfter)} answers 503 with \`Retry-After\`, ${n(p.status5xxOther)} other 5xx,`,
      `\`/health\` 200 again after ${s(p.recoveryMsMedian)} median (${s(p.recoveryMsMax)} at most), ${n(p.accepted)} accepted, ${n(p.lost)} lost, ${n(p.endedBySweeper)} ended by the sweeper.`,
    );
  }
  const r = parts.races?.result.counts;
  if (r)
    lines.push(
      `races: ${n(r.races)} races (${n(r.cancelled)} cancelled, ${n(r.completedFirst)} completed first), ${n(r.inconsistentRaces)} inconsistent; ${n(r.retryProcesses)} processes × ${n((r.retryRounds ?? 0) / Math.max(1, r.retryProcesses ?? 1))} rounds of concurrent retries, ${n(r.retryViolations)} violations.`,
    );
  const x = parts.faults?.result.counts;
  if (x) lines.push(`faults: ${n(x.asExpected)} of ${n(x.processes)} processes ended as expected, ${n(x.endedBySweeper)} by the sweeper.`);
  return lines.join('\n');
}

/** The committed cost example (bench/results/cost.json, `npm run cost -- --per-day 1000 --format json`). */
function costExample(): string {
  type Saturation = { short: string; limit: number; perDay: number };
  const r = JSON.parse(readFileSync(join(REPO_ROOT, 'bench/results/cost.json'), 'utf8')) as {
    totalUsd: number;
    lines: { service: string; item: string; usd: number; share: string }[];
    budget: { monthlyUsd: number; shares: Record<string, { percent: number; budgetUsd: number; costUsd: number }> };
    breakEven: { total: number; shares: Record<string, number> };
    saturation: Saturation[];
    perType: { type: string; usdPerProcess: number }[];
  };
  const usd = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US').replace(/,/g, '\u202f');
  const share = (k: string) => r.budget.shares[k]!;
  const of = (service: string) => r.lines.filter((l) => l.service === service).reduce((a, l) => a + l.usd, 0);
  const breaks = Object.entries(r.breakEven.shares)
    .filter(([k]) => k !== 'other')
    .map(([k, v]) => `the ${k} share (${usd(share(k).budgetUsd)}) at ${Number.isFinite(v) && v < 1e6 ? `${n(v)}/day` : 'far beyond'}`);
  const other =
    r.breakEven.shares.other === 0 ? `; the "other" share (${usd(share('other').budgetUsd)}) is over with no traffic at all` : '';
  return [
    '| | result |',
    '| --- | --- |',
    `| monthly total | ${usd(r.totalUsd)}: Lambda ${usd(share('lambda').costUsd)}, Bedrock ${usd(share('bedrock').costUsd)}, Aurora ${usd(share('aurora').costUsd)}, everything else ${usd(share('other').costUsd)} (VPC: NAT gateways and interface endpoints ${usd(of('VPC'))} of it) |`,
    `| the ${usd(r.budget.monthlyUsd)} budget breaks at | ${n(r.breakEven.total)} processes/day; ${breaks.join(', ')}${other} |`,
    `| capacity saturates at (peak hour) | ${r.saturation.map((s) => `${s.short} at ${s.perDay < 1e6 ? `${n(s.perDay)}/day` : 'far beyond'}`).join('; ')} |`,
    `| one process (variable cost) | ${r.perType.map((t) => `${t.type.replace(/_GENERATION$/, '')} $${t.usdPerProcess.toFixed(4)}`).join(', ')} |`,
  ].join('\n');
}

const RESPONDERS: Record<(typeof ESCALATION)[number]['responder'], string> = {
  'on-call': 'on-call',
  'team-lead': 'team lead',
  manager: 'manager',
};

function escalation(): string {
  const rules = escalationRules();
  const tiers = ESCALATION.map((t, i) =>
    i === 0 ? `${RESPONDERS[t.responder]} at once` : `${RESPONDERS[t.responder]} after ${duration(t.fromMinutes * 60)}`,
  );
  const fast = ERROR_BUDGET.windows.fast;
  const slow = ERROR_BUDGET.windows.slow;
  return [
    '- **Metric alarms notify, incidents page.** Every metric alarm notifies the warning topic: Slack',
    `  \`${NOTIFICATIONS.slackChannel}\` (AWS Chatbot) and e-mail. What pages is one composite alarm per incident class`,
    '  (`observability/alarms/incidents.ts`): *processing failing* (error rate, timeout rate, the SLO budgets),',
    '  *API failing*, *database unreachable*, *processes stuck*. It notifies the critical topic, whose HTTPS',
    "  subscription is PagerDuty's Amazon CloudWatch integration. A timeout storm fires error-rate, timeout-rate",
    '  and the timeout budget, and pages once.',
    '- **Causes suppress their symptoms.** A database outage fails the API and strands the processes in',
    '  flight; the API and processing incidents wait for the database one (CloudWatch actions suppressor) and',
    '  stay quiet while it explains them; stuck processes that the sweeper ends at once do not page again.',
    '- **PagerDuty is the one engine** (`infra/components/observability/paging.ts`, `@pulumi/pagerduty`): a',
    `  service, an escalation policy with the guide's table (${tiers.join(', ')}; no loop, ${rules.length} levels) and`,
    "  the CloudWatch integration. Acknowledging stops the escalation; the composite's OK resolves the",
    '  incident. Incident Manager is optional and off (`alerting.incidentManager.enabled`): AWS closed it to',
    '  new customers on 7 November 2025, and when on it only records incidents.',
    `- **Rates need volume.** Every rate alarm is 0 below ${RATE_VOLUME.minEvents} finished processes (or requests) in its window`,
    `  (\`RATE_VOLUME\`): one failure of one is not 100 %. The SLOs (errors < ${SLO.errorRatePercent} %, timeouts < ${SLO.timeoutRatePercent} %) are multi-window burn`,
    `  rates over a ${ERROR_BUDGET.periodDays}-day budget (\`ERROR_BUDGET\`: ${burnRate(fast)}× over ${duration(fast.longSeconds)} and ${duration(fast.shortSeconds)}, ${burnRate(slow)}× over ${duration(slow.longSeconds)} and ${duration(slow.shortSeconds)}), which`,
    "  see outages at night-time traffic the guide's 5-minute alerts cannot judge.",
  ].join('\n');
}

/** How the scenarios compress time (tools/scenarios/settings.ts). */
function scenarioClock(): string {
  return [
    `Clock: the full run (\`npm run scenarios\`, the committed table) plays one real second as ${duration(TIME_SCALES.full)};`,
    `\`--fast\` as ${duration(TIME_SCALES.fast)}, ${TIME_SCALES.fastParallel} scenarios at a time (npm test plays the normal day, the low-traffic failure and the token-guessing attack this way, one at a time); a scenario with heavy traffic plays slower (its \`maxTimeScale\`).`,
  ].join('\n');
}

function processingTimeNote(): string {
  const alertMinutes = GUIDE_ALERTS.processingTime.threshold / 60_000;
  const slower = PROCESS_TYPES.filter((t) => SLO.completionMinutes[t][1] > alertMinutes);
  return [
    `Note: the guide's "average processing time > ${alertMinutes} min" alert is stricter than its own completion`,
    `SLOs for ${slower.map((t) => `${short(t)} (${range(t)})`).join(' and ')} processes, so it can fire while those are`,
    'within SLO. It is kept as the guide writes it, next to per-type SLO alarms; the runbook says so.',
  ].join('\n');
}

function rdsWindows(): string {
  const { weekly, monthly } = MAINTENANCE;
  const day = DAY_NAMES[weekly.day] ?? weekly.day;
  const len = INFRA.database.windowMinutes;
  const backupEnd = addMinutes(BACKUP.startJst, len);
  const patchEnd = addMinutes(backupEnd, len);
  return [
    `- RDS refuses a backup window that overlaps the maintenance window, and the guide's ${hhmm(BACKUP.startJst)} JST`,
    `  backup falls inside its ${day} ${hhmm(weekly.startJst)}–${hhmm(weekly.endJst)} window. So backups run ${hhmm(BACKUP.startJst)}–${hhmm(backupEnd)} JST daily and RDS's`,
    `  maintenance window is ${hhmm(backupEnd)}–${hhmm(patchEnd)} JST on ${day}s. The guide patches monthly (first ${day}`,
    `  ${hhmm(monthly.startJst)}–${hhmm(monthly.endJst)}), which RDS cannot express: automatic minor version upgrades are off, and on the first`,
    `  ${day} at ${hhmm(backupEnd)} JST the state machine \`AsyncProcessingMonthlyPatch\` applies the database's pending`,
    '  system and OS updates at once (engine versions change with `database.engineVersion`, deployed in',
    '  the same window). What remains is written down in `guide/index.ts` (MAINTENANCE): RDS applies an',
    `  update it marks required in its weekly window once its deadline passes before a first ${day}.`,
    `- One maintenance run per ${day} at ${hhmm(weekly.startJst)} JST: the monthly run (first ${day}) does the weekly work`,
    `  too, and the weekly schedules fire on the 2nd–5th ${day}s.`,
    `- **Disaster recovery (RTO ${BACKUP.rtoHours} h, RPO ${BACKUP.rpoHours} h):** every first ${day} at ${hhmm(DR.startJst)} JST AWS Backup restores the`,
    '  newest recovery point; the DR test (`AsyncProcessingDrTest`) checks the restored database against',
    "  the source with the `dr-validation` function, publishes the restore time and the recovery point's",
    '  age with alarms at the RTO and RPO, reports the verdict to AWS Backup and removes the restore. The',
    '  procedure for a real restore is in [docs/runbook.md](docs/runbook.md#disaster-recovery).',
    "- Step Functions logs every event without its execution data (the users' inputs and results stay",
    `  in the ${RETENTION.stepFunctionsHistoryDays}-day execution history only); the log archive keeps logs ${INFRA.logArchive.expireAfterDays} days, as long as the records`,
    '  they describe (reasons next to the numbers in `guide/index.ts`).',
  ].join('\n');
}

const policyRules = (): string => rulesTable(POLICIES, Object.fromEntries(STAGES.map((s) => [s, loadPackConfig(s, POLICIES)])));

export const README_REGIONS: Record<string, () => string> = {
  settings,
  'ops-commands': opsCommands,
  contract,
  'long-running': longRunning,
  edge,
  escalation,
  'scenario-clock': scenarioClock,
  'processing-time-note': processingTimeNote,
  'rds-windows': rdsWindows,
  'policy-rules': policyRules,
  mutations,
  'chaos-results': chaosResults,
  'cost-example': costExample,
};

const REGION = /<!-- generated:([a-z-]+) -->\n([\s\S]*?)<!-- \/generated -->/g;

/** README.md with every generated region filled in; an unknown or missing region is an error. */
export function renderReadme(current: string): string {
  const seen = new Set<string>();
  const out = current.replace(REGION, (_m, name: string) => {
    const render = README_REGIONS[name];
    if (!render) throw new Error(`README.md has a region "${name}" that tools/readme.ts does not generate`);
    seen.add(name);
    return `<!-- generated:${name} -->\n${render()}\n<!-- /generated -->`;
  });
  const missing = Object.keys(README_REGIONS).filter((n) => !seen.has(n));
  if (missing.length > 0)
    throw new Error(
      `README.md lacks the generated regions ${missing.join(', ')}: add <!-- generated:<name> --> … <!-- /generated --> where they belong`,
    );
  return out;
}
