/** Data management against the guide: log retention, backups, deletion protection. */
import { runPolicies } from '../../../policies/lib/engine';
import { policyNamed } from '../../../policies/rules';
import { MAINTENANCE } from '../../../guide';
import { T, archiveSet, backupPlan, backupSet, cluster, logGroup, schedule } from './helpers/happy-path';
import { mutate, resource, violations } from './helpers/policy-harness';

describe('log-group-retention', () => {
  it('passes 30 days', async () => {
    expect(await violations('log-group-retention', resource(T.logGroup, logGroup()))).toEqual([]);
  });

  it('fails another retention', async () => {
    expect(await violations('log-group-retention', resource(T.logGroup, mutate(logGroup(), 'retentionInDays', 90)))).toEqual([
      'Log group /aws/lambda/async-processing-handler keeps logs 90 days; the guide keeps logs 30 days.',
    ]);
  });

  it('fails when logs never expire', async () => {
    expect(await violations('log-group-retention', resource(T.logGroup, mutate(logGroup(), 'retentionInDays', undefined)))).toEqual([
      'Log group /aws/lambda/async-processing-handler keeps logs forever (no retentionInDays); the guide keeps logs 30 days.',
    ]);
  });
});

describe('aurora-backups', () => {
  it('passes 7 days from 18:00 UTC (03:00 JST), and a daily 03:00 JST backup plan', async () => {
    expect(await violations('aurora-backups', [resource(T.cluster, cluster()), resource(T.backupPlan, backupPlan())])).toEqual([]);
  });

  it('passes the same plan written in UTC', async () => {
    const plan = mutate(mutate(backupPlan(), 'rules.0.schedule', 'cron(0 18 * * ? *)'), 'rules.0.scheduleExpressionTimezone', undefined);
    expect(await violations('aurora-backups', resource(T.backupPlan, plan))).toEqual([]);
  });

  it('fails a shorter retention', async () => {
    expect(await violations('aurora-backups', resource(T.cluster, mutate(cluster(), 'backupRetentionPeriod', 3)))).toEqual([
      'Aurora cluster "async-ai-pipeline-prod" keeps backups 3 day(s); the guide keeps them at least 7 days.',
    ]);
  });

  it('fails a window at 03:00 UTC (12:00 JST)', async () => {
    expect(await violations('aurora-backups', resource(T.cluster, mutate(cluster(), 'preferredBackupWindow', '03:00-03:30')))).toEqual([
      'Aurora cluster "async-ai-pipeline-prod" backs up at 03:00 UTC (12:00 JST); the guide backs up daily at 03:00 JST (18:00 UTC).',
    ]);
  });

  it('fails without a window', async () => {
    expect(await violations('aurora-backups', resource(T.cluster, mutate(cluster(), 'preferredBackupWindow', undefined)))).toEqual([
      'Aurora cluster "async-ai-pipeline-prod" has no preferredBackupWindow, so AWS picks one at random; the guide backs up daily at 03:00 JST (18:00 UTC).',
    ]);
  });

  it('fails a backup plan at another time', async () => {
    const plan = mutate(backupPlan(), 'rules.0.schedule', 'cron(0 5 * * ? *)');
    expect(await violations('aurora-backups', resource(T.backupPlan, plan))).toEqual([
      'Backup plan "daily" rule "daily-0300-jst" runs on "cron(0 5 * * ? *)" (Asia/Tokyo); the guide backs up daily at 03:00 JST (18:00 UTC).',
    ]);
  });
});

describe('deletion-protection', () => {
  const protectedSet = () => [
    resource(T.cluster, cluster()),
    resource(T.userPool, { name: 'users', deletionProtection: 'ACTIVE' }),
    resource(T.bucket, { bucket: 'archive', forceDestroy: false }),
    resource(T.vault, { name: 'vault', forceDestroy: false }),
  ];

  it('passes protected data stores', async () => {
    expect(await violations('deletion-protection', protectedSet())).toEqual([]);
  });

  it('fails a cluster without deletion protection or final snapshot', async () => {
    const c = mutate(mutate(cluster(), 'deletionProtection', false), 'skipFinalSnapshot', true);
    expect(await violations('deletion-protection', resource(T.cluster, c))).toEqual([
      'Aurora cluster "async-ai-pipeline-prod" has deletion protection off.',
      'Aurora cluster "async-ai-pipeline-prod" skips the final snapshot, so deleting it loses the data.',
    ]);
  });

  it('fails an unprotected user pool, a force-destroyed bucket and vault', async () => {
    expect(
      await violations('deletion-protection', [
        resource(T.userPool, { name: 'users', deletionProtection: 'INACTIVE' }),
        resource(T.bucket, { bucket: 'archive', forceDestroy: true }),
        resource(T.vault, { name: 'vault', forceDestroy: true }),
      ]),
    ).toEqual([
      'Cognito user pool "users" has deletion protection INACTIVE; the users\' accounts would go with it.',
      'S3 bucket "archive" has forceDestroy on: a destroy deletes every object in it.',
      'Backup vault "vault" has forceDestroy on: a destroy deletes its recovery points.',
    ]);
  });

  it('reports nothing where the stack disables it (dev)', async () => {
    const c = resource(T.cluster, mutate(cluster(), 'deletionProtection', false));
    expect(
      await runPolicies([policyNamed('deletion-protection')], [c], { 'deletion-protection': { enforcementLevel: 'disabled' } }),
    ).toEqual([]);
  });
});

describe('maintenance-windows (stack)', () => {
  const instance = () => ({ instanceClass: 'db.serverless', preferredMaintenanceWindow: cluster().preferredMaintenanceWindow });
  const stack = () => [
    resource(T.schedule, schedule('weekly'), 'weekly'),
    resource(T.schedule, schedule('monthly'), 'monthly'),
    resource(T.cluster, cluster(), 'cluster'),
    resource(T.clusterInstance, instance(), 'instance-1'),
    backupSet().testing,
  ];
  const replaced = (name: string, props: Record<string, any>) => stack().map((r) => (r.name === name ? resource(r.type, props, name) : r));

  it("passes runs at the start of the guide's windows in Asia/Tokyo, and RDS patching inside the weekly one", async () => {
    expect(await violations('maintenance-windows', stack())).toEqual([]);
  });

  it('fails a stack without the weekly maintenance schedule', async () => {
    expect(
      await violations(
        'maintenance-windows',
        stack().filter((r) => r.name !== 'weekly'),
      ),
    ).toEqual([
      `No schedule runs the weekly maintenance (SUN 02:00–04:00 JST: ${MAINTENANCE.weekly.tasks.join(' / ')}): expected an EventBridge Scheduler schedule whose target input is {"task":"weekly-maintenance"}.`,
    ]);
  });

  it('passes weekly runs on the 2nd–5th Sundays beside the monthly one on the first, and names a Sunday left without', async () => {
    const nth = (n: number) =>
      resource(T.schedule, mutate(schedule('weekly'), 'scheduleExpression', `cron(0 2 ? * SUN#${n} *)`), `weekly-${n}`);
    const split = [...stack().filter((r) => r.name !== 'weekly'), ...[2, 3, 4, 5].map(nth)];
    expect(await violations('maintenance-windows', split)).toEqual([]);
    expect(
      await violations(
        'maintenance-windows',
        split.filter((r) => r.name !== 'weekly-4'),
      ),
    ).toEqual([
      `The weekly maintenance (${MAINTENANCE.weekly.tasks.join(' / ')}) does not run on SUN#4: every SUN needs a run, by a weekly schedule (SUN, or SUN#n) or the monthly one, which does the weekly work too.`,
    ]);
  });

  it('fails a schedule read in UTC (02:00 UTC is 11:00 JST)', async () => {
    expect(
      await violations('maintenance-windows', replaced('weekly', mutate(schedule('weekly'), 'scheduleExpressionTimezone', undefined))),
    ).toEqual([
      'Schedule "weekly-maintenance" (weekly maintenance) runs in UTC; the guide\'s window (SUN 02:00–04:00 JST) is Asia/Tokyo wall-clock time: set the timezone Asia/Tokyo.',
    ]);
  });

  it('fails a run outside its window, and one on every Sunday instead of the first', async () => {
    expect(
      await violations('maintenance-windows', replaced('weekly', mutate(schedule('weekly'), 'scheduleExpression', 'cron(0 5 ? * SUN *)'))),
    ).toEqual([
      'Schedule "weekly-maintenance" (weekly maintenance) starts at 05:00 JST, outside the guide\'s window (SUN 02:00–04:00 JST).',
    ]);
    expect(
      await violations(
        'maintenance-windows',
        replaced('monthly', mutate(schedule('monthly'), 'scheduleExpression', 'cron(0 2 ? * SUN *)')),
      ),
    ).toEqual(['Schedule "monthly-maintenance" (monthly maintenance) runs on SUN; the guide\'s window is SUN#1 02:00–06:00 JST.']);
  });

  it('fails a maintenance schedule left DISABLED', async () => {
    expect(await violations('maintenance-windows', replaced('monthly', { ...schedule('monthly'), state: 'DISABLED' }))).toEqual([
      'Schedule "monthly-maintenance" (monthly maintenance) is DISABLED: the guide\'s monthly tasks would stop running; set state ENABLED.',
    ]);
  });

  it('fails retries that may start a run after its window ends', async () => {
    const late = mutate(schedule('weekly'), 'target.retryPolicy.maximumEventAgeInSeconds', 86_400);
    expect(await violations('maintenance-windows', replaced('weekly', late))).toEqual([
      'Schedule "weekly-maintenance" (weekly maintenance) may still start 1440 min after 02:00 JST (retries, flexible window), past the end of the guide\'s window (SUN 02:00–04:00 JST).',
    ]);
  });

  it('fails RDS patching outside the weekly window, and an instance left to a random window', async () => {
    const stack2 = replaced('cluster', mutate(cluster(), 'preferredMaintenanceWindow', 'mon:03:00-mon:03:30')).map((r) =>
      r.name === 'instance-1' ? resource(T.clusterInstance, mutate(instance(), 'preferredMaintenanceWindow', undefined), 'instance-1') : r,
    );
    expect(await violations('maintenance-windows', stack2)).toEqual([
      'Aurora cluster "async-ai-pipeline-prod" is patched mon:03:00-mon:03:30 (UTC), outside the guide\'s weekly window: set preferredMaintenanceWindow inside sat:17:00-sat:19:00 (UTC), i.e. the guide\'s weekly window SUN 02:00–04:00 JST.',
      'Database instance "instance-1" has no preferredMaintenanceWindow, so AWS patches it at a random time of the week: set preferredMaintenanceWindow inside sat:17:00-sat:19:00 (UTC), i.e. the guide\'s weekly window SUN 02:00–04:00 JST.',
    ]);
  });

  it('fails a restore test outside the monthly window', async () => {
    const set = backupSet();
    const testing = resource(
      T.restoreTestingPlan,
      mutate(set.testing.inputs, 'scheduleExpression', 'cron(0 14 ? * SUN#1 *)'),
      'restore-testing',
    );
    expect(
      await violations(
        'maintenance-windows',
        stack().map((r) => (r.name === 'restore-testing' ? testing : r)),
      ),
    ).toEqual(['Restore testing plan "monthly" starts at 14:00 JST, outside the guide\'s window (SUN#1 02:00–06:00 JST).']);
  });
});

describe('backup-restore-testing (stack)', () => {
  it('passes a backed-up cluster restore-tested monthly from the backup vault', async () => {
    expect(await violations('backup-restore-testing', backupSet().all)).toEqual([]);
  });

  it('fails when the restore test is removed', async () => {
    const set = backupSet();
    expect(
      await violations(
        'backup-restore-testing',
        set.all.filter((r) => r !== set.test),
      ),
    ).toEqual([
      'Aurora cluster "async-ai-pipeline-prod" is never restore-tested: the guide verifies backups monthly; add an aws.backup.RestoreTestingPlan in the monthly window and a RestoreTestingSelection (protectedResourceType Aurora) naming the cluster.',
    ]);
  });

  it('fails when no backup selection covers the cluster', async () => {
    const set = backupSet();
    expect(
      await violations(
        'backup-restore-testing',
        set.all.filter((r) => r !== set.selection),
      ),
    ).toEqual([
      'Aurora cluster "async-ai-pipeline-prod" is in no AWS Backup selection of a backup plan: add an aws.backup.Selection with the cluster\'s ARN in resources.',
    ]);
  });

  it('fails a restore test of a random, old recovery point', async () => {
    const set = backupSet();
    const testing = resource(
      T.restoreTestingPlan,
      mutate(
        mutate(set.testing.inputs, 'recoveryPointSelection.algorithm', 'RANDOM_WITHIN_WINDOW'),
        'recoveryPointSelection.selectionWindowDays',
        365,
      ),
      'restore-testing',
      { deps: { recoveryPointSelection: [set.vault] } },
    );
    expect(
      await violations(
        'backup-restore-testing',
        set.all.map((r) => (r === set.testing ? testing : r)),
      ),
    ).toEqual([
      'Restore testing plan "monthly" restores RANDOM_WITHIN_WINDOW recovery point; the monthly verification restores the latest (algorithm LATEST_WITHIN_WINDOW).',
      'Restore testing plan "monthly" looks back 365 days, past the 7-day retention: set selectionWindowDays 7.',
    ]);
  });
});

describe('log-archive (stack)', () => {
  it('passes a log group streamed whole, compressed, to an expiring bucket', async () => {
    expect(await violations('log-archive', archiveSet().all)).toEqual([]);
  });

  it('fails a log group that is not archived', async () => {
    const set = archiveSet();
    expect(
      await violations(
        'log-archive',
        set.all.filter((r) => r !== set.filter),
      ),
    ).toEqual([
      'Log group /aws/lambda/async-processing-handler is not archived: add an aws.cloudwatch.LogSubscriptionFilter (filterPattern "") to the log archive stream.',
    ]);
  });

  it('fails an archive of errors only, uncompressed, kept forever', async () => {
    const set = archiveSet();
    const filter = resource(T.subscriptionFilter, { ...set.filter.inputs, filterPattern: 'ERROR' }, 'filter', {
      deps: { destinationArn: [set.stream] },
    });
    const stream = resource(T.firehose, mutate(set.stream.inputs, 'extendedS3Configuration.compressionFormat', 'UNCOMPRESSED'), 'stream', {
      deps: { extendedS3Configuration: [set.bucket] },
    });
    const filterToNew = resource(T.subscriptionFilter, filter.inputs, 'filter', { deps: { destinationArn: [stream] } });
    expect(await violations('log-archive', [set.group, set.bucket, stream, filterToNew])).toEqual([
      'Log group /aws/lambda/async-processing-handler archives only lines matching "ERROR": the archive keeps every line (filterPattern "").',
      'Log archive stream "archive" writes uncompressed objects: set extendedS3Configuration.compressionFormat GZIP.',
      'Log archive stream "archive" writes to no bucket of this stack whose lifecycle expires the archive.',
    ]);
  });
});
