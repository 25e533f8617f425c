/**
 * The application rate limit (API認証: 20 requests/min/user), counted in PostgreSQL so every
 * handler instance shares it. Fixed one-minute windows: one upsert per request.
 */
import type { Pool } from 'pg';
import { AUTH } from '../../../guide';
import { RateLimitedError } from '../domain/errors';

export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export class RateLimiter {
  constructor(
    private readonly pool: Pool,
    private readonly limit: RateLimit = AUTH.rateLimit,
  ) {}

  /** Counts one request of `userId`; throws RateLimitedError (429, Retry-After) past the limit. */
  async consume(userId: string, now: Date): Promise<{ count: number; remaining: number }> {
    const windowMs = this.limit.windowSeconds * 1000;
    const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
    const { rows } = await this.pool.query<{ request_count: number }>(
      `INSERT INTO api_rate_limit (user_id, window_start, request_count) VALUES ($1, $2, 1)
       ON CONFLICT (user_id, window_start) DO UPDATE SET request_count = api_rate_limit.request_count + 1
       RETURNING request_count`,
      [userId, windowStart],
    );
    const count = rows[0]!.request_count;
    if (count > this.limit.requests) {
      const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
      throw new RateLimitedError(retryAfter);
    }
    return { count, remaining: this.limit.requests - count };
  }
}
