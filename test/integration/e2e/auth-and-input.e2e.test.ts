/** What the local API Gateway refuses: bad tokens (401), bad bodies (400/413), too many requests (429). */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../../local/auth';
import { AUTH, API } from '../../../guide';
import { useLocalRuntime } from '../../../harness/local-runtime';

const BODY = { type: 'TASK_GENERATION', input: { action: { title: 'Write the first chapter' } } };

describe('local runtime: authentication and input', () => {
  const fixture = useLocalRuntime({ AIP_RATE_LIMIT_REQUESTS: String(AUTH.rateLimit.requests) });

  it('accepts a token printed by `npm run token`', async () => {
    const root = resolve(__dirname, '..', '..', '..');
    const token = execFileSync('npm', ['run', '--silent', 'token', '--', 'script-user'], {
      cwd: root,
      env: { ...process.env, AIP_DATA_DIR: fixture.rt.opts.dataDir },
    })
      .toString()
      .trim();

    const res = await fixture.rt.request('POST', '/v1/processes', { token, body: BODY });

    expect(res.status).toBe(202);
  });

  describe.each([
    ['no token', async () => undefined],
    [
      'a token signed with another key',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT({})
          .setProtectedHeader({ alg: 'RS256' })
          .setSubject('mallory')
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey);
      },
    ],
    ['an expired token', async () => fixture.rt.token('bob', { expiresInSeconds: -60 })],
    ['a token for another audience', async () => fixture.rt.token('bob', { audience: 'some-other-api' })],
    ['a token from another issuer', async () => fixture.rt.token('bob', { issuer: 'https://issuer.invalid' })],
    ['a token valid for longer than 24 h', async () => fixture.rt.token('bob', { expiresInSeconds: 48 * 3600 })],
  ])('with %s', (_name, makeToken) => {
    it('answers 401 UNAUTHORIZED', async () => {
      const token = await makeToken();

      const res = await fixture.rt.request('POST', '/v1/processes', { token, body: BODY });

      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'UNAUTHORIZED', requestId: expect.any(String) });
    });
  });

  it.each([
    ['malformed JSON', { rawBody: '{"type":', headers: { 'content-type': 'application/json' } }],
    ['an unknown type', { body: { type: 'POEM_GENERATION', input: {} } }],
    ['a missing goal title', { body: { type: 'SUBGOAL_GENERATION', input: { goal: {} } } }],
    ['an impossible deadline', { body: { type: 'SUBGOAL_GENERATION', input: { goal: { title: 'x', deadline: '2027-02-30' } } } }],
  ])('answers 400 VALIDATION_ERROR for %s', async (_name, opts) => {
    const res = await fixture.rt.request('POST', '/v1/processes', { token: await fixture.rt.token('carol'), ...opts });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a body over 16 KiB', async () => {
    const big = { type: 'SUBGOAL_GENERATION', input: { goal: { title: 'x', description: 'y'.repeat(API.maxBodyBytes + 1024) } } };

    const res = await fixture.rt.request('POST', '/v1/processes', { token: await fixture.rt.token('dave'), body: big });

    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it(`answers 429 with Retry-After past ${AUTH.rateLimit.requests} requests a minute, and another user is unaffected`, async () => {
    const token = await fixture.rt.token('eve');
    // Windows are whole minutes: start early in one so all requests fall into it.
    const msLeft = 60_000 - (Date.now() % 60_000);
    if (msLeft < 10_000) await new Promise((r) => setTimeout(r, msLeft + 100));
    const statuses: number[] = [];
    for (let i = 0; i < AUTH.rateLimit.requests + 1; i++) {
      statuses.push((await fixture.rt.request('GET', '/v1/processes/00000000-0000-4000-8000-000000000000', { token })).status);
    }
    const limited = await fixture.rt.request('GET', '/v1/processes/00000000-0000-4000-8000-000000000000', { token });
    const other = await fixture.rt.request('GET', '/v1/processes/00000000-0000-4000-8000-000000000000', {
      token: await fixture.rt.token('frank'),
    });

    expect(statuses.slice(0, AUTH.rateLimit.requests)).toEqual(Array(AUTH.rateLimit.requests).fill(404));
    expect(statuses[AUTH.rateLimit.requests]).toBe(429);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(other.status).toBe(404);
  });
});
