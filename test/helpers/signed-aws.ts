/**
 * Test doubles for AWS calls: a request handler that records each request and answers from a list
 * (for the SDK clients and the hand-signed DescribeRestoreJob alike), and a SigV4 verifier written
 * from AWS's specification (not the SDK's signer), so a test can check a signature without
 * trusting the code that made it.
 */
import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import type { SignedRequest } from '../../functions/src/adapters/signed-aws-client';

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** A request handler that records each request and answers from a list, in turn (the last one repeats). */
export function answering(...answers: Answer[]) {
  const requests: SignedRequest[] = [];
  const requestHandler = {
    async handle(request: SignedRequest) {
      requests.push(request);
      const a = answers[Math.min(requests.length - 1, answers.length - 1)]!;
      return {
        response: {
          statusCode: a.status,
          headers: a.headers ?? { 'content-type': 'application/json' },
          body: Readable.from([Buffer.from(a.body)]),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  return { requestHandler, requests };
}

/** A request body as text (the SDK's are byte arrays, ours strings). */
export const bodyText = (body: unknown): string =>
  typeof body === 'string'
    ? body
    : body instanceof Uint8Array
      ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
      : '';

/** SigV4 as AWS specifies it: true when `request`'s Authorization header is its signature with `secret`. */
export function verifySigV4(request: SignedRequest & { body?: unknown }, secret: string): boolean {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), String(v).trim()]));
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      headers.authorization ?? '',
    );
  if (!auth) return false;
  const [, , day, region, service, signedHeaders, signature] = auth as unknown as string[];
  const names = signedHeaders!.split(';');
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const path = request.path
    .split('/')
    .map((seg) => encodeURIComponent(encodeURIComponent(decodeURIComponent(seg))))
    .join('/');
  // The signature covers the body's hash; a stated hash must be the body's.
  const payload = sha(bodyText(request.body));
  if (headers['x-amz-content-sha256'] !== undefined && headers['x-amz-content-sha256'] !== payload) return false;
  const canonical = [request.method, path, '', ...names.map((n) => `${n}:${headers[n]}`), '', signedHeaders, payload].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', headers['x-amz-date'], scope, sha(canonical)].join('\n');
  const key = [day!, region!, service!, 'aws4_request'].reduce<Buffer | string>(
    (k, part) => createHmac('sha256', k).update(part).digest(),
    `AWS4${secret}`,
  );
  return createHmac('sha256', key).update(toSign).digest('hex') === signature;
}
