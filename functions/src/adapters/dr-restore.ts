/**
 * What the DR validation reads from AWS: the restore job's times (AWS Backup) and a connection to
 * the restored cluster. The restore carries the source's master password as it was at the backup;
 * RDS rotates the managed secret, so the previous version is tried when the current one is refused.
 */
import type { Pool } from 'pg';
import { createPool } from '../state/pool';
import type { RestoreTimes } from '../usecases/dr-validation';

import type { BackupRestoreJobs } from './backup-restore-jobs';
type SecretsManager = import('@aws-sdk/client-secrets-manager').SecretsManagerClient;

export class RestoreJobNotReadyError extends Error {
  override readonly name = 'RestoreJobNotReadyError';
}

/** The restore job's start and its recovery point's time, as AWS Backup recorded them. */
export async function restoreTimes(backup: Pick<BackupRestoreJobs, 'describe'>, restoreJobId: string): Promise<RestoreTimes> {
  const job = await backup.describe(restoreJobId);
  if (!job.creationDate || !job.recoveryPointCreationDate) {
    throw new RestoreJobNotReadyError(
      `Restore job ${restoreJobId} has no ${job.creationDate ? 'RecoveryPointCreationDate' : 'CreationDate'} (status ${job.status})`,
    );
  }
  return { restoreStartedAt: job.creationDate, recoveryPointAt: job.recoveryPointCreationDate };
}

export interface RestoredDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly secretArn: string;
}

const AUTH_FAILED = '28P01';

/** A pool on the restored cluster, signed in as the master user with the password that was current at the backup. */
export async function connectRestored(secrets: SecretsManager, db: RestoredDatabase): Promise<Pool> {
  const { GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
  let lastError: unknown;
  for (const VersionStage of ['AWSCURRENT', 'AWSPREVIOUS']) {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: db.secretArn, VersionStage })).catch((err: unknown) => {
      lastError = err;
      return undefined;
    });
    if (!secret?.SecretString) continue;
    const { username, password } = JSON.parse(secret.SecretString) as { username?: string; password?: string };
    const pool = createPool({
      host: db.host,
      port: db.port,
      database: db.database,
      user: username,
      password,
      ssl: { rejectUnauthorized: true },
      min: 0,
      max: 2,
    });
    try {
      await pool.query('SELECT 1');
      return pool;
    } catch (err) {
      await pool.end().catch(() => undefined);
      lastError = err;
      if ((err as { code?: string }).code !== AUTH_FAILED) throw err;
    }
  }
  throw new Error(`Could not sign in to the restored database at ${db.host} with the current or previous master secret`, {
    cause: lastError,
  });
}
