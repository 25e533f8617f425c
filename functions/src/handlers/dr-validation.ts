/**
 * DrValidation, invoked by the monthly DR test's state machine (infra/specs/dr.ts):
 *  - `{ action: 'validate', restoreJobId, restored: { host, port } }` once AWS Backup has restored
 *    the latest recovery point and the test has added an instance to it: compares the restore with
 *    the source and answers AWS Backup's validation status;
 *  - `{ action: 'record-failure', restoreJobId?, reason }` when the test could not get that far.
 * Both publish DrRestoreTime, DrRecoveryPointAge and DrValidationFailed (the DR alarms).
 */
import { loadConfig, required } from '../runtime/config';
import { getDependencies } from '../runtime/deps';
import { traceCalls } from '../runtime/trace-clients';
import { createObserver } from '../observability/observer';
import { drMetrics } from '../observability/dr-metrics';
import { BackupRestoreJobs } from '../adapters/backup-restore-jobs';
import { connectRestored, restoreTimes } from '../adapters/dr-restore';
import { recordFailedTest, validateRestore, validationMessage, type RestoreTimes } from '../usecases/dr-validation';
import { systemClock } from '../ports';

export type DrValidationEvent =
  | { action: 'validate'; restoreJobId: string; restored: { host: string; port: number } }
  | { action: 'record-failure'; restoreJobId?: string; reason: string };

export interface DrValidationResult {
  /** AWS Backup's ValidationStatus. */
  status: 'SUCCESSFUL' | 'FAILED';
  message: string;
}

export function parseEvent(event: unknown): DrValidationEvent {
  const e = (event ?? {}) as Record<string, any>;
  if (
    e.action === 'validate' &&
    typeof e.restoreJobId === 'string' &&
    typeof e.restored?.host === 'string' &&
    Number.isInteger(Number(e.restored?.port))
  ) {
    return { action: 'validate', restoreJobId: e.restoreJobId, restored: { host: e.restored.host, port: Number(e.restored.port) } };
  }
  if (e.action === 'record-failure' && typeof e.reason === 'string') {
    return { action: 'record-failure', reason: e.reason, ...(typeof e.restoreJobId === 'string' ? { restoreJobId: e.restoreJobId } : {}) };
  }
  throw new Error(
    'Expected {"action":"validate","restoreJobId":…,"restored":{"host":…,"port":…}} or {"action":"record-failure","reason":…}',
  );
}

const clients = () => {
  const { region } = loadConfig();
  const { SecretsManagerClient } = require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
  return {
    backup: new BackupRestoreJobs({
      region: required(region, 'AWS_REGION', "Lambda sets it; elsewhere set it to the backup vault's region"),
      ...traceCalls('Backup'),
    }),
    secrets: new SecretsManagerClient({ region }),
  };
};

export async function handler(raw: unknown): Promise<DrValidationResult> {
  const event = parseEvent(raw);
  const observer = createObserver({ job: 'dr-validation', restoreJobId: event.restoreJobId });
  const { backup, secrets } = clients();
  const metrics = drMetrics();
  if (event.action === 'record-failure') {
    const times: Partial<RestoreTimes> = event.restoreJobId ? await restoreTimes(backup, event.restoreJobId).catch(() => ({})) : {};
    const m = recordFailedTest({ clock: systemClock, metrics }, times);
    observer.logger.error('災害復旧テストが完了しませんでした', { reason: event.reason, ...m });
    return { status: 'FAILED', message: `DR test did not complete: ${event.reason}`.slice(0, 1000) };
  }

  const times = await restoreTimes(backup, event.restoreJobId);
  const config = loadConfig();
  if (config.database.kind !== 'secret')
    throw new Error('DrValidation signs in with the master secret: set DB_HOST, DB_NAME and DB_SECRET_ARN');
  const deps = await getDependencies();
  const restored = await connectRestored(secrets, {
    ...event.restored,
    database: config.database.database,
    secretArn: config.database.secretArn,
  });
  try {
    const report = await validateRestore({ source: deps.pool, restored, clock: systemClock, metrics }, times);
    const message = validationMessage(report);
    if (report.ok) observer.logger.info('災害復旧テストに合格しました', { ...report, message });
    else observer.logger.error('災害復旧テストに不合格でした', { ...report, message });
    return { status: report.ok ? 'SUCCESSFUL' : 'FAILED', message };
  } finally {
    await restored.end();
  }
}
