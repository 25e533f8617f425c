/**
 * The ops CLI's command line and its errors: `--help` everywhere, a usage error that names the
 * flag (exit 2), and when nothing runs, an error naming the address, the setting it came from and
 * `npm start` (exit 1). No server is needed: each "nothing running" case points at a free port.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../../../local/ops/commands';
import { ops } from '../../../../harness/ops';
import { freePort } from '../../../../harness/local-runtime';
import { runtimeFilePath } from '../../../../local/runtime-file';

const emptyDataDir = () => mkdtempSync(join(tmpdir(), 'aip-ops-empty-'));

describe('ops --help', () => {
  it.each(COMMANDS.map((c) => [c.name]))('prints the usage and flags of %s and exits 0', async (name) => {
    // act
    const r = await ops([...name.split(' '), '--help'], {});

    // assess
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^usage: npm run --silent ops -- ${name}`));
    expect(r.err).toBe('');
  });

  it('lists every command with --help, and on stderr with exit 2 when no command is given', async () => {
    // act
    const help = await ops(['--help'], {});
    const none = await ops([], {});

    // assess
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.out).toContain(`  ${c.name} `);
    expect(none).toMatchObject({ code: 2, out: '', err: help.out });
  });
});

describe('ops usage errors', () => {
  it.each([
    [['executions', '--max', 'abc'], 'ops executions: --max must be a whole number from 1 to 1000, got "abc"'],
    [['executions', '--max', '0'], 'ops executions: --max must be a whole number from 1 to 1000, got "0"'],
    [['executions', '--max'], "ops executions: Option '--max <value>' argument missing"],
    [
      ['executions', '--status', 'DONE'],
      'ops executions: --status must be one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, got "DONE"',
    ],
    [['executions', '--maxx', '3'], "ops executions: Unknown option '--maxx'"],
    [['stats', 'extra'], 'ops stats: unexpected argument "extra"'],
    [['report'], 'ops report: name the report: daily, weekly, monthly'],
    [['report', 'yearly'], 'ops report: unknown report "yearly": use daily, weekly, monthly'],
    [['report', 'daily', '--format', 'html'], 'ops report: --format must be one of md, json, got "html"'],
    [
      ['report', 'daily', '--at', 'yesterday'],
      'ops report: --at must be an ISO 8601 time with its offset, e.g. 2026-12-07T09:00:00+09:00, got "yesterday"',
    ],
    [['report', 'daily', '--at', '2026-12-07T09:00:00'], 'ops report: --at must be an ISO 8601 time with its offset'],
    [['report', 'weekly', '--edition', 'morning'], 'ops report: --edition is for the daily report only'],
    [['logs', 'errors', '--limit=-1'], 'ops logs errors: --limit must be a whole number from 1 to 10000, got "-1"'],
    [['logs', 'errors', '--since-minutes', '1.5'], 'ops logs errors: --since-minutes must be a whole number from 1 to'],
    [['logs', 'errors', '--function', 'nope'], 'ops logs errors: --function must name our functions (async-processing-handler,'],
    [['logs', 'trace'], 'ops logs trace: name the process: logs trace <processId>'],
    [['logs', 'trace', 'abc'], 'ops logs trace: "abc" is not a process id'],
  ])('%j exits 2 with the flag named and the usage', async (argv, message) => {
    // act
    const r = await ops(argv, { AIP_DATA_DIR: emptyDataDir() });

    // assess
    expect(r.code).toBe(2);
    expect(r.err.startsWith(message)).toBe(true);
    expect(r.err).toContain('usage: npm run --silent ops -- ');
    expect(r.out).toBe('');
  });

  it('names the two commands of a group given alone, and an unknown command', async () => {
    // act
    const logs = await ops(['logs'], {});
    const unknown = await ops(['tail'], {});

    // assess
    expect(logs.code).toBe(2);
    expect(logs.err).toMatch(/^ops: unknown command "logs": use logs errors or logs trace/);
    expect(unknown.err).toMatch(/^ops: unknown command "tail"\n/);
  });
});

describe('ops when nothing is running', () => {
  it('says which address, which setting and to run npm start when the runtime does not answer (PORT)', async () => {
    // prepare
    const port = await freePort();

    // act
    const r = await ops(['executions'], { AIP_DATA_DIR: emptyDataDir(), PORT: String(port) });

    // assess
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `ops executions: Could not reach the local runtime at 127.0.0.1:${port} (ECONNREFUSED); the address comes from PORT. Nothing is running there: start the runtime with \`npm start\` (in another terminal), or point at where it runs with PORT or AIP_URL.\n`,
    );
  });

  it.each([
    ['AIP_PG_PORT', (port: number) => ({ AIP_PG_PORT: String(port) })],
    ['DATABASE_URL', (port: number) => ({ DATABASE_URL: `postgres://aip:aip@127.0.0.1:${port}/aip` })],
  ])('says which address and that it came from %s when PostgreSQL refuses the connection', async (setting, env) => {
    // prepare
    const port = await freePort();

    // act
    const r = await ops(['stats'], { AIP_DATA_DIR: emptyDataDir(), ...env(port) });

    // assess
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `ops stats: Could not reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED); the address comes from ${setting}. Nothing is running there: start the runtime with \`npm start\` (in another terminal), or point at where it runs with DATABASE_URL or AIP_PG_PORT.\n`,
    );
  });

  it('ignores the runtime.json of a runtime that has exited', async () => {
    // prepare: a pid that no process has (beyond pid_max).
    const dataDir = emptyDataDir();
    const port = await freePort();
    writeFileSync(
      runtimeFilePath(dataDir),
      JSON.stringify({
        url: 'http://127.0.0.1:1',
        pid: 2 ** 30,
        databaseUrl: `postgres://aip:aip@127.0.0.1:${port}/aip`,
        logFile: '/nonexistent',
        stepFunctions: 'http://127.0.0.1:1',
        stateMachineArn: 'arn',
      }),
    );

    // act
    const r = await ops(['durations'], { AIP_DATA_DIR: dataDir, AIP_PG_PORT: String(port) });

    // assess
    expect(r.err).toContain(`Could not reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED); the address comes from AIP_PG_PORT.`);
  });

  it('says to run npm start when a report has no runtime to read', async () => {
    // prepare
    const dataDir = emptyDataDir();

    // act
    const r = await ops(['report', 'daily'], { AIP_DATA_DIR: dataDir });

    // assess
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `ops report: No local runtime is running for the data folder ${dataDir} (no live ${runtimeFilePath(dataDir)}), and \`ops report\` needs one: start the runtime with \`npm start\` (in another terminal), or name its data folder with AIP_DATA_DIR.\n`,
    );
  });

  it('says there is no log file and how to get one', async () => {
    // prepare
    const dataDir = emptyDataDir();

    // act
    const r = await ops(['logs', 'errors'], { AIP_DATA_DIR: dataDir });

    // assess
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `ops logs errors: No log file in ${dataDir}/logs: the runtime writes one while it runs; start it with \`npm start\`, name its data folder with AIP_DATA_DIR, or add --aws for CloudWatch Logs.\n`,
    );
  });

  it('names a malformed setting and its fix', async () => {
    // act
    const r = await ops(['stats'], { AIP_DATA_DIR: emptyDataDir(), AIP_PG_PORT: 'abc' });

    // assess
    expect(r.code).toBe(1);
    expect(r.err).toBe('ops stats: AIP_PG_PORT="abc" must be an integer from 1 to 65535; unset it for the default (54329)\n');
  });
});
