/**
 * The application rate limit (API認証: 20 requests/min/user), counted in PostgreSQL so every
 * handler instance shares it. Fixed one-minute windows: one upsert per request.
 */
import type { Pool } from 'pg';
import { AUTH } from '../../../guide';
import { RateLimitedError } from '../domain/errors';
import type { ProcessRecord } from '../domain/process';
import { fromRow } from './rows';

export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

const COUNT = `INSERT INTO api_rate_limit (user_id, window_start, request_count) VALUES ($1, $2, 1)
       ON CONFLICT (user_id, window_start) DO UPDATE SET request_count = api_rate_limit.request_count + 1
       RETURNING request_count`;

export class RateLimiter {
  constructor(
    private readonly pool: Pool,
    private readonly limit: RateLimit = AUTH.rateLimit,
  ) {}

  /** Counts one request of `userId`; throws RateLimitedError (429, Retry-After) past the limit. */
  async consume(userId: string, now: Date): Promise<{ count: number; remaining: number }> {
    const windowStart = this.windowOf(now);
    const { rows } = await this.pool.query<{ request_count: number }>(COUNT, [userId, windowStart]);
    return this.allow(rows[0]!.request_count, windowStart, now);
  }

  /**
   * Counts one request of `userId` and reads the user's process `processId` in the same statement:
   * the status check's one round trip instead of two. Past the limit it throws RateLimitedError
   * like `consume` (the row read is not returned). A null `processId` (the path held no UUID)
   * counts the request and reads nothing.
   */
  async consumeAndGet(userId: string, now: Date, processId: string | null): Promise<ProcessRecord | null> {
    const windowStart = this.windowOf(now);
    const { rows } = await this.pool.query(
      `WITH counted AS (${COUNT})
       SELECT counted.request_count AS rate_limit_count, p.*
       FROM counted LEFT JOIN processing_state p ON p.id = $3 AND p.user_id = $1`,
      [userId, windowStart, processId],
    );
    const row = rows[0]!;
    this.allow(row.rate_limit_count, windowStart, now);
    return row.id ? fromRow(row) : null;
  }

  private windowOf(now: Date): Date {
    const windowMs = this.limit.windowSeconds * 1000;
    return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  }

  private allow(count: number, windowStart: Date, now: Date): { count: number; remaining: number } {
    if (count > this.limit.requests) {
      const windowEnd = windowStart.getTime() + this.limit.windowSeconds * 1000;
      throw new RateLimitedError(Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)));
    }
    return { count, remaining: this.limit.requests - count };
  }
}
