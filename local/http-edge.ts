/**
 * What a front door does below the routes, so that no request, however malformed, can stop the
 * local API or leave a client without an answer: parse the request target without throwing, read a
 * body up to a limit, answer before a body is read without resetting the connection, and answer
 * what node's HTTP parser refuses with the contract's error envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { API } from '../guide';
import type { ApiErrorCode } from '../functions/src/domain/errors';
import { errorBody } from '../functions/src/http/respond';

/**
 * After answering a request whose body is still coming (401, 404, 413 …), the rest of the body is
 * read and dropped up to this many bytes, and the answer follows it: the client sees an ordinary
 * exchange instead of a reset. API Gateway's own payload limit is 10 MB; a body larger than this is
 * answered at once and the connection closed gracefully (`lingeringClose`).
 */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
/** How long a connection we close keeps reading (and dropping) what the client still sends, so our answer is not lost to a reset. */
export const LINGER_MS = 5_000;

/** The request target (`/path?query` or `http://host/path?query`), split without decoding; undefined if it is neither. */
export function parseTarget(raw: string | undefined): { path: string; query: string } | undefined {
  if (!raw) return undefined;
  let target = raw;
  if (!raw.startsWith('/')) {
    if (!/^https?:\/\//i.test(raw)) return undefined;
    try {
      const url = new URL(raw);
      target = `${url.pathname}${url.search}`;
    } catch {
      return undefined;
    }
  }
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

/** True when the request announces a body (a Content-Length above 0, or a Transfer-Encoding). */
export function announcesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The declared Content-Length, if it is a plain number (node's parser refuses anything else before we see it). */
export function declaredLength(req: IncomingMessage): number | undefined {
  const raw = req.headers['content-length'];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

export type BodyRead = { kind: 'body'; body: Buffer } | { kind: 'too-large'; received: number } | { kind: 'gone' };

/**
 * Reads the body up to `limit` bytes. Past the limit it stops keeping bytes but goes on reading
 * them (a stream left paused, or destroyed, resets the client before it reads our 413).
 * `gone`: the client went away (aborted, or the connection was closed under us).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        resolve({ kind: 'too-large', received: size });
      } else {
        chunks.push(chunk);
      }
    });
    req.once('end', () => resolve(size > limit ? { kind: 'too-large', received: size } : { kind: 'body', body: Buffer.concat(chunks) }));
    req.once('error', () => resolve({ kind: 'gone' }));
    req.once('close', () => {
      if (!req.complete) resolve({ kind: 'gone' });
    });
  });
}

/**
 * Waits until the rest of the body has been read and dropped, or until `DRAIN_LIMIT_BYTES` were
 * read. `drained`: answer normally; `too-long`: answer raw and close (`answerAndClose`); `gone`:
 * nobody is left to answer.
 */
export function drainBody(req: IncomingMessage): Promise<'drained' | 'too-long' | 'gone'> {
  if (req.complete) return Promise.resolve('drained');
  if ((declaredLength(req) ?? 0) > DRAIN_LIMIT_BYTES) return Promise.resolve('too-long');
  return new Promise((resolve) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) resolve('too-long');
    });
    req.once('end', () => resolve('drained'));
    req.once('error', () => resolve('gone'));
    req.once('close', () => {
      if (!req.complete) resolve('gone');
    });
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

export const jsonAnswer = (status: number, body: unknown, headers: Record<string, string> = {}): RawAnswer => ({
  status,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify(body),
});

/** An error in the contract's envelope, with the headers every error carries. */
export const errorAnswer = (
  status: number,
  code: ApiErrorCode,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): RawAnswer => jsonAnswer(status, errorBody(code, message, requestId), { 'apigw-requestid': requestId, ...headers });

export const tooLarge = (requestId: string): RawAnswer =>
  errorAnswer(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${API.maxBodyBytes} bytes (${API.maxBodyBytes / 1024} KiB)`, requestId);

export const expectsContinue = (req: IncomingMessage): boolean => /100-continue/i.test(req.headers.expect ?? '');
/** Responses that have told their client to send the body (100 Continue). */
const continued = new WeakSet<ServerResponse>();

/** Tells a client that sent `Expect: 100-continue` to send its body. */
export function sendContinue(req: IncomingMessage, res: ServerResponse): void {
  if (!expectsContinue(req) || continued.has(res)) return;
  continued.add(res);
  res.writeContinue();
}

/**
 * Sends an answer. A request whose body is still coming is drained first (up to
 * DRAIN_LIMIT_BYTES), so the client reads our answer instead of a reset; a longer one is answered
 * on the socket and the connection closed gracefully (`closed` is then called).
 */
export async function sendAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  a: RawAnswer,
  closed: () => void = () => undefined,
): Promise<void> {
  const socket = req.socket as Socket;
  if (res.headersSent || res.writableEnded || isClosing(socket) || socket.destroyed) return;
  // A client that asked `Expect: 100-continue` and got no 100 sends no body; node closes the connection after this answer.
  const awaitingContinue = expectsContinue(req) && !continued.has(res);
  if (!req.complete && announcesBody(req) && !awaitingContinue) {
    const drained = await drainBody(req);
    if (drained === 'gone') return;
    if (drained === 'too-long' && res.socket === socket) {
      answerAndClose(socket, a, responseInFlight(socket));
      closed();
      return;
    }
  }
  if (res.headersSent || isClosing(socket) || socket.destroyed) return;
  res.writeHead(a.status, a.headers);
  res.end(a.body);
}

/** An HTTP/1.1 response as bytes, for a socket node's HTTP machinery has given up on. */
export function rawResponse({ status, headers, body }: RawAnswer): string {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`];
  const all = { ...headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
  for (const [k, v] of Object.entries(all)) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const closing = new WeakSet<Socket>();

/** True once `lingeringClose` has begun on this socket: nothing more may be written to it. */
export const isClosing = (socket: Socket | null | undefined): boolean => !!socket && closing.has(socket);

/**
 * Closes a connection the way nginx's lingering close does: our FIN goes after the answer, and what
 * the client still sends is read and dropped for LINGER_MS. Closing at once with unread bytes
 * would send a reset, and the client's TCP stack may then discard our answer before it is read.
 */
export function lingeringClose(socket: Socket): void {
  if (closing.has(socket)) return;
  closing.add(socket);
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  socket.end();
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Answers on the socket itself and closes it gracefully. For a response node's HTTP layer cannot
 * send well: a parser error, or a body too long to drain. If a response is already being sent on
 * this connection, nothing is written (it would corrupt that response); the connection just closes.
 */
export function answerAndClose(socket: Socket, answer: RawAnswer, inFlight?: ServerResponse | null): boolean {
  if (closing.has(socket) || socket.destroyed) return false;
  const writable = socket.writable && !inFlight?.headersSent;
  if (writable) socket.write(rawResponse(answer));
  lingeringClose(socket);
  return writable;
}

/** The response node's HTTP server has bound to this socket (not yet finished), if any. */
export const responseInFlight = (socket: Socket): ServerResponse | null =>
  (socket as unknown as { _httpMessage?: ServerResponse | null })._httpMessage ?? null;
