/**
 * The local API's edge (local/api-server.ts) on its own: what it answers to requests no client
 * should send, over a bare socket. The routes invoke a stand-in for the handler Lambda that echoes
 * what API Gateway handed it; the real handlers are exercised end to end in test/integration/e2e.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { API, DESIGN } from '../../../guide';
import { startApiServer, type HealthReport } from '../../../local/api-server';
import type { LambdaHandler, RouteSpec } from '../../../local/api-gateway';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, issueToken, loadKeys, type LocalKeys } from '../../../local/auth';
import { FaultControl } from '../../../local/bedrock-server';
import { rawExchange, rawRequest, type RawExchange } from '../../../harness/raw-http';
import { REPO_ROOT } from '../../../infra/build/bundle';
import { OPENAPI_PATH } from '../../../infra/specs/openapi';

const PROCESS_ID = '00000000-0000-4000-8000-000000000000';
/** Shorter than the runtime's, so a slow client is cut off in a second or two. */
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;

let keys: LocalKeys;
let dir: string;
let api: Awaited<ReturnType<typeof startApiServer>>;
let port: number;
let token: string;
let healthImpl: () => Promise<HealthReport>;
let handlerImpl: LambdaHandler;
const errors: string[] = [];

const echo: LambdaHandler = async (event) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ path: event.pathParameters, body: event.body }),
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aip-edge-'));
  keys = await loadKeys(dir);
  token = await issueToken(keys, 'edge-user');
  const handler: LambdaHandler = (event, ctx) => handlerImpl(event, ctx);
  const routes: RouteSpec[] = [
    { method: 'POST', path: '/v1/processes', functionName: 'start', timeoutSeconds: 1, handler },
    { method: 'GET', path: '/v1/processes/{processId}', functionName: 'status', timeoutSeconds: 1, handler },
    { method: 'POST', path: '/v1/processes/{processId}/retry', functionName: 'retry', timeoutSeconds: 1, handler },
    { method: 'POST', path: '/v1/processes/{processId}/cancel', functionName: 'cancel', timeoutSeconds: 1, handler },
  ];
  api = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    routes,
    keys,
    faults: new FaultControl(),
    health: () => healthImpl(),
    onError: (message) => errors.push(message),
    timeouts: { headersMs: HEADERS_TIMEOUT_MS, requestMs: REQUEST_TIMEOUT_MS },
  });
  port = Number(new URL(api.url).port);
});

beforeEach(() => {
  healthImpl = async () => ({ ok: true });
  handlerImpl = echo;
  errors.length = 0;
});

afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (...parts: Parameters<typeof rawExchange>[1]) => rawExchange(port, parts, { timeoutMs: 15_000 });
const auth = () => ({ Authorization: `Bearer ${token}` });

/** The contract's error envelope, with the code for the status. */
function expectEnvelope(x: RawExchange, status: number, code: string) {
  expect(x.response?.status).toBe(status);
  expect(x.response?.headers['content-type']).toMatch(/^application\/json/);
  expect(JSON.parse(x.response!.body)).toEqual({ error: { code, message: expect.any(String), requestId: expect.any(String) } });
}

async function expectStillServing() {
  const x = await send(rawRequest('GET', '/health'));
  expect(x.response?.status).toBe(200);
}

describe('local API edge', () => {
  describe.each([
    ['a bracket that opens an IPv6 host and never closes', 'GET //[::1 HTTP/1.1'],
    ['an absolute URL that cannot be parsed', 'GET http://[ HTTP/1.1'],
    ['an asterisk target', 'GET * HTTP/1.1'],
  ])('when the request target is %s', (_name, line) => {
    it('answers in the error envelope and keeps serving', async () => {
      // act
      const x = await send(`${line}\r\nHost: 127.0.0.1\r\n\r\n`);

      // assess
      expect(x.response!.status).toBeGreaterThanOrEqual(400);
      expect(x.response!.status).toBeLessThan(500);
      expectEnvelope(x, x.response!.status, x.response!.status === 404 ? 'NOT_FOUND' : 'VALIDATION_ERROR');
      await expectStillServing();
    });
  });

  describe.each([
    ['an invalid method', 'FOO /v1/processes HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a NUL byte in the request line', 'GET /v1/pro\u0000cesses HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an unknown HTTP version', 'GET /health HTTP/7.3\r\nHost: x\r\n\r\n'],
    ['a header without a colon', 'GET /health HTTP/1.1\r\nHost: x\r\nnonsense\r\n\r\n'],
    ['two different Content-Lengths', 'POST /v1/processes HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
    ['a negative Content-Length', 'POST /v1/processes HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n'],
    ['a chunk size that is not hex', 'POST /v1/processes HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
    ['headers over 16 KiB', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
  ])("when node's HTTP parser refuses %s", (_name, bytes) => {
    it('answers 400 VALIDATION_ERROR in the envelope (not an empty 400) and keeps serving', async () => {
      const x = await send(bytes);

      expectEnvelope(x, 400, 'VALIDATION_ERROR');
      await expectStillServing();
    });
  });

  it('answers 400 in the envelope when an HTTP/1.1 request has no Host header', async () => {
    expectEnvelope(await send('GET /health HTTP/1.1\r\n\r\n'), 400, 'VALIDATION_ERROR');
  });

  it('answers a client that half-closes right after its request (printf … | nc) when the answer takes a while', async () => {
    // prepare: a health check that takes 50 ms, so the client's FIN arrives first
    healthImpl = () => new Promise((r) => setTimeout(() => r({ ok: true }), 50));

    const x = await rawExchange(port, [rawRequest('GET', '/health')], { endAfterWrite: true, timeoutMs: 5_000 });

    expect(x.response?.status).toBe(200);
  });

  it('answers CONNECT with 404 in the envelope instead of dropping the connection', async () => {
    expectEnvelope(await send('CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n'), 404, 'NOT_FOUND');
  });

  it('closes a connection whose headers never finish (slowloris) with 400, within the headers timeout', async () => {
    // act: a request line and one header, then nothing
    const x = await rawExchange(port, ['GET /health HTTP/1.1\r\nHost: x\r\n', { pauseMs: 30_000 }], { timeoutMs: 10_000, responses: 0 });

    // assess
    expect(x.closed).toBe(true);
    expect(x.error).toBeUndefined();
    expect(x.ms).toBeLessThan(HEADERS_TIMEOUT_MS + 5_000);
    expectEnvelope(x, 400, 'VALIDATION_ERROR');
    await expectStillServing();
  });

  it('closes a connection whose body never finishes with 400, within the request timeout', async () => {
    // act: a body announced, half of it sent, then nothing
    const x = await rawExchange(
      port,
      [rawRequest('POST', '/v1/processes', { ...auth(), 'Content-Length': '100' }).toString() + 'x'.repeat(50), { pauseMs: 30_000 }],
      { timeoutMs: 10_000, responses: 0 },
    );

    expect(x.closed).toBe(true);
    expect(x.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 3_000);
    expectEnvelope(x, 400, 'VALIDATION_ERROR');
  });

  describe("path parameters, in API Gateway's order", () => {
    it.each([
      ['%zz', 'VALIDATION_ERROR', 400],
      ['%', 'VALIDATION_ERROR', 400],
      ['%ed%a0%80', 'VALIDATION_ERROR', 400], // a lone surrogate, encoded
    ])('answers 401 without a token, then %s with a token gets %s', async (param, code, status) => {
      const anonymous = await send(rawRequest('GET', `/v1/processes/${param}`));
      const signedIn = await send(rawRequest('GET', `/v1/processes/${param}`, auth()));

      expectEnvelope(anonymous, 401, 'UNAUTHORIZED');
      expectEnvelope(signedIn, status, code);
    });

    it('answers 404 for an unknown route before looking at the token', async () => {
      expectEnvelope(await send(rawRequest('GET', '/v1/processes/%zz/explode')), 404, 'NOT_FOUND');
      expectEnvelope(await send(rawRequest('DELETE', `/v1/processes/${PROCESS_ID}`)), 404, 'NOT_FOUND');
    });

    it('hands the decoded parameter to the handler', async () => {
      const x = await send(rawRequest('GET', '/v1/processes/a%2Fb', auth()));
      expect(JSON.parse(x.response!.body).path).toEqual({ processId: 'a/b' });
    });
  });

  describe('401', () => {
    it.each([
      ['an object', { a: 1 }],
      ['a number', 42],
      ['an empty string', ''],
      ['null', null],
      ['an array', ['u']],
      ['true', true],
      ['a string with NUL', 'u\u0000v'],
      ['a lone surrogate', '\ud800'],
      ['256 characters', 'u'.repeat(256)],
    ])('refuses a correctly signed token whose sub is %s, with WWW-Authenticate', async (_name, sub) => {
      // prepare
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT({ sub } as Record<string, unknown>)
        .setProtectedHeader({ alg: 'RS256', kid: keys.kid })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(keys.privateKey);

      // act
      const x = await send(rawRequest('GET', `/v1/processes/${PROCESS_ID}`, { Authorization: `Bearer ${forged}` }));

      // assess
      expectEnvelope(x, 401, 'UNAUTHORIZED');
      expect(x.response!.headers['www-authenticate']).toBe('Bearer');
    });
  });

  describe('413', () => {
    const over = API.maxBodyBytes + 1;
    describe.each([
      ['just over 16 KiB', over],
      ['1 MiB', 1024 * 1024],
      ['10 MiB', 10 * 1024 * 1024],
    ])('with a body of %s', (_name, size) => {
      const body = Buffer.alloc(size, 'a');

      it('answers 413 PAYLOAD_TOO_LARGE naming 16 KiB, with Content-Length, and the connection is not reset', async () => {
        const x = await send(rawRequest('POST', '/v1/processes', auth(), body));

        expectEnvelope(x, 413, 'PAYLOAD_TOO_LARGE');
        expect(JSON.parse(x.response!.body).error.message).toContain(String(API.maxBodyBytes));
        expect(x.error).toBeUndefined();
      });

      it('answers 413 PAYLOAD_TOO_LARGE when the body is chunked, and the connection is not reset', async () => {
        // prepare: 64 KiB chunks, as a streaming client sends them
        const parts: Buffer[] = [
          Buffer.from(`POST /v1/processes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nTransfer-Encoding: chunked\r\n\r\n`),
        ];
        for (let at = 0; at < size; at += 65_536) {
          const chunk = body.subarray(at, Math.min(size, at + 65_536));
          parts.push(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
        }
        parts.push(Buffer.from('0\r\n\r\n'));

        const x = await send(...parts);

        expectEnvelope(x, 413, 'PAYLOAD_TOO_LARGE');
        expect(x.error).toBeUndefined();
      });
    });

    it('answers 413 from Content-Length before reading a body that is never sent in full', async () => {
      // act: announce 100 MiB, send the headers only, and wait
      const x = await rawExchange(
        port,
        [rawRequest('POST', '/v1/processes', { ...auth(), 'Content-Length': String(100 * 1024 * 1024) }), { pauseMs: 2_000 }],
        { timeoutMs: 10_000 },
      );

      // assess
      expectEnvelope(x, 413, 'PAYLOAD_TOO_LARGE');
      expect(x.ms).toBeLessThan(2_000);
    });

    it('answers 401, not a reset, when a body too large comes without a token', async () => {
      const x = await send(rawRequest('POST', '/v1/processes', {}, Buffer.alloc(1024 * 1024, 'a')));

      expectEnvelope(x, 401, 'UNAUTHORIZED');
      expect(x.error).toBeUndefined();
    });

    it('keeps the connection usable after a drained 413', async () => {
      const x = await rawExchange(
        port,
        [rawRequest('POST', '/v1/processes', auth(), Buffer.alloc(100_000, 'a')), rawRequest('GET', '/health')],
        { responses: 2, timeoutMs: 10_000 },
      );

      expect(x.responses.map((r) => r.status)).toEqual([413, 200]);
    });
  });

  describe('when a handler fails', () => {
    it('answers 500 INTERNAL_ERROR in the envelope, logs it, and keeps serving when the handler throws', async () => {
      handlerImpl = async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      };

      const x = await send(rawRequest('GET', `/v1/processes/${PROCESS_ID}`, auth()));

      expectEnvelope(x, 500, 'INTERNAL_ERROR');
      expect(x.response!.body).not.toMatch(/properties|TypeError/);
      expect(errors).toContain('Request handling failed');
      await expectStillServing();
    });

    it('answers 500 when the handler answers something that is not an HTTP response', async () => {
      handlerImpl = async () => ({ statusCode: 'soon' as unknown as number });
      expectEnvelope(await send(rawRequest('GET', `/v1/processes/${PROCESS_ID}`, auth())), 500, 'INTERNAL_ERROR');
    });

    it('answers 503 with Retry-After when the handler runs past its Lambda timeout', async () => {
      handlerImpl = () => new Promise(() => undefined);

      const x = await send(rawRequest('GET', `/v1/processes/${PROCESS_ID}`, auth()));

      expectEnvelope(x, 503, 'SERVICE_UNAVAILABLE');
      expect(x.response!.headers['retry-after']).toBe(String(DESIGN.unavailableRetryAfterSeconds));
    });
  });

  describe('/health', () => {
    it.each<[string, () => Promise<HealthReport>]>([
      ['reports not ok', async () => ({ ok: false, database: 'restarting' })],
      [
        'throws',
        async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        },
      ],
      ['never answers', () => new Promise(() => undefined)],
    ])('answers 503 with Retry-After and a JSON body when the check %s', async (_name, impl) => {
      healthImpl = impl;

      const x = await send(rawRequest('GET', '/health'));

      expect(x.response!.status).toBe(503);
      expect(x.response!.headers['retry-after']).toBe(String(DESIGN.unavailableRetryAfterSeconds));
      const body = JSON.parse(x.response!.body);
      expect(body).toMatchObject({ ok: false, error: { code: 'SERVICE_UNAVAILABLE', requestId: expect.any(String) } });
      expect(x.response!.body).not.toMatch(/ECONNREFUSED|5432/);
    });

    it('keeps the health details when degraded', async () => {
      healthImpl = async () => ({ ok: false, database: 'restarting' });
      expect(JSON.parse((await send(rawRequest('GET', '/health'))).response!.body).database).toBe('restarting');
    });
  });

  describe('/_local/ai/faults', () => {
    const setting = JSON.stringify({ mode: 'none', latencyMs: 0 });

    it('applies a setting sent as JSON', async () => {
      const x = await send(rawRequest('POST', '/_local/ai/faults', { 'Content-Type': 'application/json; charset=utf-8' }, setting));
      expect(x.response!.status).toBe(200);
    });

    it.each([
      ['a form (what a cross-site HTML form sends)', { 'Content-Type': 'application/x-www-form-urlencoded' }],
      ['text/plain (a simple cross-origin fetch)', { 'Content-Type': 'text/plain' }],
      ['no Content-Type', {}],
      ['JSON from a foreign Origin', { 'Content-Type': 'application/json', Origin: 'https://evil.example' }],
      ['JSON from a page on another local port', { 'Content-Type': 'application/json', Origin: 'http://127.0.0.1:1' }],
      ['JSON from an opaque origin', { 'Content-Type': 'application/json', Origin: 'null' }],
    ])('refuses %s with 400 VALIDATION_ERROR', async (_name, headers) => {
      expectEnvelope(await send(rawRequest('POST', '/_local/ai/faults', headers, setting)), 400, 'VALIDATION_ERROR');
    });

    it('accepts its own origin', async () => {
      const x = await send(
        rawRequest(
          'POST',
          '/_local/ai/faults',
          { Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}`, 'Content-Type': 'application/json' },
          setting,
        ),
      );
      expect(x.response!.status).toBe(200);
    });
  });
});

describe('GET /openapi.yaml', () => {
  it('serves the committed contract, without a token', async () => {
    const x = await send(rawRequest('GET', '/openapi.yaml'));
    expect(x.response?.status).toBe(200);
    expect(x.response?.headers['content-type']).toMatch(/^application\/yaml/);
    expect(x.response?.body).toBe(readFileSync(join(REPO_ROOT, OPENAPI_PATH), 'utf8'));
  });
});
