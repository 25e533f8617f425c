/**
 * `npm run ops -- report daily|weekly|monthly` on the local runtime's parts: seeded processes in a
 * real PostgreSQL, seeded executions listed through the local Step Functions server with the real
 * SFNClient, and the runtime's log file; every figure is exact. The windows are JST days, weeks
 * from Monday and calendar months (functions/src/reports/windows.ts).
 */
import { DB_CAPACITY, FUNCTIONS, PROCESS_ERROR_CODES, SLO } from '../../../../guide';
import type { Report, Section } from '../../../../functions/src/reports/report';
import { createTestDatabase, type TestDatabase } from '../../../../harness/test-database';
import { emfLine, ops, seedExecutions, seedProcesses, startOpsWorld, writeLogLines, type OpsWorld } from '../../../../harness/ops';
import { AUTH_FAILURE_MESSAGE } from '../../../../local/config';

let db: TestDatabase;
let world: OpsWorld;

/** JST wall-clock time as an instant. */
const jst = (t: string) => `${t}+09:00`;

beforeAll(async () => {
  db = await createTestDatabase();
  world = await startOpsWorld(db.pool, db.url);
  await seedProcesses(db.pool, [
    // 2026-12-06 (Sunday, JST): three subgoals completed in 5 minutes, one failed.
    ...[1, 2, 3].map(
      () =>
        ({
          type: 'SUBGOAL_GENERATION',
          status: 'COMPLETED',
          created: jst('2026-12-06T10:00:00'),
          ended: jst('2026-12-06T10:05:00'),
        }) as const,
    ),
    {
      type: 'SUBGOAL_GENERATION',
      status: 'FAILED',
      errorCode: 'AI_ERROR',
      created: jst('2026-12-06T10:00:00'),
      ended: jst('2026-12-06T10:02:00'),
    },
    // Accepted at the first instant of 12-07: not the 6th's.
    { type: 'SUBGOAL_GENERATION', status: 'PENDING', created: jst('2026-12-07T00:00:00') },
    {
      type: 'ACTION_GENERATION',
      status: 'TIMEOUT',
      errorCode: 'TIMEOUT_ERROR',
      created: jst('2026-12-06T23:50:00'),
      ended: jst('2026-12-06T23:59:59'),
    },
    // Accepted on the 6th, ended on the 7th.
    { type: 'ACTION_GENERATION', status: 'COMPLETED', created: jst('2026-12-06T23:55:00'), ended: jst('2026-12-07T00:00:01') },
    { type: 'ACTION_GENERATION', status: 'PROCESSING', created: jst('2026-12-06T20:00:00') },
    // Accepted on the 5th, ended at the first instant of the 6th.
    { type: 'TASK_GENERATION', status: 'COMPLETED', created: jst('2026-12-05T23:59:59'), ended: jst('2026-12-06T00:00:00') },
    { type: 'TASK_GENERATION', status: 'CANCELLED', created: jst('2026-12-06T12:00:00'), ended: jst('2026-12-06T12:01:00') },
    {
      type: 'TASK_GENERATION',
      status: 'FAILED',
      errorCode: 'DATABASE_ERROR',
      created: jst('2026-12-05T10:00:00'),
      ended: jst('2026-12-05T10:01:00'),
    },
    // Sunday 2026-11-29, the day before the week: only November's monthly report sees it.
    { type: 'TASK_GENERATION', status: 'COMPLETED', created: jst('2026-11-29T23:00:00'), ended: jst('2026-11-29T23:12:00') },
  ]);
  await seedExecutions(db.pool, [
    { status: 'RUNNING', started: jst('2026-12-06T20:00:00') },
    ...[1, 2, 3].map(() => ({ status: 'SUCCEEDED', started: jst('2026-12-06T10:00:00') }) as const),
    { status: 'SUCCEEDED', started: jst('2026-12-06T23:55:00') },
    { status: 'FAILED', started: jst('2026-12-06T10:00:00') },
    { status: 'TIMED_OUT', started: jst('2026-12-06T23:50:00') },
    { status: 'ABORTED', started: jst('2026-12-06T12:00:00') },
    { status: 'SUCCEEDED', started: jst('2026-12-05T23:59:59') },
    { status: 'RUNNING', started: jst('2026-12-07T00:00:00') },
    { status: 'FAILED', started: jst('2026-12-05T10:00:00') },
  ]);
  writeLogLines(world.dataDir, [
    {
      timestamp: new Date(jst('2026-12-06T08:00:00')).toISOString(),
      level: 'WARN',
      service: 'local-runtime',
      message: AUTH_FAILURE_MESSAGE,
      reason: 'no token',
    },
    {
      timestamp: new Date(jst('2026-12-06T21:00:00')).toISOString(),
      level: 'WARN',
      service: 'local-runtime',
      message: AUTH_FAILURE_MESSAGE,
      reason: 'expired',
    },
    {
      timestamp: new Date(jst('2026-12-07T00:00:00')).toISOString(),
      level: 'WARN',
      service: 'local-runtime',
      message: AUTH_FAILURE_MESSAGE,
      reason: 'expired',
    },
    emfLine('authFailures', 1, jst('2026-12-06T09:00:00')),
    emfLine('rateLimited', 1, jst('2026-12-06T11:00:00')),
    emfLine('rateLimited', 1, jst('2026-12-06T11:00:30')),
    emfLine('rateLimited', 1, jst('2026-12-05T23:59:59')),
    'a line that is not JSON',
    '{"cut short by a crash',
  ]);
  world.announce({});
});

afterAll(async () => {
  await world?.close();
  await db?.drop();
});

async function report(...args: string[]): Promise<Report> {
  const r = await ops(['report', ...args, '--format', 'json'], { AIP_DATA_DIR: world.dataDir });
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Report;
}

const section = (r: Report, id: string): Section => {
  const s = r.sections.find((x) => x.id === id);
  if (!s) throw new Error(`no section ${id} in ${r.sections.map((x) => x.id).join(', ')}`);
  return s;
};
const checkOf = (s: Section, item: string) => s.checks!.find((c) => c.item.startsWith(item))!;

describe('ops report daily', () => {
  it('covers the previous JST day at 09:00 JST, by type and status, with the error and timeout rates', async () => {
    // act
    const r = await report('daily', '--at', jst('2026-12-07T09:00:00'));

    // assess
    expect(r).toMatchObject({ kind: 'daily', edition: 'morning', source: 'local runtime' });
    expect(r.window).toEqual({
      start: '2026-12-05T15:00:00.000Z',
      end: '2026-12-06T15:00:00.000Z',
      label: '2026-12-06 00:00 JST – 2026-12-07 00:00 JST',
    });
    expect(section(r, 'processing').table).toEqual({
      columns: ['type', 'started', 'COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'],
      rows: [
        ['SUBGOAL_GENERATION', 4, 3, 1, 0, 0],
        ['ACTION_GENERATION', 3, 0, 0, 1, 0],
        ['TASK_GENERATION', 1, 1, 0, 0, 1],
        ['TOTAL', 8, 4, 1, 1, 1],
      ],
    });
    // 2 of the 6 that finished (completed, failed or timed out) failed or timed out; 1 of 6 timed out.
    expect(section(r, 'rates').checks).toEqual([
      { item: 'エラー率 (%)', value: 33.33, target: `< ${SLO.errorRatePercent} %`, status: 'breach' },
      { item: 'タイムアウト率 (%)', value: 16.67, target: `< ${SLO.timeoutRatePercent} %`, status: 'breach' },
    ]);
  });

  it('shows the queue at report time: its depth, the split and the oldest active process’s age', async () => {
    // act
    const r = await report('daily', '--at', jst('2026-12-07T09:00:00'));

    // assess: the PENDING one of 00:00 and the PROCESSING one of 20:00 (13 h before 09:00).
    expect(section(r, 'queue').checks).toEqual([
      expect.objectContaining({ value: 2, status: 'ok', note: 'PENDING 1, PROCESSING 1' }),
      expect.objectContaining({ value: 13 * 3600 }),
    ]);
  });

  it('counts the Step Functions executions started in the window by their status', async () => {
    // act
    const r = await report('daily', '--at', jst('2026-12-07T09:00:00'));

    // assess
    expect(section(r, 'executions').table!.rows).toEqual([
      ['RUNNING', 1],
      ['SUCCEEDED', 4],
      ['FAILED', 1],
      ['TIMED_OUT', 1],
      ['ABORTED', 1],
    ]);
  });

  it('counts auth failures (gateway refusals and the AuthFailures metric) and rate-limit hits from the log file, and says WAF is AWS-only', async () => {
    // act
    const r = await report('daily', '--at', jst('2026-12-07T09:00:00'));

    // assess
    const [auth, limited, waf] = section(r, 'security').checks!;
    expect(auth!.value).toBe(3);
    expect(limited!.value).toBe(2);
    expect(waf).toMatchObject({ value: null, status: 'unknown', note: expect.stringContaining('not available locally') });
  });

  it('covers today from 00:00 JST at 17:00 JST, and still the previous day at 16:59', async () => {
    // act
    const evening = await report('daily', '--at', jst('2026-12-07T17:00:00'));
    const beforeFive = await report('daily', '--at', jst('2026-12-07T16:59:59'));

    // assess
    expect(evening).toMatchObject({ edition: 'evening', window: { start: '2026-12-06T15:00:00.000Z', end: '2026-12-07T08:00:00.000Z' } });
    expect(section(evening, 'processing').table!.rows).toEqual([
      ['SUBGOAL_GENERATION', 1, 0, 0, 0, 0],
      ['ACTION_GENERATION', 0, 1, 0, 0, 0],
      ['TASK_GENERATION', 0, 0, 0, 0, 0],
      ['TOTAL', 1, 1, 0, 0, 0],
    ]);
    expect(section(evening, 'rates').checks!.map((c) => [c.value, c.status])).toEqual([
      [0, 'ok'],
      [0, 'ok'],
    ]);
    expect(section(evening, 'executions').table!.rows[0]).toEqual(['RUNNING', 1]);
    expect(beforeFive).toMatchObject({ edition: 'morning', window: { start: '2026-12-05T15:00:00.000Z' } });
  });

  it('prints the same figures as Markdown', async () => {
    // act
    const r = await ops(['report', 'daily', '--at', jst('2026-12-07T09:00:00')], { AIP_DATA_DIR: world.dataDir });

    // assess
    expect(r.code).toBe(0);
    expect(r.out).toContain('# 日次チェック（朝）');
    expect(r.out).toContain('- 期間: 2026-12-06 00:00 JST – 2026-12-07 00:00 JST');
    expect(r.out).toContain('| TOTAL | 8 | 4 | 1 | 1 | 1 |');
    expect(r.out).toContain('| ❌ | エラー率 (%) | 33.33 |');
    expect(r.out).toContain('| SUCCEEDED | 4 |');
  });
});

describe('ops report weekly', () => {
  it('covers the previous Monday-to-Monday week: statistics, the error trend by code and day, the SLO and capacity', async () => {
    // act: on the Wednesday after, the same week as on the Monday.
    const monday = await report('weekly', '--at', jst('2026-12-07T09:00:00'));
    const wednesday = await report('weekly', '--at', jst('2026-12-09T15:00:00'));

    // assess
    expect(monday.window).toEqual({
      start: '2026-11-29T15:00:00.000Z',
      end: '2026-12-06T15:00:00.000Z',
      label: '2026-11-30 00:00 JST – 2026-12-07 00:00 JST',
    });
    expect(wednesday.window).toEqual(monday.window);
    expect(section(monday, 'processing').table!.rows).toEqual([
      ['SUBGOAL_GENERATION', 4, 3, 1, 0, 0],
      ['ACTION_GENERATION', 3, 0, 0, 1, 0],
      ['TASK_GENERATION', 3, 1, 1, 0, 1],
      ['TOTAL', 10, 4, 2, 1, 1],
    ]);
    const zero = PROCESS_ERROR_CODES.map(() => 0);
    expect(section(monday, 'error-trend').table).toEqual({
      columns: ['day (JST)', ...PROCESS_ERROR_CODES],
      rows: [
        ...['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'].map((d) => [d, ...zero]),
        ['2026-12-05', ...PROCESS_ERROR_CODES.map((c) => (c === 'DATABASE_ERROR' ? 1 : 0))],
        ['2026-12-06', ...PROCESS_ERROR_CODES.map((c) => (c === 'AI_ERROR' || c === 'TIMEOUT_ERROR' ? 1 : 0))],
        ['TOTAL', ...PROCESS_ERROR_CODES.map((c) => (c === 'VALIDATION_ERROR' ? 0 : 1))],
      ],
    });
  });

  it('holds each SLO against the week: completion time per type, error and timeout rates; API latency is AWS-only', async () => {
    // act
    const r = await report('weekly', '--at', jst('2026-12-07T09:00:00'));

    // assess
    const slo = section(r, 'slo');
    expect(checkOf(slo, '開始API p95')).toMatchObject({
      value: null,
      status: 'unknown',
      note: expect.stringContaining('not available locally'),
    });
    expect(checkOf(slo, '平均完了時間 SUBGOAL_GENERATION')).toMatchObject({
      value: 5,
      status: 'ok',
      target: `${SLO.completionMinutes.SUBGOAL_GENERATION.join('-')} min`,
    });
    expect(checkOf(slo, '平均完了時間 ACTION_GENERATION')).toMatchObject({ value: null, status: 'unknown' });
    // Only the one of 1 s: the 12-minute one of November 29th is outside the week.
    expect(checkOf(slo, '平均完了時間 TASK_GENERATION')).toMatchObject({ value: 0.02, status: 'ok' });
    // 3 of the 7 that finished failed or timed out; 1 of 7 timed out.
    expect(checkOf(slo, 'エラー率')).toMatchObject({ value: 42.86, status: 'breach' });
    expect(checkOf(slo, 'タイムアウト率')).toMatchObject({ value: 14.29, status: 'breach' });
  });

  it('reports the database size against the guide’s plan, and says concurrency is AWS-only', async () => {
    // prepare
    const { rows } = await db.pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');

    // act
    const r = await report('weekly', '--at', jst('2026-12-07T09:00:00'));

    // assess
    const capacity = section(r, 'capacity');
    const reserved = Object.values(FUNCTIONS)
      .filter((f) => 'reservedConcurrency' in f)
      .map((f) => f.component);
    for (const component of reserved)
      expect(checkOf(capacity, component)).toMatchObject({
        value: null,
        status: 'unknown',
        note: expect.stringContaining('Lambda concurrency'),
      });
    expect(checkOf(capacity, 'データベース容量')).toEqual({
      item: 'データベース容量 (GB)',
      value: Math.round((Number(rows[0]!.bytes) / 1024 ** 3) * 1000) / 1000,
      target: `<= ${DB_CAPACITY.currentGb} GB`,
      status: 'ok',
    });
    expect(checkOf(capacity, '月間増加')).toMatchObject({
      value: null,
      status: 'unknown',
      target: `<= ${DB_CAPACITY.monthlyGrowthGb} GB/month`,
    });
  });
});

describe('ops report monthly', () => {
  it('covers the previous calendar month in JST, and says cost and the security audit are AWS-only', async () => {
    // act: 08:00 JST on January 1st is still December 31st in UTC.
    const december = await report('monthly', '--at', jst('2027-01-01T08:00:00'));
    const november = await report('monthly', '--at', jst('2026-12-01T09:00:00'));

    // assess
    expect(december.window).toEqual({
      start: '2026-11-30T15:00:00.000Z',
      end: '2026-12-31T15:00:00.000Z',
      label: '2026-12-01 00:00 JST – 2027-01-01 00:00 JST',
    });
    expect(section(december, 'processing').table!.rows.at(-1)).toEqual(['TOTAL', 11, 5, 2, 1, 1]);
    expect(section(november, 'processing').table!.rows.at(-1)).toEqual(['TOTAL', 1, 1, 0, 0, 0]);
    expect(section(december, 'cost')).toMatchObject({
      notes: [expect.stringMatching(/^Cost: not available: not available locally \(no AWS account: Cost Explorer/)],
    });
    expect(section(december, 'cost').checks).toBeUndefined();
    expect(section(december, 'security-audit')).toMatchObject({ notes: [expect.stringContaining('not available locally')] });
    expect(december.sections.map((s) => s.id)).toEqual(['processing', 'cost', 'slo', 'security-audit']);
  });
});
