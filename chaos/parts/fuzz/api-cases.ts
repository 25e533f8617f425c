/**
 * Well-framed requests over every route, method, header and body shape, each with the status the
 * oracle says it must get: tokens of every kind, path parameters with bad escapes, start bodies with
 * a wrong type in every field, text PostgreSQL cannot store, deep nesting, huge numbers, bytes that
 * are not UTF-8, and sizes around and far past the 16 KiB limit, with Content-Length or chunked.
 */
import { API } from '../../../guide';
import { FAULTS_PATH } from '../../../local/api-server';
import type { FuzzCase, FuzzContext } from './case';
import { expectedStatuses, type WellFramed } from './oracle';
import type { Rand } from './random';

const VALID_INPUTS: Record<string, Record<string, unknown>> = {
  SUBGOAL_GENERATION: { goal: { title: 'Run a marathon', description: 'Finish in under four hours', deadline: '2027-03-01' } },
  ACTION_GENERATION: { goal: { title: 'Run a marathon' }, subgoal: { title: 'Build endurance', description: 'Run longer every week' } },
  TASK_GENERATION: { action: { title: 'Run 5 km three times a week', kind: 'habit' } },
};

const WRONG_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  '\t\n',
  'x'.repeat(201),
  'y'.repeat(2001),
  '\u0000',
  'a\u0000b',
  '\ud800',
  'z\udc00',
  '\udc00\ud800',
  '😀'.repeat(200),
  '😀'.repeat(201),
  '\u202e\u200b\ufeff',
  [],
  ['a'],
  [[[]]],
  {},
  { a: 1 },
  '2027-02-30',
  '2027-13-01',
  '0000-00-00',
  '27-01-01',
  'tomorrow',
  '2027-03-01T00:00:00Z',
  "'; DROP TABLE processing_state; --",
  '<script>alert(1)</script>',
  '%00',
  '\\u0000',
  'execution',
  'habit',
  'SUBGOAL_GENERATION',
  '{"$gt": ""}',
  '__proto__',
];

const EXTRA_KEYS = ['extra', '__proto__', 'constructor', 'prototype', '\u0000', '😀', '', 'title', 'type', 'input'];

/** Raw JSON texts the parser or the schema must refuse (or, for a few, accept). */
const TEXTS = [
  '',
  '{',
  '{"type":',
  'null',
  '[]',
  '"text"',
  '123',
  'NaN',
  'Infinity',
  '-',
  '1e999',
  '{}x',
  '{"a":1}{"a":2}',
  '{"type":"SUBGOAL_GENERATION","input":{"goal":{"title":1e999}}}',
  '{"type":"SUBGOAL_GENERATION","input":{"goal":{"title":123456789012345678901234567890e400}}}',
  '{"type":"POEM_GENERATION","type":"SUBGOAL_GENERATION","input":{"goal":{"title":"dup keys"}}}',
  '\ufeff{"type":"SUBGOAL_GENERATION","input":{"goal":{"title":"BOM"}}}',
  "{'type':'SUBGOAL_GENERATION'}",
  '{"type":"SUBGOAL_GENERATION",/*c*/"input":{}}',
  '{"type":"SUBGOAL_GENERATION","input":{"goal":{"title":"\\ud800"}}}',
  '{"type":"SUBGOAL_GENERATION","input":{"goal":{"title":"\\u0000"}}}',
  '{"type":"TASK_GENERATION","input":{"action":{"title":"\\uDBFF\\uDFFF"}}}',
];

type Body = { bytes: Buffer; note: string };

const json = (value: unknown, note: string): Body => ({ bytes: Buffer.from(JSON.stringify(value) ?? '', 'utf8'), note });

function paths(value: unknown, prefix: string[] = []): string[][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown, remove = false): void {
  let node = root as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1)!;
  if (remove) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
}

function startBody(r: Rand): Body {
  const type = r.pick(Object.keys(VALID_INPUTS));
  const body: Record<string, unknown> = { type, input: structuredClone(VALID_INPUTS[type]) };
  const kind = r.int(12);
  const path = r.pick(paths(body).filter((p) => p.length > 0));
  switch (kind) {
    case 0:
    case 1:
      return json(body, `valid ${type}`);
    case 2:
    case 3: {
      const value = r.pick(WRONG_VALUES);
      setAt(body, path, value);
      return json(body, `${path.join('.')}=${JSON.stringify(value)?.slice(0, 40)}`);
    }
    case 4:
      setAt(body, path, undefined, true);
      return json(body, `without ${path.join('.')}`);
    case 5: {
      const objects = paths(body).filter((p) => {
        let n: unknown = body;
        for (const k of p) n = (n as Record<string, unknown>)[k];
        return !!n && typeof n === 'object';
      });
      const at = r.pick(objects);
      const key = r.pick(EXTRA_KEYS);
      setAt(body, [...at, key], r.pick(WRONG_VALUES));
      return json(body, `extra key ${JSON.stringify(key)} at ${at.join('.') || '(body)'}`);
    }
    case 6:
      return json(r.pick(WRONG_VALUES), 'body is not an object');
    case 7: {
      const text = r.pick(TEXTS);
      return { bytes: Buffer.from(text, 'utf8'), note: `text ${JSON.stringify(text.slice(0, 50))}` };
    }
    case 8: {
      // Bytes that are not UTF-8 inside or instead of the JSON.
      const bad = r.pick([[0xff, 0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x28, 0xa1], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]);
      const bytes = r.chance(0.5)
        ? Buffer.concat([Buffer.from('{"type":"SUBGOAL_GENERATION","input":{"goal":{"title":"'), Buffer.from(bad), Buffer.from('"}}}')])
        : Buffer.from(Array.from({ length: 1 + r.int(200) }, () => r.int(256)));
      return { bytes, note: `bytes that are not UTF-8 (${bad.map((b) => b.toString(16)).join(' ')})` };
    }
    case 9: {
      const depth = 100 + r.int(7000);
      const nested = r.chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      return { bytes: Buffer.from(`{"type":"SUBGOAL_GENERATION","input":{"goal":{"title":${nested}}}}`), note: `nesting ${depth} deep` };
    }
    case 10: {
      // Valid JSON padded with whitespace to the limit, or one byte past it.
      const text = JSON.stringify(body);
      const size = API.maxBodyBytes + r.pick([-1, 0, 1, 2]);
      return { bytes: Buffer.from(text + ' '.repeat(Math.max(0, size - Buffer.byteLength(text)))), note: `${size} bytes` };
    }
    default: {
      const value = r.pick(['\u0000', '\ud800', 'ok\udfff', 'x\u0000'.repeat(50)]);
      setAt(body, r.pick(paths(body).filter((p) => /title|description/.test(p.at(-1) ?? ''))) ?? ['type'], value);
      return json(body, `text the database cannot store ${JSON.stringify(value).slice(0, 30)}`);
    }
  }
}

const PARAMS = [
  'abc',
  '123',
  'null',
  '.',
  '..',
  '%2e%2e',
  'a%2Fb',
  '%zz',
  '%',
  '%0',
  '%00',
  '%ed%a0%80',
  '%C0%AF',
  '%E2%9C%93',
  '%FF',
  'x'.repeat(3000),
  '%27%20OR%201%3D1%20--',
  '{00000000-0000-4000-8000-000000000000}',
  '00000000-0000-4000-8000-00000000000g',
  '00000000-0000-4000-8000-000000000000%00',
  '00000000000040008000000000000000',
];

function processParam(r: Rand, ctx: FuzzContext, user: string | undefined): { param: string; note: string } {
  const own = user === 'a' || user === 'b' ? ctx.processes[user] : ctx.processes.a;
  const other = user === 'a' ? ctx.processes.b : ctx.processes.a;
  switch (r.int(6)) {
    case 0:
    case 1:
      return { param: r.pick(own), note: 'own process' };
    case 2:
      return { param: r.pick(own).toUpperCase(), note: 'own process, upper case' };
    case 3:
      return { param: r.pick(other), note: "another user's process" };
    case 4:
      return { param: randomUUIDFrom(r), note: 'unknown process' };
    default: {
      const p = r.pick(PARAMS);
      return { param: p, note: `processId ${JSON.stringify(p.slice(0, 30))}` };
    }
  }
}

function randomUUIDFrom(r: Rand): string {
  const hex = () => r.int(16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-8${part(3)}-${part(12)}`;
}

const UNKNOWN_TARGETS = [
  '/',
  '/v1',
  '/v1/',
  '/v1/processes/',
  '/v2/processes',
  '/V1/processes',
  '/v1/processes/x/y',
  '/v1/processes/x/retry/',
  '//v1/processes',
  '/v1//processes',
  '/%76%31/processes',
  '/health/',
  `${FAULTS_PATH}/x`,
  '/v1/processes/x/delete',
  `/${'a'.repeat(7000)}`,
  '/v1/processes/..%2f..%2fetc%2fpasswd',
  '/v1/processes#fragment',
  '//[::1',
  '/index.html',
  '/.env',
  '/favicon.ico',
];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE'];

const EXTRA_HEADERS: [string, string][] = [
  ['User-Agent', 'fuzz/1.0'],
  ['Accept', '*/*'],
  ['Accept', 'text/html'],
  ['Cookie', 'session=abc'],
  ['X-Forwarded-For', '203.0.113.1'],
  ['X-Amzn-Trace-Id', 'Root=1-00000000-000000000000000000000000'],
  ['Upgrade', 'websocket'],
  ['Content-Encoding', 'gzip'],
  ['X-Long', 'v'.repeat(4000)],
  ['Referer', 'https://evil.example/'],
  ['Origin', 'https://evil.example'],
  ['Origin', 'null'],
  ['Idempotency-Key', 'k'.repeat(256)],
  ['Idempotency-Key', ''],
  ['Idempotency-Key', 'has space'],
  ['Idempotency-Key', 'caf\u00e9'],
];

function faultsBody(r: Rand): Body {
  return r.pick<Body>([
    json({ mode: 'none', latencyMs: 0 }, 'reset faults'),
    json({ mode: 'explode' }, 'unknown mode'),
    json({ mode: 'error', count: -1 }, 'negative count'),
    json({ mode: 'none', latencyMs: 1e9 }, 'huge latency'),
    json([], 'an array'),
    json('none', 'a string'),
    { bytes: Buffer.from('{"mode":'), note: 'truncated JSON' },
    { bytes: Buffer.from('mode=none'), note: 'a form' },
  ]);
}

/** Headers that node keeps the first of when repeated; the others it joins with ", " (`IncomingMessage.headers`). */
const FIRST_WINS = new Set([
  'authorization',
  'content-length',
  'content-type',
  'host',
  'referer',
  'user-agent',
  'from',
  'age',
  'etag',
  'expires',
  'location',
  'server',
]);

function asNodeSeesThem(headers: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of headers) {
    const name = k.toLowerCase();
    if (out[name] === undefined) out[name] = v;
    else if (!FIRST_WINS.has(name)) out[name] = name === 'cookie' ? `${out[name]}; ${v}` : `${out[name]}, ${v}`;
  }
  return out;
}

/** Frames the request: Content-Length (or chunked, in random pieces), head in latin1 as on the wire. */
function frame(r: Rand, method: string, target: string, headers: [string, string][], body: Buffer, chunked: boolean): Buffer {
  const lines = [`${method} ${target} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`)];
  if (!chunked) {
    if (body.length > 0 || method === 'POST') lines.push(`Content-Length: ${body.length}`);
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
  }
  lines.push('Transfer-Encoding: chunked');
  const pieces: Buffer[] = [Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')];
  for (let at = 0; at < body.length; ) {
    const n = Math.min(body.length - at, 1 + r.int(r.chance(0.5) ? 16 : 65_536));
    const ext = r.chance(0.1) ? ';name=value' : '';
    pieces.push(Buffer.from(`${n.toString(16)}${ext}\r\n`), body.subarray(at, at + n), Buffer.from('\r\n'));
    at += n;
  }
  pieces.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(pieces);
}

export function apiCase(r: Rand, ctx: FuzzContext, index: number, seed: number): FuzzCase {
  const auth = r.chance(0.45) ? ctx.auth[0]! : r.pick(ctx.auth);
  const route = r.pick(['start', 'start', 'start', 'status', 'status', 'retry', 'cancel', 'health', 'faults', 'unknown']);
  let method = {
    start: 'POST',
    status: 'GET',
    retry: 'POST',
    cancel: 'POST',
    health: 'GET',
    faults: r.pick(['GET', 'POST', 'POST']),
    unknown: r.pick(METHODS),
  }[route]!;
  if (r.chance(0.1)) method = r.pick(METHODS);
  let target: string;
  let note = '';
  if (route === 'start') target = '/v1/processes';
  else if (route === 'health') target = '/health';
  else if (route === 'faults') target = FAULTS_PATH;
  else if (route === 'unknown') target = r.pick(UNKNOWN_TARGETS);
  else {
    const { param, note: n } = processParam(r, ctx, auth.user);
    target = `/v1/processes/${param}${route === 'status' ? '' : `/${route}`}`;
    note = n;
  }
  if (r.chance(0.05)) target = `http://127.0.0.1${target}`;
  if (r.chance(0.1)) target += r.pick(['?a=1', '?a=%zz&b', '?', '?x=' + 'q'.repeat(500), '?%00=%00']);

  const headers: [string, string][] = [
    ['Host', '127.0.0.1'],
    ['Connection', 'close'],
  ];
  if (auth.header !== undefined) headers.push(['Authorization', auth.header]);
  const contentType = r.pick([
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    undefined,
  ]);
  if (contentType) headers.push(['Content-Type', contentType]);
  if (route === 'start' && r.chance(0.3)) headers.push(['Idempotency-Key', `fuzz-${seed}-${index}`]);
  for (let i = r.int(3); i > 0; i--) headers.push(r.pick(EXTRA_HEADERS));

  const body =
    route === 'start'
      ? startBody(r)
      : route === 'faults' && method === 'POST'
        ? faultsBody(r)
        : r.chance(0.1)
          ? startBody(r)
          : { bytes: Buffer.alloc(0), note: '' };
  const chunked = body.bytes.length > 0 && r.chance(0.15);
  const req: WellFramed = { method, target, headers: asNodeSeesThem(headers), body: body.bytes, auth };
  const bytes = frame(r, method, target, headers, body.bytes, chunked);
  // Past node's 16 KiB limit for the request head, the parser refuses it first.
  const head = bytes.indexOf('\r\n\r\n');
  const statuses = head > 15_000 ? [400, ...expectedStatuses(req, ctx)] : expectedStatuses(req, ctx);
  const summary = `${method} ${target.slice(0, 80)} auth=${auth.name}${note ? ` ${note}` : ''}${body.note ? ` body: ${body.note}` : ''}${chunked ? ' (chunked)' : ''}`;
  return {
    index,
    category: 'api',
    summary,
    parts: [bytes],
    options: { head: method === 'HEAD' },
    expect: { kind: 'response', statuses },
    requests: 1,
    methods: [method],
  };
}

/**
 * 1 MiB and 10 MiB bodies, with Content-Length or chunked, with or without a token: 413 (or 401/404
 * first). With `size` given: that size, with user a's token, framed as `chunked` says.
 */
export function bigBodyCase(r: Rand, ctx: FuzzContext, index: number, quick: boolean, fixed?: number, fixedChunked?: boolean): FuzzCase {
  const size =
    fixed ?? r.pick(quick ? [API.maxBodyBytes + 1, 1024 * 1024] : [API.maxBodyBytes + 1, 1024 * 1024, 1024 * 1024, 10 * 1024 * 1024]);
  const auth = fixed !== undefined || r.chance(0.8) ? ctx.auth[0]! : r.pick(ctx.auth);
  const target = fixed !== undefined || r.chance(0.9) ? '/v1/processes' : '/v1/nowhere';
  const chunked = fixedChunked ?? r.chance(0.5);
  const headers: [string, string][] = [
    ['Host', '127.0.0.1'],
    ['Connection', 'close'],
    ['Content-Type', 'application/json'],
  ];
  if (auth.header !== undefined) headers.push(['Authorization', auth.header]);
  const body = Buffer.alloc(size, 0x61);
  const req: WellFramed = { method: 'POST', target, headers: asNodeSeesThem(headers), body, auth };
  return {
    index,
    category: 'big-body',
    summary: `POST ${target} auth=${auth.name} body of ${size} bytes${chunked ? ' (chunked)' : ''}`,
    parts: [frame(r, 'POST', target, headers, body, chunked)],
    options: { timeoutMs: 30_000 },
    expect: { kind: 'response', statuses: expectedStatuses(req, ctx) },
    requests: 1,
    methods: ['POST'],
  };
}

/** Two or three requests in one write on a kept-alive connection: one answer each, in order. */
export function pipelinedCase(r: Rand, ctx: FuzzContext, index: number): FuzzCase {
  const token = ctx.auth[0]!.header!;
  const options = [
    () => `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    () => `GET /v1/processes/${r.pick(ctx.processes.a)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${token}\r\n\r\n`,
    () => `GET /v1/processes/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${token}\r\n\r\n`,
    () => {
      const b = `{"x":"${'p'.repeat(API.maxBodyBytes)}"}`;
      return `POST /v1/processes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${token}\r\nContent-Length: ${b.length}\r\n\r\n${b}`;
    },
    () => `GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
  ];
  const n = 2 + r.int(2);
  const requests = Array.from({ length: n }, () => r.pick(options)());
  return {
    index,
    category: 'pipelined',
    summary: `${n} pipelined requests: ${requests.map((q) => q.split(' ').slice(0, 2).join(' ').slice(0, 60)).join(' | ')}`,
    parts: [requests.join('')],
    options: { responses: n },
    expect: { kind: 'response', count: n },
    requests: n,
    methods: requests.map((q) => q.split(' ')[0]!),
  };
}
