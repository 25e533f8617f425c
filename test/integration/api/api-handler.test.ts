/**
 * What every route shares (http/api-handler.ts): the JWT subject, the per-user rate limit, and one
 * place where failures become the contract's errors without internals.
 */
import { randomUUID } from 'node:crypto';
import { AUTH, METRICS } from '../../../guide';
import { handler as cancelHandler } from '../../../functions/src/handlers/cancel-handler';
import { handler as retryHandler } from '../../../functions/src/handlers/retry-handler';
import { handler as startHandler } from '../../../functions/src/handlers/async-processing-handler';
import { handler as statusHandler } from '../../../functions/src/handlers/status-check-handler';
import { createPool } from '../../../functions/src/state/pool';
import { useWiredDatabase, wireDependencies } from '../../helpers/dependencies';
import { apiEvent, invoke, parseResponse, type ApiEventOptions, type ApiHandler } from '../../helpers/events';
import { ManualClock } from '../../helpers/fakes';
import { captureOutput } from '../../helpers/output';
import { newUserId, startBody } from '../../../harness/processes';

const ctx = useWiredDatabase();

const ROUTES: [string, ApiHandler, (userId: string | null) => ApiEventOptions][] = [
  ['start', startHandler, (userId) => ({ userId, path: '/v1/processes', body: startBody() })],
  ['status', statusHandler, (userId) => ({ userId, method: 'GET', path: `/v1/processes/${randomUUID()}` })],
  ['retry', retryHandler, (userId) => ({ userId, path: `/v1/processes/${randomUUID()}/retry` })],
  ['cancel', cancelHandler, (userId) => ({ userId, path: `/v1/processes/${randomUUID()}/cancel` })],
];

/** EMF metric names printed while `fn` ran. */
async function metricsPrintedBy(fn: () => Promise<unknown>): Promise<string[]> {
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  const output = captureOutput();
  try {
    await fn();
  } finally {
    output.restore();
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  }
  return output
    .json()
    .flatMap(({ entry }) =>
      (entry._aws?.CloudWatchMetrics ?? []).flatMap((d: { Metrics: { Name: string }[] }) => d.Metrics.map((m) => m.Name)),
    );
}

describe('apiHandler', () => {
  describe.each(ROUTES)('on the %s route', (_name, handler, event) => {
    it('answers 401 UNAUTHORIZED when the event carries no JWT subject', async () => {
      // act
      const res = await invoke(handler, event(null));

      // assess
      expect(res.statusCode).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'UNAUTHORIZED', requestId: expect.stringMatching(/^req-/) });
    });

    it('answers 401 UNAUTHORIZED when the subject is empty', async () => {
      expect((await invoke(handler, event(''))).statusCode).toBe(401);
    });

    it.each<[string, unknown]>([
      ['missing', undefined],
      ['empty', ''],
      ['a number', 42],
      ['an object', { a: 1 }],
      ['an array', ['u']],
      ['a string with NUL', 'u\u0000'],
      ['a lone surrogate', '\ud800'],
      ['longer than 255 characters', 'u'.repeat(256)],
    ])('answers 401 with WWW-Authenticate: Bearer when the subject is %s', async (_name, sub) => {
      // prepare: the claims as an authorizer other than API Gateway's might pass them
      const e = apiEvent(event('placeholder'));
      (e.requestContext.authorizer.jwt.claims as Record<string, unknown>).sub = sub;

      // act
      const res = parseResponse(await handler(e));

      // assess
      expect(res.statusCode).toBe(401);
      expect(res.headers['WWW-Authenticate']).toBe('Bearer');
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    });
  });

  it('counts an AuthFailures metric when a request has no subject', async () => {
    const names = await metricsPrintedBy(() => invoke(statusHandler, ROUTES[1]![2](null)));
    expect(names).toContain(METRICS.authFailures.name);
  });

  describe('rate limit', () => {
    it(`answers 429 RATE_LIMITED with Retry-After on request ${AUTH.rateLimit.requests + 1} of a minute, across routes`, async () => {
      // prepare: 15 s into a window
      wireDependencies(ctx.db.pool, { clock: new ManualClock('2026-11-29T03:00:15.000Z') });
      const userId = newUserId();
      for (let i = 0; i < AUTH.rateLimit.requests; i++) {
        const [, handler, event] = ROUTES[i % ROUTES.length]!;
        expect((await invoke(handler, event(userId))).statusCode).not.toBe(429);
      }

      // act
      const res = await invoke(statusHandler, ROUTES[1]![2](userId));

      // assess
      expect(res.statusCode).toBe(429);
      expect(res.body.error).toMatchObject({ code: 'RATE_LIMITED' });
      expect(res.headers['Retry-After']).toBe('45');
    });

    it('counts status checks of a missing process and of a malformed id too, and answers 429 before their 404 or 400', async () => {
      // prepare: the status route counts the request in its own statement (one round trip)
      wireDependencies(ctx.db.pool, { clock: new ManualClock('2026-11-29T03:02:15.000Z') });
      const userId = newUserId();
      const missing = (): ApiEventOptions => ({ userId, method: 'GET', path: `/v1/processes/${randomUUID()}` });
      const malformed = (): ApiEventOptions => ({ userId, method: 'GET', path: '/v1/processes/not-a-uuid' });
      const answers: number[] = [];
      for (let i = 0; i < AUTH.rateLimit.requests; i++)
        answers.push((await invoke(statusHandler, i % 2 ? missing() : malformed())).statusCode);

      // act
      const limited = [await invoke(statusHandler, missing()), await invoke(statusHandler, malformed())];

      // assess
      expect(new Set(answers)).toEqual(new Set([400, 404]));
      expect(limited.map((r) => r.statusCode)).toEqual([429, 429]);
      expect(limited[0]!.headers['Retry-After']).toBe('45');
    });

    it('leaves another user unaffected when one user is limited', async () => {
      // prepare
      wireDependencies(ctx.db.pool, { clock: new ManualClock('2026-11-29T03:01:15.000Z') });
      const noisy = newUserId();
      for (let i = 0; i <= AUTH.rateLimit.requests; i++) await invoke(statusHandler, ROUTES[1]![2](noisy));

      // act
      const other = await invoke(startHandler, ROUTES[0]![2](newUserId()));

      // assess
      expect(other.statusCode).toBe(202);
      expect((await invoke(statusHandler, ROUTES[1]![2](noisy))).statusCode).toBe(429);
    });

    it('counts a RateLimitExceeded metric when a request is limited', async () => {
      // prepare
      wireDependencies(ctx.db.pool, { clock: new ManualClock('2026-11-29T03:02:15.000Z') });
      const userId = newUserId();
      for (let i = 0; i < AUTH.rateLimit.requests; i++) await invoke(statusHandler, ROUTES[1]![2](userId));

      // act
      const names = await metricsPrintedBy(() => invoke(statusHandler, ROUTES[1]![2](userId)));

      // assess
      expect(names).toEqual([METRICS.rateLimited.name]);
    });
  });

  describe('when the database cannot be reached', () => {
    const unreachable = () => createPool({ connectionString: 'postgres://app:secret@127.0.0.1:1/app', connectionTimeoutMillis: 1000 });

    it.each(ROUTES)('answers 503 SERVICE_UNAVAILABLE with Retry-After on the %s route', async (_name, handler, event) => {
      // prepare
      const pool = unreachable();
      wireDependencies(pool);

      // act
      const res = await invoke(handler, event(newUserId()));
      await pool.end();

      // assess
      expect(res.statusCode).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(Number(res.headers['Retry-After'])).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|secret/);
    });

    it('does not count the outage as a rate-limit hit', async () => {
      // prepare
      const pool = unreachable();
      wireDependencies(pool);

      // act
      const names = await metricsPrintedBy(() => invoke(statusHandler, ROUTES[1]![2](newUserId())));
      await pool.end();

      // assess
      expect(names).not.toContain(METRICS.rateLimited.name);
    });
  });

  describe('when a statement fails inside the service', () => {
    // A real SQL failure: the column the INSERT writes is gone for the duration of the test.
    beforeAll(() => ctx.db.pool.query('ALTER TABLE processing_state RENAME COLUMN request_hash TO request_hash_gone'));
    afterAll(() => ctx.db.pool.query('ALTER TABLE processing_state RENAME COLUMN request_hash_gone TO request_hash'));

    it('answers 500 INTERNAL_ERROR with a generic message and no SQL, table or stack', async () => {
      // act
      const res = await invoke(startHandler, { userId: newUserId(), path: '/v1/processes', body: startBody() });

      // assess
      expect(res.statusCode).toBe(500);
      expect(res.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'An internal error occurred', requestId: expect.any(String) } });
    });
  });
});
