/**
 * Weekly cleanup (データクリーンアップ) on a realistic volume: it deletes exactly the terminal rows
 * completed more than RETENTION.processingRecordsDays (the guide's 90) days ago, in batches, one cleaner at a time, with bounded lock waits.
 */
import { Pool } from 'pg';
import { DESIGN, RETENTION, TERMINAL_STATUSES } from '../../../guide';
import { cleanupExpiredProcesses, type CleanupReport } from '../../../functions/src/state/cleanup';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';

const NOW = new Date('2026-11-29T17:00:00.000Z'); // Sunday 02:00 JST
const DAY_MS = 86_400_000;
const CUTOFF = new Date(NOW.getTime() - RETENTION.processingRecordsDays * DAY_MS);
const OLD_TERMINAL = 100_000;
const YOUNG_TERMINAL = 2_000;
const OLD_ACTIVE = 1_000;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** Inserts `count` rows of category `tag`; `completedAt` / `startedAt` are SQL over `i` and $1 (now). */
async function insertRows(
  tag: string,
  count: number,
  status: string,
  completedAt: string,
  startedAt = `$1::timestamptz - interval '200 days'`,
): Promise<void> {
  await db.pool.query(
    `INSERT INTO processing_state (id, user_id, type, status, input, created_at, updated_at, started_at, completed_at)
     SELECT gen_random_uuid(), $2 || (i % 500), 'SUBGOAL_GENERATION', ${status}, '{"goal":{"title":"t"}}'::jsonb,
            ${startedAt}, ${startedAt}, ${startedAt}, ${completedAt}
       FROM generate_series(1, ${count}) AS i`,
    [NOW, `${tag}-`],
  );
}

const TERMINAL = `(ARRAY['${TERMINAL_STATUSES.join("','")}'])[1 + i % 4]`;

async function countByTag(): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`SELECT split_part(user_id, '-', 1) AS tag, count(*)::int AS n FROM processing_state GROUP BY 1`);
  return Object.fromEntries(rows.map((r) => [r.tag, r.n]));
}

describe('cleanupExpiredProcesses', () => {
  describe('on more than 100k rows', () => {
    let report: CleanupReport;
    let rival: CleanupReport | undefined;
    let batchSizes: number[];

    beforeAll(async () => {
      // prepare: old terminal rows (up to a year old), young terminal rows, old active rows, and the boundary
      await insertRows(
        'old',
        OLD_TERMINAL,
        TERMINAL,
        `$1::timestamptz - interval '${RETENTION.processingRecordsDays + 1} days' - (i % 275) * interval '1 day' - i * interval '1 second'`,
      );
      await insertRows(
        'young',
        YOUNG_TERMINAL,
        TERMINAL,
        `$1::timestamptz - (i % ${RETENTION.processingRecordsDays - 1}) * interval '1 day' - i * interval '1 second'`,
      );
      await insertRows('active', OLD_ACTIVE, `(ARRAY['PENDING','PROCESSING'])[1 + i % 2]`, 'NULL');
      await insertRows(
        'edgeold',
        1,
        `'COMPLETED'`,
        `$1::timestamptz - interval '${RETENTION.processingRecordsDays} days' - interval '1 millisecond'`,
      );
      await insertRows('edgekept', 1, `'FAILED'`, `$1::timestamptz - interval '${RETENTION.processingRecordsDays} days'`);
      await insertRows(
        'edgeyoung',
        1,
        `'TIMEOUT'`,
        `$1::timestamptz - interval '${RETENTION.processingRecordsDays} days' + interval '1 millisecond'`,
      );
      await db.pool.query('ANALYZE processing_state');

      // act: a second cleaner on its own connection tries while the first is between batches
      const rivalPool = new Pool({ connectionString: db.url, max: 1 });
      let rivalRun: Promise<CleanupReport> | undefined;
      batchSizes = [];
      try {
        report = await cleanupExpiredProcesses(db.pool, {
          now: NOW,
          onBatch: (deleted) => {
            batchSizes.push(deleted);
            rivalRun ??= cleanupExpiredProcesses(rivalPool, { now: NOW });
          },
        });
        rival = await rivalRun;
      } finally {
        await rivalPool.end();
      }
    }, 60_000);

    it(`deletes exactly the terminal rows completed more than ${RETENTION.processingRecordsDays} days ago`, async () => {
      // assess
      expect(report.ran).toBe(true);
      expect(report.deleted).toBe(OLD_TERMINAL + 1);
      expect(await countByTag()).toEqual({ young: YOUNG_TERMINAL, active: OLD_ACTIVE, edgekept: 1, edgeyoung: 1 });
    });

    it('leaves no terminal row older than the retention behind', async () => {
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM processing_state WHERE status = ANY($1) AND completed_at < $2', [
        [...TERMINAL_STATUSES],
        CUTOFF,
      ]);
      expect(rows[0].n).toBe(0);
    });

    it('deletes in batches of the design size', () => {
      const batch = DESIGN.cleanup.batchSize;
      expect(report.batches).toBe(Math.ceil((OLD_TERMINAL + 1) / batch));
      expect(batchSizes.slice(0, -1).every((n) => n === batch)).toBe(true);
      expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(report.deleted);
    });

    it('makes a second concurrent cleaner return ran=false without deleting anything', () => {
      expect(rival).toEqual({ ran: false, deleted: 0, batches: 0, lockTimeouts: 0, longestBatchMs: 0 });
    });
  });

  describe('with a few rows', () => {
    beforeEach(() => db.pool.query('TRUNCATE processing_state'));

    it('lets the next run start when the previous one finished (the advisory lock is released)', async () => {
      // prepare
      await insertRows('old', 10, TERMINAL, `$1::timestamptz - interval '${RETENTION.processingRecordsDays + 10} days'`);
      await cleanupExpiredProcesses(db.pool, { now: NOW });
      await insertRows('old', 3, TERMINAL, `$1::timestamptz - interval '${RETENTION.processingRecordsDays + 10} days'`);

      // act
      const second = await cleanupExpiredProcesses(db.pool, { now: NOW });

      // assess
      expect(second).toMatchObject({ ran: true, deleted: 3 });
    });

    it('starts no batch when the maintenance window has already ended', async () => {
      // prepare
      await insertRows('old', 10, TERMINAL, `$1::timestamptz - interval '${RETENTION.processingRecordsDays + 10} days'`);

      // act
      const report = await cleanupExpiredProcesses(db.pool, { now: NOW, deadline: new Date(Date.now() - 1) });

      // assess
      expect(report).toMatchObject({ ran: true, deleted: 0, batches: 0 });
      expect((await countByTag()).old).toBe(10);
    });

    it('skips a row another session holds and deletes it on the next run', async () => {
      // prepare
      await insertRows('old', 5, TERMINAL, `$1::timestamptz - interval '${RETENTION.processingRecordsDays + 10} days'`);
      const holder = await db.pool.connect();
      let report: CleanupReport;
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT id FROM processing_state ORDER BY completed_at LIMIT 1 FOR UPDATE`);

        // act
        report = await cleanupExpiredProcesses(db.pool, { now: NOW, lockTimeoutMs: 100 });
      } finally {
        await holder.query('COMMIT');
        holder.release();
      }

      // assess
      expect(report.deleted).toBe(4);
      expect((await cleanupExpiredProcesses(db.pool, { now: NOW })).deleted).toBe(1);
    });

    it('gives up a lock wait after lock_timeout and tries again when a table lock is held for a while', async () => {
      // prepare: SHARE mode blocks DELETE (ROW EXCLUSIVE) for 300 ms
      await insertRows('old', 5, TERMINAL, `$1::timestamptz - interval '${RETENTION.processingRecordsDays + 10} days'`);
      const holder = await db.pool.connect();
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE processing_state IN SHARE MODE');
      const release = new Promise<void>((resolve) =>
        setTimeout(() => {
          void holder.query('COMMIT').then(() => {
            holder.release();
            resolve();
          });
        }, 300),
      );

      // act
      const report = await cleanupExpiredProcesses(db.pool, { now: NOW, lockTimeoutMs: 50 });
      await release;

      // assess
      expect(report.lockTimeouts).toBeGreaterThanOrEqual(1);
      expect(report.deleted).toBe(5);
    });

    it('clears rate-limit windows older than an hour', async () => {
      // prepare
      await db.pool.query(
        `INSERT INTO api_rate_limit (user_id, window_start, request_count) VALUES ('u', $1::timestamptz - interval '2 hours', 20), ('u', $1, 3)`,
        [NOW],
      );

      // act
      await cleanupExpiredProcesses(db.pool, { now: NOW });

      // assess
      const { rows } = await db.pool.query('SELECT request_count FROM api_rate_limit');
      expect(rows).toEqual([{ request_count: 3 }]);
    });
  });
});
