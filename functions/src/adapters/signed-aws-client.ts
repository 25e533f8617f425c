/**
 * One AWS API's HTTP calls, signed with the SDK's own `@smithy/signature-v4` and sent through
 * `@smithy/node-http-handler` (keep-alive sockets). The handlers use the real AWS SDK clients (the
 * project's standard); this is the documented exception for the one call whose SDK client cannot
 * come from the Lambda runtime: AWS Backup's DescribeRestoreJob in DrValidation, where a bundled
 * `@aws-sdk/client-backup` (~360 KB) would break the 250 KB bundle budget.
 *
 * Errors are AwsServiceError named by AWS's error code (`x-amzn-errortype`, or the body's `__type`
 * / `code`), as an SDK client names them. Throttling, 5xx answers and dropped connections are
 * retried as the SDK's standard mode does: 3 attempts, full jitter on an exponential base.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { credentialsFor, NodeSha256, type CredentialSource } from './aws-signing';

/** The request shape smithy's request handlers take. */
export interface SignedRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RequestHandler {
  handle(
    request: SignedRequest,
  ): Promise<{ response: { statusCode: number; headers: Record<string, string | undefined>; body?: unknown } }>;
}

export interface SignedAwsClientOptions {
  /** The signing name, also the endpoint's host prefix: `backup`. */
  service: string;
  region: string;
  /** @default the region's public endpoint of the service */
  endpoint?: string;
  /** @default the execution role's (see aws-signing.ts) */
  credentials?: AwsCredentialIdentity | CredentialSource;
  /** @default a NodeHttpHandler with keep-alive sockets, 5 s to connect and `requestTimeoutMs` to answer */
  requestHandler?: RequestHandler;
  /** @default 30 000 */
  requestTimeoutMs?: number;
  /** @default 3, as the SDK's standard retry mode */
  maxAttempts?: number;
  /** Wraps each call (an X-Ray subsegment in a traced Lambda). */
  trace?: <T>(operation: string, call: () => Promise<T>) => Promise<T>;
}

/** An error the service answered, with its code as `name`, as an SDK client would throw it. */
/** One call: path relative to the endpoint; the body is JSON text when there is one. */
export interface AwsRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export class AwsServiceError extends Error {
  constructor(
    name: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = name;
  }
}

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'ThrottledException', 'Throttling']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'TimeoutError', 'RequestTimeout']);

/** The service's public endpoint in a region (China's regions are under amazonaws.com.cn). */
export const publicEndpoint = (service: string, region: string): string =>
  `https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;

export class SignedAwsClient {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;
  private handler: RequestHandler | undefined;

  constructor(private readonly options: SignedAwsClientOptions) {
    this.signer = new SignatureV4({
      service: options.service,
      region: options.region,
      credentials: credentialsFor(options.region, options.credentials),
      sha256: NodeSha256,
    });
    this.endpoint = new URL(options.endpoint ?? publicEndpoint(options.service, options.region));
    this.handler = options.requestHandler;
  }

  /** Sends the request (path relative to the endpoint) and returns its JSON answer; `operation` names it in traces. */
  request(operation: string, req: AwsRequest): Promise<Record<string, unknown>> {
    return this.options.trace ? this.options.trace(operation, () => this.withRetries(req)) : this.withRetries(req);
  }

  private async withRetries(req: AwsRequest): Promise<Record<string, unknown>> {
    const attempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(req);
      } catch (err) {
        if (attempt >= attempts || !retryable(err)) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(20_000, 100 * 2 ** attempt)));
      }
    }
  }

  private async once(req: AwsRequest): Promise<Record<string, unknown>> {
    const { hostname, protocol, port } = this.endpoint;
    const request: SignedRequest = {
      method: req.method,
      protocol,
      hostname,
      path: `${this.endpoint.pathname.replace(/\/$/, '')}${req.path}`,
      ...(port ? { port: Number(port) } : {}),
      headers: {
        host: port ? `${hostname}:${port}` : hostname,
        ...req.headers,
        ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
      },
      ...(req.body !== undefined ? { body: req.body } : {}),
    };
    const signed = (await this.signer.sign(request)) as SignedRequest;
    const { response } = await this.requestHandler().handle(signed);
    const text = await readBody(response.body);
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (response.statusCode >= 200 && response.statusCode < 300) return parsed;
    const header = Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'x-amzn-errortype')?.[1];
    const code = String(header ?? parsed.__type ?? parsed.code ?? parsed.Code ?? `HTTP ${response.statusCode}`)
      .split(':')[0]!
      .split('#')
      .pop()!;
    throw new AwsServiceError(
      code,
      String(parsed.message ?? parsed.Message ?? `${this.options.service} answered ${response.statusCode}`),
      response.statusCode,
    );
  }

  private requestHandler(): RequestHandler {
    if (!this.handler) {
      const { NodeHttpHandler } = require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');
      this.handler = new NodeHttpHandler({
        connectionTimeout: 5_000,
        requestTimeout: this.options.requestTimeoutMs ?? 30_000,
        throwOnRequestTimeout: true,
        httpAgent: { keepAlive: true },
        httpsAgent: { keepAlive: true },
      }) as unknown as RequestHandler;
    }
    return this.handler;
  }
}

function retryable(err: unknown): boolean {
  if (err instanceof AwsServiceError) return err.statusCode >= 500 || err.statusCode === 429 || THROTTLING.has(err.name);
  const e = err as { code?: string; name?: string };
  return NETWORK.has(e.code ?? '') || NETWORK.has(e.name ?? '');
}

async function readBody(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
