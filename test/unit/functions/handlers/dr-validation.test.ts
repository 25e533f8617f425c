/**
 * DrValidation's edges: the events the DR test's state machine sends, and the restore job's times
 * as AWS Backup answers them (recorded responses; adapters/backup-restore-jobs.test.ts shows they
 * are read as the real SDK client reads them). The comparison itself runs on real databases in
 * test/integration/state/dr-validation.test.ts.
 */
import { parseEvent } from '../../../../functions/src/handlers/dr-validation';
import { BackupRestoreJobs } from '../../../../functions/src/adapters/backup-restore-jobs';
import { restoreTimes, RestoreJobNotReadyError } from '../../../../functions/src/adapters/dr-restore';
import { recordFailedTest } from '../../../../functions/src/usecases/dr-validation';
import { recordedAws } from '../../../helpers/recorded-aws';

const backupAnswering = (fixture: string) => {
  const aws = recordedAws({ DescribeRestoreJob: fixture });
  return { client: new BackupRestoreJobs({ region: 'ap-northeast-1', maxAttempts: 1, ...aws.config }), calls: aws.calls };
};

describe('DrValidation events', () => {
  it('accepts the validate and record-failure events of the DR test', () => {
    expect(parseEvent({ action: 'validate', restoreJobId: 'j', restored: { host: 'h', port: 5432 } })).toEqual({
      action: 'validate',
      restoreJobId: 'j',
      restored: { host: 'h', port: 5432 },
    });
    expect(parseEvent({ action: 'record-failure', restoreJobId: 'j', reason: 'restore job ended FAILED' })).toEqual({
      action: 'record-failure',
      restoreJobId: 'j',
      reason: 'restore job ended FAILED',
    });
    expect(parseEvent({ action: 'record-failure', reason: 'x' })).toEqual({ action: 'record-failure', reason: 'x' });
  });

  it.each([[{}], [{ action: 'validate', restoreJobId: 'j' }], [{ action: 'record-failure' }], [null]])(
    'refuses %j, saying what it expects',
    (event) => {
      expect(() => parseEvent(event)).toThrow(/^Expected \{"action":"validate"/);
    },
  );
});

describe('restoreTimes', () => {
  it('reads the restore start and the recovery point time from AWS Backup', async () => {
    const { client, calls } = backupAnswering('backup-describe-restore-job');

    const times = await restoreTimes(client, '9e2f-4c1a');

    expect(calls).toEqual([
      expect.objectContaining({
        operation: 'DescribeRestoreJob',
        path: '/restore-jobs/9e2f-4c1a',
        hostname: 'backup.ap-northeast-1.amazonaws.com',
      }),
    ]);
    expect(times).toEqual({ restoreStartedAt: new Date(1796524200512), recoveryPointAt: new Date(1796518920000) });
  });

  it('refuses a restore job that has not recorded its recovery point time', async () => {
    const { client } = backupAnswering('backup-describe-restore-job-running');
    await expect(restoreTimes(client, '9e2f-4c1a')).rejects.toThrow(RestoreJobNotReadyError);
  });
});

describe('recordFailedTest', () => {
  it('publishes a failure with the time since the restore started, so an unfinished restore shows against the RTO', () => {
    const published: unknown[] = [];
    const m = recordFailedTest(
      { clock: { now: () => new Date('2026-12-06T05:00:00Z') }, metrics: { publish: (x) => void published.push(x) } },
      { restoreStartedAt: new Date('2026-12-06T00:30:00Z'), recoveryPointAt: new Date('2026-12-05T18:00:00Z') },
    );
    expect(m).toEqual({ restoreSeconds: 4.5 * 3600, recoveryPointAgeSeconds: 6.5 * 3600, failed: true });
    expect(published).toEqual([m]);
  });
});
