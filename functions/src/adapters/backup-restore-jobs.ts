/**
 * AWS Backup's DescribeRestoreJob, the one Backup call DrValidation makes, on a SignedAwsClient
 * instead of a bundled `@aws-sdk/client-backup` (~360 KB with its own smithy core and nested
 * clients). The runtime's SDK cannot be used instead: its client may predate the restore-testing
 * fields (RecoveryPointCreationDate), and its deserializer drops fields it does not know.
 * The wire format is AWS Backup's REST JSON: `GET /restore-jobs/{RestoreJobId}`, timestamps in
 * epoch seconds.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { escapeUri, type CredentialSource } from './aws-signing';
import { SignedAwsClient, type RequestHandler, type SignedAwsClientOptions } from './signed-aws-client';

export { AwsServiceError as BackupServiceError, type SignedRequest } from './signed-aws-client';

/** The fields of DescribeRestoreJob's answer that DrValidation reads. */
export interface RestoreJob {
  readonly restoreJobId?: string;
  readonly status?: string;
  readonly creationDate?: Date;
  readonly recoveryPointCreationDate?: Date;
}

export interface BackupRestoreJobsOptions {
  region: string;
  /** @default AWS_ENDPOINT_URL_BACKUP, else AWS_ENDPOINT_URL, else the region's public endpoint */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | CredentialSource;
  requestHandler?: RequestHandler;
  /** @default 3 */
  maxAttempts?: number;
  /** An X-Ray subsegment per call in a traced Lambda (runtime/trace-clients.ts `traceCalls`). */
  trace?: SignedAwsClientOptions['trace'];
}

export class BackupRestoreJobs {
  private readonly client: SignedAwsClient;

  constructor(options: BackupRestoreJobsOptions) {
    const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_BACKUP ?? process.env.AWS_ENDPOINT_URL;
    this.client = new SignedAwsClient({ ...options, service: 'backup', ...(endpoint ? { endpoint } : {}) });
  }

  async describe(restoreJobId: string): Promise<RestoreJob> {
    const body = await this.client.request('DescribeRestoreJob', {
      method: 'GET',
      path: `/restore-jobs/${escapeUri(restoreJobId)}`,
      headers: { accept: 'application/json' },
    });
    return {
      restoreJobId: typeof body.RestoreJobId === 'string' ? body.RestoreJobId : undefined,
      status: typeof body.Status === 'string' ? body.Status : undefined,
      creationDate: epochSeconds(body.CreationDate),
      recoveryPointCreationDate: epochSeconds(body.RecoveryPointCreationDate),
    };
  }
}

function epochSeconds(value: unknown): Date | undefined {
  return typeof value === 'number' ? new Date(Math.round(value * 1000)) : undefined;
}
