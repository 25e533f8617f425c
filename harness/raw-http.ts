/**
 * HTTP/1.1 over a bare TCP socket, byte for byte, for requests no HTTP client would send
 * (malformed request lines, bad escapes, broken chunking, partial requests) and to see exactly
 * what came back: the answer, a graceful close, or a reset.
 */
import { connect } from 'node:net';

/** Bytes to write, or a pause between writes. */
export type RawPart = string | Buffer | { pauseMs: number };

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawExchange {
  /** The first final (non-1xx) response, if one arrived complete. */
  response?: RawResponse;
  /** Every final response that arrived complete (pipelined requests). */
  responses: RawResponse[];
  /** The server closed the connection (FIN or reset). */
  closed: boolean;
  /** A socket error: ECONNRESET, EPIPE, ECONNREFUSED, or `timeout` when nothing ended it in time. */
  error?: string;
  ms: number;
}

export interface RawOptions {
  timeoutMs?: number;
  /** Stop as soon as this many responses arrived (default 1); 0 waits for the server to close. */
  responses?: number;
  /** Half-close our side after the last write. */
  endAfterWrite?: boolean;
  /** The request is a HEAD: responses carry headers only, whatever their Content-Length says. */
  head?: boolean;
}

/**
 * Parses complete HTTP/1.1 responses out of `buf`; skips 1xx. `noBodies`: answers to HEAD have no
 * body. A response with neither Content-Length nor chunking ends when the connection does (`closed`).
 */
export function parseResponses(buf: Buffer, noBodies = false, closed = false): RawResponse[] {
  const out: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = buf.indexOf('\r\n\r\n', at);
    if (headEnd < 0) return out;
    const head = buf.subarray(at, headEnd).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
    if (!m) return out;
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    let bodyStart = headEnd + 4;
    let body: Buffer;
    if (noBodies || status < 200 || status === 204 || status === 304) {
      body = Buffer.alloc(0);
    } else if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
      const chunks: Buffer[] = [];
      let p = bodyStart;
      for (;;) {
        const lineEnd = buf.indexOf('\r\n', p);
        if (lineEnd < 0) return out;
        const size = parseInt(buf.subarray(p, lineEnd).toString('latin1'), 16);
        if (Number.isNaN(size)) return out;
        if (size === 0) {
          const trailerEnd = buf.indexOf('\r\n\r\n', lineEnd);
          if (trailerEnd < 0 && buf.length < lineEnd + 4) return out;
          bodyStart = trailerEnd >= 0 ? trailerEnd + 4 : lineEnd + 4;
          break;
        }
        if (buf.length < lineEnd + 2 + size + 2) return out;
        chunks.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
        p = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(chunks);
      at = bodyStart;
    } else if (headers['content-length'] === undefined) {
      if (!closed) return out;
      body = buf.subarray(bodyStart);
      bodyStart = buf.length;
    } else {
      const length = Number(headers['content-length']);
      if (buf.length < bodyStart + length) return out;
      body = buf.subarray(bodyStart, bodyStart + length);
      bodyStart += length;
    }
    at = bodyStart;
    if (status >= 200) out.push({ status, headers, body: body.toString('utf8') });
  }
}

/** Sends `parts` to 127.0.0.1:`port` and reports what came back. Never rejects. */
export function rawExchange(port: number, parts: RawPart[], opts: RawOptions = {}): Promise<RawExchange> {
  const started = Date.now();
  const want = opts.responses ?? 1;
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    let error: string | undefined;
    let closed = false;
    let done = false;
    let pause: { timer: NodeJS.Timeout; resume: () => void } | undefined;
    const finish = (why?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // A pause between writes ends with the exchange: nothing may outlive it.
      if (pause) {
        clearTimeout(pause.timer);
        pause.resume();
      }
      if (why && !error) error = why;
      const responses = parseResponses(Buffer.concat(received), opts.head, closed);
      socket.destroy();
      resolve({ response: responses[0], responses, closed, error, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish('timeout'), opts.timeoutMs ?? 10_000);
    socket.on('data', (chunk) => {
      received.push(chunk);
      if (want > 0 && parseResponses(Buffer.concat(received), opts.head).length >= want) finish();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A write after the server closed (EPIPE) is not the end: the answer may still be readable.
      if (!error) error = err.code ?? err.message;
      if (err.code !== 'EPIPE') closed = true;
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.once('connect', async () => {
      for (const part of parts) {
        if (done || socket.destroyed) return;
        if (typeof part === 'object' && !Buffer.isBuffer(part)) {
          await new Promise<void>((resume) => (pause = { timer: setTimeout(resume, part.pauseMs), resume }));
          pause = undefined;
          continue;
        }
        const flushed = socket.write(part);
        if (!flushed)
          await new Promise<void>((r) => {
            socket.once('drain', r);
            socket.once('close', r);
          });
      }
      if (opts.endAfterWrite && !socket.destroyed) socket.end();
    });
  });
}

/** One request in wire format: `Host` and `Content-Length` (when there is a body) unless given. */
export function rawRequest(method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer): string | Buffer {
  const lines = [`${method} ${target} HTTP/1.1`];
  const names = Object.keys(headers).map((k) => k.toLowerCase());
  if (!names.includes('host')) lines.push('Host: 127.0.0.1');
  if (body !== undefined && !names.includes('content-length') && !names.includes('transfer-encoding'))
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  const head = `${lines.join('\r\n')}\r\n\r\n`;
  if (body === undefined) return head;
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')]);
}
