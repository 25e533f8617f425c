/** Data management against the guide: log retention, backups, deletion protection. */
import { runPolicies } from '../../../policies/lib/engine';
import { policyNamed } from '../../../policies/rules';
import { T, backupPlan, cluster, logGroup } from './helpers/happy-path';
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
    expect(await violations('deletion-protection', [
      resource(T.userPool, { name: 'users', deletionProtection: 'INACTIVE' }),
      resource(T.bucket, { bucket: 'archive', forceDestroy: true }),
      resource(T.vault, { name: 'vault', forceDestroy: true }),
    ])).toEqual([
      'Cognito user pool "users" has deletion protection INACTIVE; the users\' accounts would go with it.',
      'S3 bucket "archive" has forceDestroy on: a destroy deletes every object in it.',
      'Backup vault "vault" has forceDestroy on: a destroy deletes its recovery points.',
    ]);
  });

  it('reports nothing where the stack disables it (dev)', async () => {
    const c = resource(T.cluster, mutate(cluster(), 'deletionProtection', false));
    expect(await runPolicies([policyNamed('deletion-protection')], [c], { 'deletion-protection': { enforcementLevel: 'disabled' } })).toEqual([]);
  });
});
