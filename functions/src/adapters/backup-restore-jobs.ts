/**
 * AWS Backup's DescribeRestoreJob, the one Backup call DrValidation makes, signed with the SDK's
 * own `@smithy/signature-v4` and sent through `@smithy/node-http-handler`. It replaces a bundled
 * `@aws-sdk/client-backup` (~360 KB with its own smithy core and nested clients): the runtime's
 * SDK cannot be used instead, because its client may predate the restore-testing fields
 * (RecoveryPointCreationDate) and its deserializer drops fields it does not know.
 *
 * The wire format is AWS Backup's REST JSON (`GET /restore-jobs/{RestoreJobId}`, timestamps in
 * epoch seconds); errors carry their code in `x-amzn-errortype` or the body's `__type`/`code`.
 * Throttling, 5xx answers and dropped connections are retried as the SDK's standard mode does.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { credentialsFor, escapeUri, NodeSha256, type CredentialSource } from './aws-signing';

/** The fields of DescribeRestoreJob's answer that DrValidation reads. */
export interface RestoreJob {
  readonly restoreJobId?: string;
  readonly status?: string;
  readonly creationDate?: Date;
  readonly recoveryPointCreationDate?: Date;
}

/** The request shape smithy's request handlers take (and `recordedAws` answers). */
export interface SignedRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
}

export interface RequestHandler {
  handle(request: SignedRequest): Promise<{ response: { statusCode: number; headers: Record<string, string | undefined>; body?: unknown } }>;
}

export interface BackupRestoreJobsOptions {
  region: string;
  /** @default AWS_ENDPOINT_URL_BACKUP, else AWS_ENDPOINT_URL, else the region's public endpoint */
  endpoint?: string;
  /** @default the execution role's (see aws-signing.ts) */
  credentials?: AwsCredentialIdentity | CredentialSource;
  /** @default a NodeHttpHandler with 5 s connection and 30 s request timeouts */
  requestHandler?: RequestHandler;
  /** @default 3, as the SDK's standard retry mode */
  maxAttempts?: number;
}

/** An error AWS Backup answered, with its code as `name`, as an SDK client would throw it. */
export class BackupServiceError extends Error {
  constructor(name: string, message: string, readonly statusCode: number) {
    super(message);
    this.name = name;
  }
}

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'ThrottledException', 'Throttling']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'TimeoutError', 'RequestTimeout']);

export class BackupRestoreJobs {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;
  private handler: RequestHandler | undefined;

  constructor(private readonly options: BackupRestoreJobsOptions) {
    this.signer = new SignatureV4({ service: 'backup', region: options.region, credentials: credentialsFor(options.region, options.credentials), sha256: NodeSha256 });
    this.endpoint = new URL(options.endpoint ?? process.env.AWS_ENDPOINT_URL_BACKUP ?? process.env.AWS_ENDPOINT_URL ?? publicEndpoint(options.region));
    this.handler = options.requestHandler;
  }

  async describe(restoreJobId: string): Promise<RestoreJob> {
    const body = await this.call(`/restore-jobs/${escapeUri(restoreJobId)}`);
    return {
      restoreJobId: typeof body.RestoreJobId === 'string' ? body.RestoreJobId : undefined,
      status: typeof body.Status === 'string' ? body.Status : undefined,
      creationDate: epochSeconds(body.CreationDate),
      recoveryPointCreationDate: epochSeconds(body.RecoveryPointCreationDate),
    };
  }

  private async call(path: string): Promise<Record<string, unknown>> {
    const attempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(path);
      } catch (err) {
        if (attempt >= attempts || !retryable(err)) throw err;
        // The SDK's standard mode: full jitter on an exponential base of 100 ms, at most 20 s.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(20_000, 100 * 2 ** attempt)));
      }
    }
  }

  private async once(path: string): Promise<Record<string, unknown>> {
    const { hostname, protocol, port } = this.endpoint;
    const prefix = this.endpoint.pathname.replace(/\/$/, '');
    const request: SignedRequest = {
      method: 'GET', protocol, hostname, path: `${prefix}${path}`,
      ...(port ? { port: Number(port) } : {}),
      headers: { host: port ? `${hostname}:${port}` : hostname, accept: 'application/json' },
    };
    const signed = (await this.signer.sign(request)) as SignedRequest;
    const { response } = await this.requestHandler().handle(signed);
    const text = await readBody(response.body);
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (response.statusCode >= 200 && response.statusCode < 300) return parsed;
    const header = Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'x-amzn-errortype')?.[1];
    const code = String(header ?? parsed.__type ?? parsed.code ?? parsed.Code ?? `HTTP ${response.statusCode}`).split(':')[0]!.split('#').pop()!;
    throw new BackupServiceError(code, String(parsed.message ?? parsed.Message ?? `AWS Backup answered ${response.statusCode}`), response.statusCode);
  }

  private requestHandler(): RequestHandler {
    if (!this.handler) {
      const { NodeHttpHandler } = require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');
      this.handler = new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true }) as unknown as RequestHandler;
    }
    return this.handler;
  }
}

function publicEndpoint(region: string): string {
  return `https://backup.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

function retryable(err: unknown): boolean {
  if (err instanceof BackupServiceError) return err.statusCode >= 500 || err.statusCode === 429 || THROTTLING.has(err.name);
  const e = err as { code?: string; name?: string };
  return NETWORK.has(e.code ?? '') || NETWORK.has(e.name ?? '');
}

function epochSeconds(value: unknown): Date | undefined {
  return typeof value === 'number' ? new Date(Math.round(value * 1000)) : undefined;
}

async function readBody(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
