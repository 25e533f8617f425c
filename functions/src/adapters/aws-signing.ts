/**
 * What a hand-signed AWS call needs beside `@smithy/signature-v4` (the SDK's own signer): SHA-256
 * on node:crypto and the function's credentials. Used where a full SDK client would cost a bundle
 * hundreds of KB for one call (the RDS IAM token, AWS Backup's DescribeRestoreJob).
 *
 * Credentials: the ones Lambda gives the function's execution role in its environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); elsewhere the SDK's default
 * provider chain, through a service client the Lambda runtime ships (so nothing is bundled for it).
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';

export type CredentialSource = () => Promise<AwsCredentialIdentity>;

/** SHA-256 (or its HMAC with a secret) on node:crypto, in the shape the signer asks for. */
export class NodeSha256 implements Checksum {
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

/** The given credentials, else the environment's, else the default chain. */
export function credentialsFor(region: string, given?: AwsCredentialIdentity | CredentialSource): AwsCredentialIdentity | CredentialSource {
  return given ?? environmentCredentials() ?? defaultChain(region);
}

/** RFC 3986 escaping, as the SDK writes a query or a path label (`!'()*` escaped too). */
export const escapeUri = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
