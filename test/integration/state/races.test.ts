/**
 * Races on real connections: every status change is one conditional statement, so when two
 * writers meet on one row exactly one wins and the row says which.
 *
 * To make the writers really meet, a third session holds the row lock while both statements are
 * sent; once both wait on it, the lock is released and they contend for the same row version.
 */
import { Pool } from 'pg';
import { API } from '../../../guide';
import type { ProcessRecord } from '../../../functions/src/domain/process';
import { ProcessingStateService } from '../../../functions/src/state/processing-state-service';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';
import { seedProcess, VALID_RESULTS } from '../../../harness/processes';

const ROUNDS = 5;

let db: TestDatabase;
let poolA: Pool;
let poolB: Pool;
let storeA: ProcessingStateService;
let storeB: ProcessingStateService;
beforeAll(async () => {
  db = await createTestDatabase();
  poolA = new Pool({ connectionString: db.url, max: 2 });
  poolB = new Pool({ connectionString: db.url, max: 2 });
  storeA = new ProcessingStateService(poolA);
  storeB = new ProcessingStateService(poolB);
});
afterAll(async () => {
  await Promise.all([poolA.end(), poolB.end()]);
  await db.drop();
});

async function waitingOnLocks(): Promise<number> {
  const { rows } = await db.pool.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0].n;
}

/**
 * Runs both writers against the row `id` so that they meet on its lock. A writer whose condition
 * is already false in its snapshot does not wait for the lock: it finishes at once.
 */
async function contend<A, B>(id: string, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  const holder = await db.pool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM processing_state WHERE id = $1 FOR UPDATE', [id]);
    let settled = 0;
    const track = <T>(p: Promise<T>) => p.finally(() => void settled++);
    const both = Promise.all([track(a()), track(b())]);
    const deadline = Date.now() + 3000;
    while ((await waitingOnLocks()) + settled < 2) {
      if (Date.now() > deadline) throw new Error('The writers neither waited on the row lock nor finished');
      await new Promise((r) => setTimeout(r, 5));
    }
    await holder.query('COMMIT');
    return await both;
  } finally {
    holder.release();
  }
}

const row = async (id: string) => (await db.pool.query('SELECT * FROM processing_state WHERE id = $1', [id])).rows[0];

describe('ProcessingStateService races', () => {
  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'lets exactly one of cancel and complete win when they meet (round %i)',
    async () => {
      // prepare
      const p = await seedProcess(storeA, { status: 'PROCESSING' });

      // act
      const [cancel, complete] = await contend(
        p.id,
        () => storeA.cancel(p.id, p.userId, new Date()),
        () => storeB.complete(p.id, p.attempt, VALID_RESULTS.SUBGOAL_GENERATION, new Date()),
      );

      // assess
      const cancelWon = cancel.kind === 'cancelled';
      const completeWon = complete !== null;
      expect(cancelWon !== completeWon).toBe(true);
      const final = await row(p.id);
      expect(final.status).toBe(cancelWon ? 'CANCELLED' : 'COMPLETED');
      expect(final.completed_at).not.toBeNull();
      expect(final.result).toEqual(cancelWon ? null : VALID_RESULTS.SUBGOAL_GENERATION);
      if (!cancelWon) expect(cancel).toMatchObject({ kind: 'invalid-state', process: { status: 'COMPLETED' } });
    },
  );

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'lets exactly one of cancel and a worker failure win when they meet (round %i)',
    async () => {
      // prepare
      const p = await seedProcess(storeA, { status: 'PROCESSING' });

      // act
      const [cancel, fail] = await contend(
        p.id,
        () => storeA.cancel(p.id, p.userId, new Date()),
        () => storeB.fail(p.id, p.attempt, 'FAILED', 'AI_ERROR', 'rejected', new Date()),
      );

      // assess
      expect((cancel.kind === 'cancelled') !== (fail !== null)).toBe(true);
      const final = await row(p.id);
      expect(final.status).toBe(cancel.kind === 'cancelled' ? 'CANCELLED' : 'FAILED');
      expect(final.error_code).toBe(cancel.kind === 'cancelled' ? null : 'AI_ERROR');
    },
  );

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'ends retry and cancel in one consistent state when they meet on a FAILED process (round %i)',
    async () => {
      // prepare
      const p = await seedProcess(storeA, { status: 'FAILED' });

      // act
      const [retry, cancel] = await contend(
        p.id,
        () => storeA.beginRetry(p.id, p.userId, API.retryCap, new Date()),
        () => storeB.cancel(p.id, p.userId, new Date()),
      );

      // assess: cancel can only win after the retry made the process active again
      expect(retry.kind).toBe('retried');
      const final = await row(p.id);
      expect(final).toMatchObject({ attempt: 2, retry_count: 1 });
      if (cancel.kind === 'cancelled') {
        expect(final.status).toBe('CANCELLED');
        expect(final.completed_at).not.toBeNull();
      } else {
        expect(cancel).toMatchObject({ kind: 'invalid-state', process: { status: 'FAILED' } });
        expect(final.status).toBe('PENDING');
        expect(final.completed_at).toBeNull();
      }
    },
  );

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'ends in exactly one terminal state when a cancel meets the undo of a retry whose start failed (round %i)',
    async () => {
      // prepare: a retry began (PENDING, attempt 2) and its workflow start failed
      const p = await seedProcess(storeA, { status: 'FAILED' });
      const retry = await storeA.beginRetry(p.id, p.userId, API.retryCap, new Date());
      if (retry.kind !== 'retried') throw new Error(retry.kind);

      // act
      const [revert, cancel] = await contend(
        p.id,
        () => storeA.revertRetry(retry.previous, new Date()),
        () => storeB.cancel(p.id, p.userId, new Date()),
      );

      // assess
      expect((revert !== null) !== (cancel.kind === 'cancelled')).toBe(true);
      const final = await row(p.id);
      if (revert) {
        expect(final).toMatchObject({ status: 'FAILED', attempt: 1, retry_count: 0, error_code: 'AI_ERROR' });
        expect(cancel).toMatchObject({ kind: 'invalid-state', process: { status: 'FAILED' } });
      } else {
        expect(final).toMatchObject({ status: 'CANCELLED', attempt: 2, retry_count: 1, error_code: null });
      }
      expect(final.completed_at).not.toBeNull();
    },
  );

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('starts exactly one new attempt when two retries meet (round %i)', async () => {
    // prepare
    const p = await seedProcess(storeA, { status: 'TIMEOUT' });

    // act
    const outcomes = await contend(
      p.id,
      () => storeA.beginRetry(p.id, p.userId, API.retryCap, new Date()),
      () => storeB.beginRetry(p.id, p.userId, API.retryCap, new Date()),
    );

    // assess
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['invalid-state', 'retried']);
    expect(await row(p.id)).toMatchObject({ status: 'PENDING', attempt: 2, retry_count: 1 });
  });

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('stores a step once when two invocations of it meet (round %i)', async () => {
    // prepare
    const p = await seedProcess(storeA, { status: 'PROCESSING' });
    const slice = [{ title: 't', description: 'd' }];

    // act
    const [a, b] = await contend(
      p.id,
      () => storeA.appendSlice(p.id, p.attempt, 0, slice, 28, new Date()),
      () => storeB.appendSlice(p.id, p.attempt, 0, slice, 28, new Date()),
    );

    // assess
    expect([a, b].filter((r) => r !== null)).toHaveLength(1);
    expect((await row(p.id)).partial_result).toEqual([slice]);
  });
});

describe('ProcessingStateService writes from a superseded attempt', () => {
  let current: ProcessRecord;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    const failed = await seedProcess(storeA, { status: 'FAILED' });
    const retry = await storeA.beginRetry(failed.id, failed.userId, API.retryCap, new Date());
    if (retry.kind !== 'retried') throw new Error(retry.kind);
    current = (await storeA.markProcessing(failed.id, retry.process.attempt, new Date()))!;
    before = await row(current.id);
  });

  it.each<[string, () => Promise<unknown>]>([
    ['markProcessing', () => storeB.markProcessing(current.id, 1, new Date())],
    ['appendSlice', () => storeB.appendSlice(current.id, 1, 0, [{ title: 'late', description: 'late' }], 28, new Date())],
    ['complete', () => storeB.complete(current.id, 1, VALID_RESULTS.SUBGOAL_GENERATION, new Date())],
    ['fail', () => storeB.fail(current.id, 1, 'TIMEOUT', 'TIMEOUT_ERROR', 'late', new Date())],
    ['recordExecution', () => storeB.recordExecution(current.id, 1, 'old', 'arn:old', new Date())],
  ])('changes nothing when attempt 1 calls %s after attempt 2 started', async (_name, write) => {
    // act
    const result = await write();

    // assess
    expect(result).toBeNull();
    expect(await row(current.id)).toEqual(before);
  });
});
