/**
 * RDS IAM authentication tokens: a SigV4-presigned `connect` request for the `rds-db` service,
 * valid 15 minutes, which PostgreSQL takes as the password. The same token `@aws-sdk/rds-signer`
 * makes (a test compares the two), signed by the SDK's own `@smithy/signature-v4`, without the
 * signer package's ~450 KB of credential providers (SSO, INI files, Cognito, …) in every bundle.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { credentialsFor, escapeUri, NodeSha256, type CredentialSource } from './aws-signing';

/** What RDS accepts: a token signed up to 15 minutes ago. */
export const TOKEN_LIFETIME_SECONDS = 900;

export interface RdsTokenTarget {
  hostname: string;
  port: number;
  username: string;
  region: string;
}

export class RdsIamTokens {
  private readonly signer: SignatureV4;

  constructor(
    private readonly target: RdsTokenTarget,
    credentials?: AwsCredentialIdentity | CredentialSource,
  ) {
    this.signer = new SignatureV4({
      service: 'rds-db',
      region: target.region,
      credentials: credentialsFor(target.region, credentials),
      sha256: NodeSha256,
    });
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
