/** The application rate limit (AUTH.rateLimit: the guide's requests per minute per user), counted in PostgreSQL for every instance. */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { AUTH } from '../../../guide';
import { RateLimitedError } from '../../../functions/src/domain/errors';
import { ProcessingStateService } from '../../../functions/src/state/processing-state-service';
import { RateLimiter } from '../../../functions/src/state/rate-limiter';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';
import { ManualClock } from '../../helpers/fakes';
import { newUserId } from '../../../harness/processes';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function consumeAll(limiter: RateLimiter, userId: string, n: number, now: Date): Promise<void> {
  for (let i = 0; i < n; i++) await limiter.consume(userId, now);
}

describe('RateLimiter', () => {
  it('refuses the 21st request in a window with RateLimitedError and the seconds left as Retry-After', async () => {
    // prepare: 10 s into a one-minute window
    const limiter = new RateLimiter(db.pool);
    const clock = new ManualClock('2026-11-29T03:00:10.000Z');
    const userId = newUserId();
    await consumeAll(limiter, userId, AUTH.rateLimit.requests, clock.now());

    // act
    const refused = limiter.consume(userId, clock.now());

    // assess
    await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limiter.consume(userId, clock.now())).rejects.toMatchObject({ retryAfterSeconds: 50, headers: { 'Retry-After': '50' } });
  });

  it('counts down the remaining requests of the window when requests are allowed', async () => {
    const limiter = new RateLimiter(db.pool);
    const userId = newUserId();
    const now = new Date('2026-11-29T03:00:00.000Z');
    expect(await limiter.consume(userId, now)).toEqual({ count: 1, remaining: AUTH.rateLimit.requests - 1 });
    expect(await limiter.consume(userId, now)).toEqual({ count: 2, remaining: AUTH.rateLimit.requests - 2 });
  });

  it('leaves another user unaffected when one user is over the limit', async () => {
    // prepare
    const limiter = new RateLimiter(db.pool);
    const now = new Date('2026-11-29T03:00:30.000Z');
    const noisy = newUserId();
    await consumeAll(limiter, noisy, AUTH.rateLimit.requests, now);
    await expect(limiter.consume(noisy, now)).rejects.toBeInstanceOf(RateLimitedError);

    // act
    const other = await limiter.consume(newUserId(), now);

    // assess
    expect(other.count).toBe(1);
  });

  it('allows the user again when the next window starts', async () => {
    // prepare
    const limiter = new RateLimiter(db.pool);
    const clock = new ManualClock('2026-11-29T03:00:59.000Z');
    const userId = newUserId();
    await consumeAll(limiter, userId, AUTH.rateLimit.requests, clock.now());
    await expect(limiter.consume(userId, clock.now())).rejects.toMatchObject({ retryAfterSeconds: 1 });

    // act
    const next = await limiter.consume(userId, clock.advance(1000).now());

    // assess
    expect(next.count).toBe(1);
  });

  it('shares the count between instances on separate connections when requests arrive at once', async () => {
    // prepare: two "Lambda instances", each with its own pool
    const pools = [new Pool({ connectionString: db.url, max: 5 }), new Pool({ connectionString: db.url, max: 5 })];
    const limiters = pools.map((p) => new RateLimiter(p));
    const userId = newUserId();
    const now = new Date('2026-11-29T03:00:20.000Z');
    try {
      // act
      const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => limiters[i % 2]!.consume(userId, now)));

      // assess
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(AUTH.rateLimit.requests);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(refused).toHaveLength(30 - AUTH.rateLimit.requests);
      expect(refused.every((o) => o.reason instanceof RateLimitedError)).toBe(true);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('counts a status check and reads the process in one statement: the own process, null for a missing or foreign one', async () => {
    // prepare
    const limiter = new RateLimiter(db.pool);
    const store = new ProcessingStateService(db.pool);
    const now = new Date('2026-11-29T03:00:05.000Z');
    const owner = newUserId();
    const { process } = await store.create({ id: randomUUID(), userId: owner, type: 'SUBGOAL_GENERATION', input: { goal: 'g' }, now });

    // act
    const own = await limiter.consumeAndGet(owner, now, process.id);
    const foreign = await limiter.consumeAndGet(newUserId(), now, process.id);
    const missing = await limiter.consumeAndGet(owner, now, randomUUID());

    // assess: the record as the store reads it, and both of the owner's requests counted
    expect(own).toEqual(await store.getForUser(process.id, owner));
    expect(foreign).toBeNull();
    expect(missing).toBeNull();
    expect(await limiter.consume(owner, now)).toEqual({ count: 3, remaining: AUTH.rateLimit.requests - 3 });
  });

  it('refuses a status check past the limit with RateLimitedError, as consume does', async () => {
    const limiter = new RateLimiter(db.pool);
    const now = new Date('2026-11-29T03:00:40.000Z');
    const userId = newUserId();
    await consumeAll(limiter, userId, AUTH.rateLimit.requests, now);
    await expect(limiter.consumeAndGet(userId, now, randomUUID())).rejects.toMatchObject({ retryAfterSeconds: 20 });
  });

  it('keeps its counters in an unlogged table (no WAL flush per request) while every process row stays durable', async () => {
    const { rows } = await db.pool.query<{ relname: string; relpersistence: string }>(
      "SELECT relname, relpersistence FROM pg_class WHERE relname IN ('api_rate_limit', 'processing_state') ORDER BY relname",
    );
    expect(rows).toEqual([
      { relname: 'api_rate_limit', relpersistence: 'u' },
      { relname: 'processing_state', relpersistence: 'p' },
    ]);
  });
});
