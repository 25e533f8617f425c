/**
 * The ops commands over the local runtime's parts: executions through the local Step Functions
 * server (found through runtime.json), the guide's SQL on the database, and the guide's two log
 * commands (latest errors, one process's lines) on the runtime's log file.
 */
import { randomUUID } from 'node:crypto';
import { REPORTS } from '../../../../guide';
import { createTestDatabase, type TestDatabase } from '../../../../harness/test-database';
import { ops, seedExecutions, seedProcesses, startOpsWorld, writeLogLines, type OpsWorld } from '../../../../harness/ops';

let db: TestDatabase;
let world: OpsWorld;
const NOW = new Date('2026-12-07T03:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const PROCESS = randomUUID();
const OTHER = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase();
  world = await startOpsWorld(db.pool, db.url);
  await seedExecutions(db.pool, [
    { status: 'SUCCEEDED', started: '2026-12-07T01:00:00Z' },
    { status: 'SUCCEEDED', started: '2026-12-07T02:00:00Z' },
    { status: 'SUCCEEDED', started: '2026-12-07T02:30:00Z' },
    { status: 'FAILED', started: '2026-12-07T02:45:00Z' },
  ]);
  writeLogLines(world.dataDir, [
    { timestamp: ago(90), level: 'ERROR', service: 'async-ai-pipeline', message: 'too old for the last hour', processId: OTHER },
    {
      timestamp: ago(50),
      level: 'INFO',
      service: 'async-ai-pipeline',
      message: 'Process started',
      processId: PROCESS,
      type: 'TASK_GENERATION',
    },
    { timestamp: ago(40), level: 'ERROR', service: 'async-ai-pipeline', message: 'first error', processId: OTHER, errorCode: 'AI_ERROR' },
    { timestamp: ago(30), level: 'WARN', service: 'async-ai-pipeline', message: 'Model call retried', processId: PROCESS },
    {
      timestamp: ago(20),
      level: 'ERROR',
      service: 'async-ai-pipeline',
      message: 'second error',
      processId: PROCESS,
      errorCode: 'TIMEOUT_ERROR',
    },
    {
      timestamp: ago(10),
      level: 'ERROR',
      service: 'async-ai-pipeline',
      message: 'third error',
      processId: OTHER,
      errorCode: 'DATABASE_ERROR',
    },
  ]);
  world.announce({});
});

afterAll(async () => {
  await world?.close();
  await db?.drop();
});

describe('ops executions', () => {
  it('lists the newest executions of a status from the runtime runtime.json names', async () => {
    // act
    const r = await ops(['executions', '--status', 'SUCCEEDED', '--max', '2'], { AIP_DATA_DIR: world.dataDir });

    // assess
    expect(r).toMatchObject({ code: 0, err: '' });
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^name +status +startDate +stopDate$/);
    expect(lines.slice(2).map((l) => l.split(/ +/).slice(1, 3))).toEqual([
      ['SUCCEEDED', '2026-12-07T02:30:00.000Z'],
      ['SUCCEEDED', '2026-12-07T02:00:00.000Z'],
    ]);
  });
});

describe('ops stats and durations', () => {
  it('runs the guide’s queries on the database DATABASE_URL names', async () => {
    // prepare
    const created = new Date(Date.now() - 3600_000).toISOString();
    await seedProcesses(db.pool, [
      { type: 'TASK_GENERATION', status: 'COMPLETED', created, ended: new Date(Date.parse(created) + 600_000).toISOString() },
      { type: 'TASK_GENERATION', status: 'COMPLETED', created, ended: new Date(Date.parse(created) + 1200_000).toISOString() },
    ]);

    // act
    const stats = await ops(['stats'], { AIP_DATA_DIR: world.dataDir, DATABASE_URL: db.url });
    const durations = await ops(['durations'], { AIP_DATA_DIR: world.dataDir });

    // assess
    expect(stats.code).toBe(0);
    expect(stats.out.split('\n')[0]).toMatch(/^status +type +count +avg_progress$/);
    expect(stats.out.split('\n')[2]).toMatch(/^COMPLETED +TASK_GENERATION +2 +/);
    expect(durations.out.split('\n')[2]).toMatch(/^TASK_GENERATION +900 +1200$/);
  });
});

describe('ops logs', () => {
  it(`shows the newest ERROR lines of the last ${REPORTS.recentErrors.sinceMinutes} minutes, oldest first`, async () => {
    // act
    const all = await ops(['logs', 'errors'], { AIP_DATA_DIR: world.dataDir }, NOW);
    const two = await ops(['logs', 'errors', '--limit', '2'], { AIP_DATA_DIR: world.dataDir }, NOW);
    const wider = await ops(['logs', 'errors', '--since-minutes', '120', '--format', 'json'], { AIP_DATA_DIR: world.dataDir }, NOW);

    // assess
    expect(all.code).toBe(0);
    expect(
      all.out
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/ {2,}/)[3]),
    ).toEqual(['first error', 'second error', 'third error']);
    expect(all.out).toContain(`${ago(40)}  ERROR  async-ai-pipeline  first error  processId=${OTHER}  errorCode=AI_ERROR`);
    expect(
      two.out
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/ {2,}/)[3]),
    ).toEqual(['second error', 'third error']);
    expect(
      wider.out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).message),
    ).toEqual(['too old for the last hour', 'first error', 'second error', 'third error']);
  });

  it('traces one process: every line with its id, in order', async () => {
    // act
    const r = await ops(['logs', 'trace', PROCESS], { AIP_DATA_DIR: world.dataDir }, NOW);
    const none = await ops(['logs', 'trace', randomUUID()], { AIP_DATA_DIR: world.dataDir }, NOW);

    // assess
    expect(r.code).toBe(0);
    expect(
      r.out
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/ {2,}/).slice(1, 4)),
    ).toEqual([
      ['INFO', 'async-ai-pipeline', 'Process started'],
      ['WARN', 'async-ai-pipeline', 'Model call retried'],
      ['ERROR', 'async-ai-pipeline', 'second error'],
    ]);
    expect(none.out).toMatch(/^\(no matching lines in local log file .*runtime\.jsonl\)\n$/);
  });
});
