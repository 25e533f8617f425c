/**
 * The DR test's alarms (災害復旧, RTO 4 h / RPO 24 h): DrValidation publishes what the monthly
 * restore test measured, once a month; each alarm judges that one datapoint against the guide.
 * Missing data is the normal case between tests, so it never breaches.
 */
import { BACKUP, DR, METRIC_DIMENSIONS, METRIC_NAMESPACE } from '../../guide';
import { alarm, type AlarmSpec } from './spec';
import type { AlarmKind } from './kinds';
import { awsMetric, single } from '../metrics';
import type { MonitoredResources } from '../monitored-resources';

/** The DR test restores an AWS Backup recovery point into a new Aurora cluster: nothing local does. */
const NOT_LOCAL =
  'the monthly DR test restores an AWS Backup recovery point into a temporary Aurora cluster (AWS Backup restore testing); the local runtime has neither';

const dr = (k: Omit<AlarmKind, 'category' | 'severity' | 'awsOnly'>): AlarmKind => ({
  ...k,
  category: 'dr',
  severity: 'warning',
  awsOnly: NOT_LOCAL,
});

const RUN_AGAIN =
  'After the fix, run the test again: aws backup start-restore-job with the latest recovery point of the vault, or wait for the next first Sunday (see Disaster recovery).';

export const DR_KINDS = {
  restoreTime: dr({
    section: 'dr-restore-time',
    title: 'DR test restore slower than the RTO',
    titleJa: '復旧時間 (RTO)',
    meaning: `The monthly DR test took more than the guide's RTO (${BACKUP.rtoHours} h) from the restore job's start until the restored database answered and passed validation: a real disaster would take at least that long.`,
    responseSteps: [
      'Open the restore job in AWS Backup (restore testing): how long did the restore itself take, and how long the added instance?',
      'Check the database size against the capacity plan (データベース容量): restore time grows with it.',
      'Consider a larger Serverless v2 minimum for the restore, or Aurora cloning / a warm standby if the RTO cannot be met.',
      RUN_AGAIN,
    ],
    source: 'guide: 災害復旧 — RTO 4時間; DR.metrics.restoreTime',
  }),
  recoveryPointAge: dr({
    section: 'dr-recovery-point-age',
    title: 'DR test recovery point older than the RPO',
    titleJa: '復旧時点 (RPO)',
    meaning: `The newest recovery point the monthly DR test found was more than the guide's RPO (${BACKUP.rpoHours} h) old when the restore started: that night's backup (03:00 JST) was missing, and a disaster would lose more than a day of data.`,
    responseSteps: [
      'List the backup jobs of the vault for the last two days (aws backup list-backup-jobs --by-backup-vault-name <vault>): which failed or did not start?',
      'See the backup-failed and backup-missing sections; start an on-demand backup once the cause is fixed.',
      RUN_AGAIN,
    ],
    source: 'guide: 災害復旧 — RPO 24時間; DR.metrics.recoveryPointAge',
  }),
  validationFailed: dr({
    section: 'dr-validation-failed',
    title: 'DR test failed',
    titleJa: '災害復旧テスト失敗',
    meaning:
      'The monthly DR test failed: the restore job failed, the restored database could not be reached, or it lacked migrations, tables, indexes or processes the source had before the recovery point. The backups may not be restorable.',
    responseSteps: [
      "Read the DrValidation log (/aws/lambda/dr-validation) and AWS Backup's validation status of the restore job: the message names what is missing.",
      'Open the AsyncProcessingDrTest execution to see the step that failed.',
      'Check that the test removed what it created: no cluster named awsbackup-restore-test-* and no instance dr-validation-* should remain.',
      RUN_AGAIN,
    ],
    source: 'guide: 定期メンテナンス 月次 — 災害復旧手順のテスト; DR.metrics.validationFailed',
  }),
} as const satisfies Record<string, AlarmKind>;

/** One datapoint a month, judged on the day it arrives. */
const MONTHLY = { periodSeconds: 86_400, periods: 1, datapoints: 1 } as const;

const drMetric = (name: string) => single(awsMetric(METRIC_NAMESPACE, name, { ...METRIC_DIMENSIONS }, 'Maximum', MONTHLY.periodSeconds));

export function drAlarms<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const { restoreTime, recoveryPointAge, validationFailed } = DR.metrics;
  return [
    alarm(r, {
      kind: DR_KINDS.restoreTime,
      unit: 's',
      queries: drMetric(restoreTime.name),
      threshold: BACKUP.rtoHours * 3600,
      evaluation: MONTHLY,
    }),
    alarm(r, {
      kind: DR_KINDS.recoveryPointAge,
      unit: 's',
      queries: drMetric(recoveryPointAge.name),
      threshold: BACKUP.rpoHours * 3600,
      evaluation: MONTHLY,
    }),
    alarm(r, { kind: DR_KINDS.validationFailed, queries: drMetric(validationFailed.name), threshold: 0, evaluation: MONTHLY }),
  ];
}
