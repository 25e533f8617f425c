/**
 * The ops commands, each a name, its help and its run. `run` gets the parsed flags and writes to
 * `io.out`; errors are UsageError (a flag) or OpsError (what to start or set), see args.ts.
 */
import { ListExecutionsCommand, type ExecutionStatus } from '@aws-sdk/client-sfn';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DAILY_EDITIONS, FUNCTIONS, OPS_SQL, REPORT_KINDS, REPORTS, RETENTION, type ReportKind } from '../../guide';
import { CloudWatchLogSource } from '../../functions/src/adapters/cloudwatch-logs';
import { buildReport } from '../../functions/src/reports/build';
import { formatLogLine, type LogQuery, type LogSource } from '../../functions/src/reports/logs';
import { renderMarkdown } from '../../functions/src/reports/markdown';
import { EXECUTION_STATUSES } from '../../functions/src/reports/source';
import { LocalReportSource } from '../report-source';
import { choiceFlag, intFlag, OpsError, timeFlag, UsageError, type Options } from './args';
import { openDatabase, stateMachine } from './connect';
import { LocalLogSource } from './log-source';
import { textTable, type TextCell } from './table';
import { requireRuntime, type Env, type Targets } from './targets';

export interface Io {
  readonly env: Env;
  readonly out: (text: string) => void;
  readonly now: () => Date;
  readonly targets: () => Targets;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Lines after the usage in `--help`: flags, settings, an example. */
  readonly help: readonly string[];
  readonly options: Options;
  readonly positionals?: number;
  run(values: Record<string, string | boolean | undefined>, positionals: string[], io: Io): Promise<void>;
}

const MAX_EXECUTIONS = 1000;
const SETTINGS = 'Settings: AIP_DATA_DIR (finds the running runtime), DATABASE_URL or AIP_PG_PORT, PORT or AIP_URL.';

const executions: Command = {
  name: 'executions',
  summary: "Step Functions executions, newest first (the guide's list-executions)",
  usage: `executions [--status ${EXECUTION_STATUSES.join('|')}] [--max N]`,
  help: [
    `--status S   only executions in status S (${EXECUTION_STATUSES.join(', ')})`,
    `--max N      at most N executions, 1 to ${MAX_EXECUTIONS} (default 10)`,
    'Against the running local runtime; with STATE_MACHINE_ARN set, against AWS (the usual credential chain).',
    SETTINGS,
  ],
  options: { status: { type: 'string' }, max: { type: 'string' } },
  async run(v, _p, io) {
    const status = choiceFlag('executions', 'status', v.status, EXECUTION_STATUSES);
    const max = intFlag('executions', 'max', v.max, 1, MAX_EXECUTIONS) ?? 10;
    const sfn = await stateMachine(io.targets(), io.env);
    const out = await sfn.client.send(
      new ListExecutionsCommand({
        stateMachineArn: sfn.stateMachineArn,
        statusFilter: status as ExecutionStatus | undefined,
        maxResults: max,
      }),
    );
    io.out(
      textTable(
        ['name', 'status', 'startDate', 'stopDate'],
        (out.executions ?? []).map((e) => [e.name, e.status, e.startDate?.toISOString(), e.stopDate?.toISOString()]),
      ),
    );
  },
};

/** PostgreSQL's numeric comes back as text with every digit: two decimals are enough to read. */
const decimal = (v: unknown): TextCell => {
  if (typeof v === 'string' && /^-?\d+\.\d+$/.test(v)) return Math.round(Number(v) * 100) / 100;
  return v instanceof Date ? v.toISOString() : (v as TextCell);
};

function sqlCommand(name: string, summary: string, query: string): Command {
  return {
    name,
    summary,
    usage: name,
    options: {},
    help: [
      "The guide's query, on the local runtime's database (or the one DATABASE_URL names):",
      ...query.split('\n').map((l) => `  ${l}`),
      SETTINGS,
    ],
    async run(_v, _p, io) {
      const pool = await openDatabase(io.targets());
      try {
        const { rows, fields } = await pool.query(query);
        io.out(
          textTable(
            fields.map((f) => f.name),
            rows.map((r) => fields.map((f) => decimal(r[f.name]))),
          ),
        );
      } finally {
        await pool.end();
      }
    },
  };
}

const report: Command = {
  name: 'report',
  summary: "the guide's daily, weekly or monthly check as a report",
  usage: `report ${REPORT_KINDS.join('|')} [--format md|json] [--at <ISO time>] [--edition ${DAILY_EDITIONS.join('|')}]`,
  help: [
    'daily     09:00 JST: the previous JST day; from 17:00 JST: today so far (processing, rates, queue, executions, security)',
    'weekly    the previous Monday-to-Monday week, JST (statistics, error trend, SLO, capacity)',
    'monthly   the previous calendar month, JST (statistics, cost, SLO summary, security audit)',
    '--format   md (default) or json: the same figures',
    '--at       report as of this time instead of now, e.g. 2026-12-07T09:00:00+09:00',
    '--edition  daily only: morning or evening, whatever the time',
    'Needs the running local runtime (npm start): its PostgreSQL, its Step Functions and its log file. Cost and the',
    'security audit exist on AWS only; the scheduled report function writes them there.',
    SETTINGS,
  ],
  options: { format: { type: 'string' }, at: { type: 'string' }, edition: { type: 'string' } },
  positionals: 1,
  async run(v, p, io) {
    const kind = p[0];
    if (!kind) throw new UsageError(`name the report: ${REPORT_KINDS.join(', ')}`, 'report');
    if (!(REPORT_KINDS as readonly string[]).includes(kind))
      throw new UsageError(`unknown report ${JSON.stringify(kind)}: use ${REPORT_KINDS.join(', ')}`, 'report');
    const format = choiceFlag('report', 'format', v.format, ['md', 'json'] as const) ?? 'md';
    const at = timeFlag('report', 'at', v.at) ?? io.now();
    const edition = choiceFlag('report', 'edition', v.edition, DAILY_EDITIONS);
    if (edition && kind !== 'daily') throw new UsageError('--edition is for the daily report only', 'report');
    const t = io.targets();
    // A report of whichever server answers on the default port would be nobody's: say to start one.
    if (!io.env.DATABASE_URL && !io.env.AIP_PG_PORT) requireRuntime(t, 'report');
    const pool = await openDatabase(t);
    try {
      const stepFunctions = await stateMachine(t, io.env);
      const source = new LocalReportSource({ pool, stepFunctions, logFile: t.logFile });
      const r = await buildReport(kind as ReportKind, source, { at, ...(edition ? { edition } : {}) });
      io.out(format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : renderMarkdown(r));
    } finally {
      await pool.end();
    }
  },
};

const ALL_FUNCTIONS: readonly string[] = Object.values(FUNCTIONS).map((f) => f.name);

function logSource(v: Record<string, unknown>, io: Io): LogSource {
  if (v.aws)
    return new CloudWatchLogSource(new CloudWatchLogsClient({ region: io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION }), ALL_FUNCTIONS);
  const t = io.targets();
  if (!t.logFile) {
    throw new OpsError(
      `No log file in ${t.dataDir}/logs: the runtime writes one while it runs; start it with \`npm start\`, name its data folder with AIP_DATA_DIR, or add --aws for CloudWatch Logs.`,
    );
  }
  return new LocalLogSource(t.logFile);
}

function functionsFlag(command: string, raw: string | boolean | undefined): string[] {
  if (raw === undefined) return [];
  const names = String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !ALL_FUNCTIONS.includes(n));
  if (unknown.length || names.length === 0)
    throw new UsageError(`--function must name our functions (${ALL_FUNCTIONS.join(', ')}), got ${JSON.stringify(raw)}`, command);
  return names;
}

async function printLogs(q: LogQuery, v: Record<string, unknown>, io: Io): Promise<void> {
  const source = logSource(v, io);
  const lines = await source.query(q);
  if (v.format === 'json')
    io.out(lines.map((l) => `${JSON.stringify({ timestamp: l.timestamp, origin: l.origin, ...l.fields })}\n`).join(''));
  else io.out(lines.length ? `${lines.map(formatLogLine).join('\n')}\n` : `(no matching lines in ${source.label})\n`);
}

const LOG_FLAGS: Options = { aws: { type: 'boolean' }, function: { type: 'string' }, format: { type: 'string' } };
const LOG_HELP = [
  `--function a,b   only these functions' lines (${ALL_FUNCTIONS.join(', ')})`,
  '--format text|json  text (default) or one JSON line per match',
  '--aws            CloudWatch Logs (/aws/lambda/<function>, the usual credential chain) instead of the local log file',
  "Locally: the running runtime's log file (<AIP_DATA_DIR>/logs/runtime.jsonl).",
];

const logsErrors: Command = {
  name: 'logs errors',
  summary: "the latest ERROR log lines (the guide's filter-log-events --filter-pattern ERROR)",
  usage: 'logs errors [--since-minutes N] [--limit N] [--function names] [--format text|json] [--aws]',
  help: [
    `--since-minutes N  look back N minutes (default ${REPORTS.recentErrors.sinceMinutes})`,
    `--limit N          the newest N lines (default ${REPORTS.recentErrors.limit})`,
    ...LOG_HELP,
  ],
  options: { ...LOG_FLAGS, 'since-minutes': { type: 'string' }, limit: { type: 'string' } },
  async run(v, _p, io) {
    const minutes =
      intFlag('logs errors', 'since-minutes', v['since-minutes'], 1, RETENTION.logsDays * 24 * 60) ?? REPORTS.recentErrors.sinceMinutes;
    const limit = intFlag('logs errors', 'limit', v.limit, 1, 10_000) ?? REPORTS.recentErrors.limit;
    choiceFlag('logs errors', 'format', v.format, ['text', 'json'] as const);
    const functions = functionsFlag('logs errors', v.function);
    await printLogs({ since: new Date(io.now().getTime() - minutes * 60_000), match: { level: 'ERROR' }, functions, limit }, v, io);
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const logsTrace: Command = {
  name: 'logs trace',
  summary: "every log line of one process, in order (the guide's filter-log-events processId=…)",
  usage: 'logs trace <processId> [--since-hours N] [--function names] [--format text|json] [--aws]',
  help: [`--since-hours N  look back N hours (default ${RETENTION.logsDays * 24}: all the logs kept)`, ...LOG_HELP],
  options: { ...LOG_FLAGS, 'since-hours': { type: 'string' } },
  positionals: 1,
  async run(v, p, io) {
    const id = p[0];
    if (!id) throw new UsageError('name the process: logs trace <processId>', 'logs trace');
    if (!UUID.test(id))
      throw new UsageError(`${JSON.stringify(id)} is not a process id (a UUID such as 660e8400-e29b-41d4-a716-446655440000)`, 'logs trace');
    const hours = intFlag('logs trace', 'since-hours', v['since-hours'], 1, RETENTION.logsDays * 24) ?? RETENTION.logsDays * 24;
    choiceFlag('logs trace', 'format', v.format, ['text', 'json'] as const);
    const functions = functionsFlag('logs trace', v.function);
    await printLogs({ since: new Date(io.now().getTime() - hours * 3600_000), match: { processId: id.toLowerCase() }, functions }, v, io);
  },
};

export const COMMANDS: readonly Command[] = [
  executions,
  sqlCommand('stats', "processes by status and type, last 24 h (the guide's statistics query)", OPS_SQL.statusStats24h),
  sqlCommand('durations', "completion time by type, last 7 days (the guide's query)", OPS_SQL.durations7d),
  report,
  logsErrors,
  logsTrace,
];
