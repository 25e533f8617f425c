/**
 * RDS IAM authentication tokens: a SigV4-presigned `connect` request for the `rds-db` service,
 * valid 15 minutes, which PostgreSQL takes as the password. The same token `@aws-sdk/rds-signer`
 * makes (a test compares the two), signed by the SDK's own `@smithy/signature-v4`, without the
 * signer package's ~450 KB of credential providers (SSO, INI files, Cognito, …) in every bundle.
 *
 * Credentials: the ones Lambda gives the function's execution role in its environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); elsewhere the SDK's default
 * provider chain, through a service client the Lambda runtime ships (so nothing is bundled for it).
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';

/** What RDS accepts: a token signed up to 15 minutes ago. */
export const TOKEN_LIFETIME_SECONDS = 900;

export interface RdsTokenTarget {
  hostname: string;
  port: number;
  username: string;
  region: string;
}

type CredentialSource = () => Promise<AwsCredentialIdentity>;

/** SHA-256 (or its HMAC with a secret) on node:crypto, in the shape the signer asks for. */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.make();
  }
  private make(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array | string): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.make();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The execution role's credentials from Lambda's environment, or undefined outside Lambda. */
export function environmentCredentials(env: NodeJS.ProcessEnv = process.env): AwsCredentialIdentity | undefined {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** The SDK's default chain (profiles, SSO, container and instance roles), read through the runtime's STS client. */
function defaultChain(region: string): CredentialSource {
  const { STSClient } = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
  const client = new STSClient({ region });
  return () => client.config.credentials();
}

export class RdsIamTokens {
  private readonly signer: SignatureV4;

  constructor(
    private readonly target: RdsTokenTarget,
    credentials?: AwsCredentialIdentity | CredentialSource,
  ) {
    const source = credentials ?? environmentCredentials() ?? defaultChain(target.region);
    this.signer = new SignatureV4({ service: 'rds-db', region: target.region, credentials: source, sha256: NodeSha256 });
  }

  /** A token signed now: `host:port/?Action=connect&DBUser=…&X-Amz-…`. */
  async token(signingDate: Date = new Date()): Promise<string> {
    const { hostname, port, username } = this.target;
    const presigned = await this.signer.presign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname,
        port,
        path: '/',
        query: { Action: 'connect', DBUser: username },
        headers: { host: `${hostname}:${port}` },
      },
      { expiresIn: TOKEN_LIFETIME_SECONDS, signingDate },
    );
    // As the SDK's formatUrl writes it: keys sorted, names and values escaped.
    const params = presigned.query ?? {};
    const query = Object.keys(params)
      .sort()
      .flatMap((k) => [params[k] ?? ''].flat().map((v) => `${escapeUri(k)}=${escapeUri(v)}`))
      .join('&');
    return `${hostname}:${port}/?${query}`;
  }
}

/** RFC 3986 escaping, as the SDK writes a query (`!'()*` escaped too). */
const escapeUri = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
