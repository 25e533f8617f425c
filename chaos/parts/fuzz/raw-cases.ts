/**
 * Requests no HTTP client would send, over a bare socket: broken request lines, URLs and escapes,
 * invalid methods and versions, NUL bytes, bad or conflicting Content-Length, chunked garbage,
 * huge headers; valid requests with random bytes changed; and slow clients (slowloris) that the
 * edge must cut off.
 */
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../../local/api-server';
import type { FuzzCase, FuzzContext } from './case';
import type { Rand } from './random';

const H = 'Host: 127.0.0.1\r\n';
const END = 'Connection: close\r\n\r\n';
/** Any error in the envelope, or (HTTP/1.0, lenient parsing) an ordinary answer; never 5xx. */
const ANY_4XX = [400, 401, 404, 413];
const OK_OR_4XX = [200, ...ANY_4XX];

/** [what, bytes, allowed statuses ('any': no answer owed)]. */
const CORPUS: [string, string, readonly number[] | 'any'][] = [
  ['IPv6 bracket never closed', `GET //[::1 HTTP/1.1\r\n${H}${END}`, [404]],
  ['unparsable absolute URL', `GET http://[ HTTP/1.1\r\n${H}${END}`, [400]],
  ['absolute URL with userinfo', `GET http://u:p@127.0.0.1/health HTTP/1.1\r\n${H}${END}`, [200]],
  ['asterisk', `GET * HTTP/1.1\r\n${H}${END}`, [400]],
  ['OPTIONS asterisk', `OPTIONS * HTTP/1.1\r\n${H}${END}`, [400]],
  ['CONNECT', `CONNECT 127.0.0.1:5432 HTTP/1.1\r\nHost: 127.0.0.1:5432\r\n\r\n`, [404]],
  ['malformed escape', `GET /v1/processes/%zz HTTP/1.1\r\n${H}${END}`, [401]],
  ['bare percent', `GET /v1/processes/% HTTP/1.1\r\n${H}${END}`, [401]],
  ['percent-encoded NUL', `GET /v1/processes/%00 HTTP/1.1\r\n${H}${END}`, [401]],
  ['invalid method', `FOO /v1/processes HTTP/1.1\r\n${H}${END}`, [400]],
  ['lower-case method', `get /health HTTP/1.1\r\n${H}${END}`, [400]],
  ['method with a space', `G ET /health HTTP/1.1\r\n${H}${END}`, [400]],
  ['method with NUL', `GE\u0000T /health HTTP/1.1\r\n${H}${END}`, [400]],
  ['very long method', `${'A'.repeat(200)} /health HTTP/1.1\r\n${H}${END}`, [400]],
  ['no version (HTTP/0.9)', 'GET /health\r\n\r\n', OK_OR_4XX],
  ['HTTP/1.0 without Host', 'GET /health HTTP/1.0\r\n\r\n', [200]],
  ['HTTP/1.1 without Host', 'GET /health HTTP/1.1\r\nConnection: close\r\n\r\n', [400]],
  ['HTTP/2.0 request line', `GET /health HTTP/2.0\r\n${H}${END}`, OK_OR_4XX],
  ['HTTP/7.3', `GET /health HTTP/7.3\r\n${H}${END}`, ANY_4XX],
  ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'any'],
  ['two spaces in the request line', `GET  /health HTTP/1.1\r\n${H}${END}`, OK_OR_4XX],
  ['tab in the request line', `GET\t/health HTTP/1.1\r\n${H}${END}`, OK_OR_4XX],
  ['bare LF line ends', 'GET /health HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n', OK_OR_4XX],
  ['NUL in the target', `GET /health\u0000 HTTP/1.1\r\n${H}${END}`, [400]],
  ['raw non-ASCII byte in the target', `GET /v1/processes/\u00ff HTTP/1.1\r\n${H}${END}`, ANY_4XX],
  ['CR alone in the target', `GET /he\ralth HTTP/1.1\r\n${H}${END}`, [400]],
  ['header without a colon', `GET /health HTTP/1.1\r\n${H}nonsense\r\n${END}`, [400]],
  ['space before the colon', `GET /health HTTP/1.1\r\nHost : 127.0.0.1\r\n${END}`, [400]],
  ['NUL in a header value', `GET /health HTTP/1.1\r\n${H}X-A: a\u0000b\r\n${END}`, [400]],
  ['NUL in a header name', `GET /health HTTP/1.1\r\n${H}X-\u0000: b\r\n${END}`, [400]],
  ['obsolete line folding', `GET /health HTTP/1.1\r\n${H}X-A: a\r\n b\r\n${END}`, OK_OR_4XX],
  ['empty header name', `GET /health HTTP/1.1\r\n${H}: value\r\n${END}`, [400]],
  ['empty Host', `GET /health HTTP/1.1\r\nHost:\r\n${END}`, OK_OR_4XX],
  ['20 KB header', `GET /health HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(20_000)}\r\n${END}`, [400]],
  ['100 KB target', `GET /${'a'.repeat(100_000)} HTTP/1.1\r\n${H}${END}`, [400]],
  ['3000 headers', `GET /health HTTP/1.1\r\n${H}${Array.from({ length: 3000 }, (_, i) => `X-${i}: ${i}\r\n`).join('')}${END}`, [200, 400]],
  ['two different Content-Lengths', `POST /v1/processes HTTP/1.1\r\n${H}Content-Length: 1\r\nContent-Length: 2\r\n${END}ab`, [400]],
  ['Content-Length list', `POST /v1/processes HTTP/1.1\r\n${H}Content-Length: 2, 2\r\n${END}ab`, ANY_4XX],
  ['negative Content-Length', `POST /v1/processes HTTP/1.1\r\n${H}Content-Length: -5\r\n${END}`, [400]],
  ['hex Content-Length', `POST /v1/processes HTTP/1.1\r\n${H}Content-Length: 0x10\r\n${END}`, [400]],
  ['Content-Length with a plus', `POST /v1/processes HTTP/1.1\r\n${H}Content-Length: +2\r\n${END}ab`, [400]],
  ['Content-Length past 2^64', `POST /v1/processes HTTP/1.1\r\n${H}Content-Length: 99999999999999999999999\r\n${END}`, [400]],
  [
    'Content-Length and chunked',
    `POST /v1/processes HTTP/1.1\r\n${H}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n${END}0\r\n\r\n`,
    [400],
  ],
  ['gzip transfer coding only', `POST /v1/processes HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n${END}abc`, ANY_4XX],
  ['chunked twice', `POST /v1/processes HTTP/1.1\r\n${H}Transfer-Encoding: chunked, chunked\r\n${END}0\r\n\r\n`, ANY_4XX],
  ['chunk size not hex', `POST /v1/processes HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${END}zz\r\nabc\r\n0\r\n\r\n`, [400]],
  ['chunk size past 2^64', `POST /v1/processes HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${END}ffffffffffffffffff\r\nabc\r\n`, [400]],
  ['chunk without its CRLF', `POST /v1/processes HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${END}3\r\nabcdef\r\n0\r\n\r\n`, [400]],
  [
    'huge chunk extension',
    `POST /v1/processes HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${END}1;${'e'.repeat(20_000)}\r\na\r\n0\r\n\r\n`,
    ANY_4XX,
  ],
  ['garbage trailer', `POST /v1/processes HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n${END}0\r\nnot a header\r\n\r\n`, [400]],
  ['Expect that nobody supports', `POST /v1/processes HTTP/1.1\r\n${H}Expect: teapot\r\nContent-Length: 2\r\n${END}{}`, [400]],
  ['Upgrade to websocket', `GET /health HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`, [200]],
  [
    'Upgrade to h2c',
    `GET /health HTTP/1.1\r\n${H}Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n`,
    [200],
  ],
  [
    'request smuggling prefix',
    `POST /nowhere HTTP/1.1\r\n${H}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /health HTTP/1.1\r\n${H}${END}`,
    [400],
  ],
  ['only CRLFs before a request', `\r\n\r\nGET /health HTTP/1.1\r\n${H}${END}`, [200]],
  ['binary garbage', '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003', 'any'],
  ['TLS ClientHello', '\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003', ANY_4XX],
];

export const CORPUS_SIZE = CORPUS.length;

/** Corpus entry `k`; with `endAfterWrite` so a request the server would wait on ends at once. */
export function corpusCase(k: number, index: number): FuzzCase {
  const [what, bytes, statuses] = CORPUS[k % CORPUS.length]!;
  return {
    index,
    category: 'raw',
    summary: `raw: ${what}`,
    parts: [Buffer.from(bytes, 'latin1')],
    options: { endAfterWrite: true },
    expect: statuses === 'any' ? { kind: 'any' } : { kind: 'response', statuses },
    requests: 1,
    methods: [bytes.split(' ')[0] ?? ''],
  };
}

/** A well-formed request with 1–4 random byte edits (replace, insert CRLF or NUL, delete, duplicate, truncate). */
export function mutatedCase(r: Rand, ctx: FuzzContext, index: number): FuzzCase {
  const body = r.pick(['', '{"type":"TASK_GENERATION","input":{"action":{"title":"Run"}}}', '{"mode":"none"}']);
  const target = r.pick([
    '/v1/processes',
    `/v1/processes/${r.pick(ctx.processes.a)}`,
    `/v1/processes/${r.pick(ctx.processes.a)}/cancel`,
    '/health',
    '/_local/ai/faults',
  ]);
  const method = body ? 'POST' : 'GET';
  let bytes = Buffer.from(
    `${method} ${target} HTTP/1.1\r\n${H}Authorization: ${ctx.auth[0]!.header}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${END}${body}`,
    'latin1',
  );
  const edits: string[] = [];
  for (let n = 1 + r.int(4); n > 0; n--) {
    const at = r.int(bytes.length);
    const op = r.int(6);
    if (op === 0) {
      bytes[at] = r.int(256);
      edits.push(`byte ${at}=${bytes[at]}`);
    } else if (op === 1) {
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from('\r\n'), bytes.subarray(at)]);
      edits.push(`CRLF at ${at}`);
    } else if (op === 2) {
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]);
      edits.push(`NUL at ${at}`);
    } else if (op === 3) {
      const len = 1 + r.int(20);
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + len)]);
      edits.push(`delete ${len} at ${at}`);
    } else if (op === 4) {
      const len = 1 + r.int(40);
      bytes = Buffer.concat([bytes.subarray(0, at + len), bytes.subarray(at, at + len), bytes.subarray(at + len)]);
      edits.push(`repeat ${len} at ${at}`);
    } else {
      bytes = bytes.subarray(0, at);
      edits.push(`cut at ${at}`);
    }
  }
  // A request with something in it is owed an answer; an empty or blank one is not.
  const owed = /[^\r\n ]/.test(bytes.toString('latin1'));
  return {
    index,
    category: 'mutated',
    summary: `${method} ${target.slice(0, 60)} with ${edits.join(', ')}`,
    parts: [bytes],
    options: { endAfterWrite: true, responses: 0 },
    expect: owed ? { kind: 'response' } : { kind: 'any' },
    requests: 1,
    methods: [method],
  };
}

/** Slow clients: the edge must close each within its timeout (plus slack for a busy machine). */
export function slowCase(k: number, index: number, slackMs: number): FuzzCase {
  const head = `POST /v1/processes HTTP/1.1\r\n${H}Content-Length: 100\r\n\r\n`;
  const variants: [string, (string | { pauseMs: number })[], number][] = [
    ['headers that never finish', ['GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n', { pauseMs: 120_000 }], HEADERS_TIMEOUT_MS],
    ['a connection that never sends a byte', [{ pauseMs: 120_000 }], HEADERS_TIMEOUT_MS],
    [
      'headers one byte every 700 ms',
      [...'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1234567890'].flatMap((c) => [c, { pauseMs: 700 }]),
      HEADERS_TIMEOUT_MS,
    ],
    ['a body that never finishes', [head, 'x'.repeat(10), { pauseMs: 120_000 }], REQUEST_TIMEOUT_MS],
  ];
  const [what, parts, limit] = variants[k % variants.length]!;
  return {
    index,
    category: 'slow',
    summary: `slow client: ${what}`,
    parts,
    options: { responses: 0, timeoutMs: limit + slackMs + 5_000 },
    expect: { kind: 'close', withinMs: limit + slackMs },
    requests: 1,
    methods: ['GET'],
  };
}

export const SLOW_VARIANTS = 4;
