/**
 * Idempotent create on the real database: one process per (user, Idempotency-Key), also when
 * duplicates arrive at once on separate connections.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { IdempotencyKeyReusedError } from '../../../functions/src/domain/errors';
import { ProcessingStateService, type CreateProcess } from '../../../functions/src/state/processing-state-service';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';
import { newUserId, VALID_INPUTS } from '../../../harness/processes';

let db: TestDatabase;
let store: ProcessingStateService;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new ProcessingStateService(db.pool);
});
afterAll(() => db.drop());

const request = (userId: string, key: string | undefined, hash = 'hash-a'): CreateProcess => ({
  id: randomUUID(),
  userId,
  type: 'SUBGOAL_GENERATION',
  input: VALID_INPUTS.SUBGOAL_GENERATION,
  idempotencyKey: key,
  requestHash: key ? hash : undefined,
  now: new Date(),
});

const rowsOf = async (userId: string) => (await db.pool.query('SELECT id FROM processing_state WHERE user_id = $1', [userId])).rows;

describe('ProcessingStateService.create', () => {
  it('returns the first process and creates no second row when the same key and body come twice', async () => {
    // prepare
    const userId = newUserId();
    const first = await store.create(request(userId, 'key-1'));

    // act
    const second = await store.create(request(userId, 'key-1'));

    // assess
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.process).toEqual(first.process);
    expect(await rowsOf(userId)).toHaveLength(1);
  });

  it('throws IdempotencyKeyReusedError and keeps the first process when the same key comes with another body', async () => {
    // prepare
    const userId = newUserId();
    const first = await store.create(request(userId, 'key-1', 'hash-a'));

    // act
    const attempt = store.create(request(userId, 'key-1', 'hash-b'));

    // assess
    await expect(attempt).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await rowsOf(userId)).toEqual([{ id: first.process.id }]);
  });

  it('creates separate processes when two users use the same key', async () => {
    // act
    const a = await store.create(request(newUserId(), 'shared-key'));
    const b = await store.create(request(newUserId(), 'shared-key'));

    // assess
    expect(a.created && b.created).toBe(true);
    expect(a.process.id).not.toBe(b.process.id);
  });

  it('creates a new process every time when no key is given', async () => {
    // prepare
    const userId = newUserId();

    // act
    await store.create(request(userId, undefined));
    await store.create(request(userId, undefined));

    // assess
    expect(await rowsOf(userId)).toHaveLength(2);
  });

  it('creates exactly one process when 10 duplicates arrive at once on separate connections', async () => {
    // prepare: ten pools, so every request runs on its own server session
    const pools = Array.from({ length: 10 }, () => new Pool({ connectionString: db.url, max: 1 }));
    const userId = newUserId();
    try {
      for (let round = 0; round < 3; round++) {
        const key = `key-concurrent-${round}`;
        await Promise.all(pools.map((p) => p.query('SELECT 1'))); // connect first, so the creates start together

        // act
        const results = await Promise.all(pools.map((p) => new ProcessingStateService(p).create(request(userId, key))));

        // assess
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.process.id)).size).toBe(1);
        const { rows } = await db.pool.query(
          'SELECT count(*)::int AS n FROM processing_state WHERE user_id = $1 AND idempotency_key = $2',
          [userId, key],
        );
        expect(rows[0].n).toBe(1);
      }
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('lets the key be used again when the first process was discarded because its start failed', async () => {
    // prepare
    const userId = newUserId();
    const first = await store.create(request(userId, 'key-retry'));
    expect(await store.discardUnstarted(first.process.id)).toBe(true);

    // act
    const again = await store.create(request(userId, 'key-retry'));

    // assess
    expect(again.created).toBe(true);
    expect(again.process.id).not.toBe(first.process.id);
  });
});

describe('ProcessingStateService.discardUnstarted', () => {
  it('keeps a process whose execution was recorded', async () => {
    // prepare
    const { process } = await store.create(request(newUserId(), undefined));
    await store.recordExecution(process.id, 1, 'name', 'arn:aws:states:::execution:x:name', new Date());

    // act + assess
    expect(await store.discardUnstarted(process.id)).toBe(false);
    expect(await store.get(process.id)).not.toBeNull();
  });
});
