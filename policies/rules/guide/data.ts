/**
 * Data management (データ管理): 30-day log retention, daily database backups at 03:00 JST kept 7
 * days, and in prod, protection of the data against a mistaken `destroy`.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { BACKUP, RETENTION } from '../../../guide';
import { dailyCronJst, hhmm, jstToUtc, minutesOf, utcToJst, windowStart } from '../../lib/clock';
import { referenced, refersTo } from '../../lib/graph';
import { isUnknown, knownItems, knownString, read } from '../../lib/known';
import { displayName, type PackResourcePolicy, type PackStackPolicy } from '../../lib/pack-policy';

export const logGroupRetention: PackResourcePolicy = {
  name: 'log-group-retention',
  description: `Every CloudWatch log group keeps logs ${RETENTION.logsDays} days (データ保持ポリシー): longer costs money and keeps personal data past its purpose, shorter loses evidence.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) => {
    const name = displayName(group, args.name);
    const days = group.retentionInDays;
    if (days === undefined || days === 0) {
      report(`Log group ${name} keeps logs forever (no retentionInDays); the guide keeps logs ${RETENTION.logsDays} days.`);
    } else if (days !== RETENTION.logsDays) {
      report(`Log group ${name} keeps logs ${days} days; the guide keeps logs ${RETENTION.logsDays} days.`);
    }
  }),
};

const BACKUP_JST = minutesOf(BACKUP.startJst);
const GUIDE_BACKUP = `daily at ${hhmm(BACKUP_JST)} JST (${hhmm(jstToUtc(BACKUP_JST))} UTC)`;

export const auroraBackups: PackResourcePolicy = {
  name: 'aurora-backups',
  description: `Aurora backups are kept at least ${BACKUP.retentionDays} days and start ${GUIDE_BACKUP}, as the guide's backup policy and RPO (${BACKUP.rpoHours} h) require; an AWS Backup plan keeps the same time and retention.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: [
    validateResourceOfType(aws.rds.Cluster, (cluster, args, report) => {
      const name = `Aurora cluster "${cluster.clusterIdentifier ?? args.name}"`;
      const days = cluster.backupRetentionPeriod ?? 1;
      if (days < BACKUP.retentionDays)
        report(`${name} keeps backups ${days} day(s); the guide keeps them at least ${BACKUP.retentionDays} days.`);
      const window = cluster.preferredBackupWindow;
      if (window === undefined) {
        report(`${name} has no preferredBackupWindow, so AWS picks one at random; the guide backs up ${GUIDE_BACKUP}.`);
        return;
      }
      const start = windowStart(window);
      if (start !== jstToUtc(BACKUP_JST)) {
        const when = start === undefined ? window : `${hhmm(start)} UTC (${hhmm(utcToJst(start))} JST)`;
        report(`${name} backs up at ${when}; the guide backs up ${GUIDE_BACKUP}.`);
      }
    }),
    validateResourceOfType(aws.backup.Plan, (plan, args, report) => {
      for (const rule of plan.rules ?? []) {
        const name = `Backup plan "${plan.name ?? args.name}" rule "${rule.ruleName}"`;
        const keep = rule.lifecycle?.deleteAfter;
        if (keep !== undefined && keep < BACKUP.retentionDays)
          report(`${name} keeps backups ${keep} day(s); the guide keeps them at least ${BACKUP.retentionDays} days.`);
        const at = rule.schedule ? dailyCronJst(rule.schedule, rule.scheduleExpressionTimezone) : undefined;
        if (at !== BACKUP_JST)
          report(
            `${name} runs on "${rule.schedule ?? 'no schedule'}" (${rule.scheduleExpressionTimezone ?? 'UTC'}); the guide backs up ${GUIDE_BACKUP}.`,
          );
      }
    }),
  ],
};

export const deletionProtection: PackResourcePolicy = {
  name: 'deletion-protection',
  description:
    'In prod, the database, the user pool and the stores of backups and logs survive a mistaken `pulumi destroy` or console delete. Disabled for dev, which is torn down freely.',
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: [
    validateResourceOfType(aws.rds.Cluster, (cluster, args, report) => {
      const name = `Aurora cluster "${cluster.clusterIdentifier ?? args.name}"`;
      if (cluster.deletionProtection !== true) report(`${name} has deletion protection off.`);
      if (cluster.skipFinalSnapshot === true) report(`${name} skips the final snapshot, so deleting it loses the data.`);
    }),
    validateResourceOfType(aws.cognito.UserPool, (pool, args, report) => {
      if (pool.deletionProtection !== 'ACTIVE')
        report(
          `Cognito user pool "${displayName(pool, args.name)}" has deletion protection ${pool.deletionProtection ?? 'INACTIVE'}; the users' accounts would go with it.`,
        );
    }),
    validateResourceOfType(aws.s3.Bucket, (bucket, args, report) => {
      if (bucket.forceDestroy === true)
        report(`S3 bucket "${bucket.bucket ?? args.name}" has forceDestroy on: a destroy deletes every object in it.`);
    }),
    validateResourceOfType(aws.backup.Vault, (vault, args, report) => {
      if (vault.forceDestroy === true)
        report(`Backup vault "${displayName(vault, args.name)}" has forceDestroy on: a destroy deletes its recovery points.`);
    }),
  ],
};

export const logArchive: PackStackPolicy = {
  name: 'log-archive',
  description: `Every log group of the stack is archived whole (ログの圧縮とアーカイブ): a subscription filter with an empty pattern streams it to a Firehose delivery stream that writes compressed objects to an S3 bucket of the stack, whose lifecycle expires them; CloudWatch itself keeps ${RETENTION.logsDays} days, the archive is what the monthly access-log audit reads after that.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const { resources } = args;
    const filters = resources.filter((r) => r.isType(aws.cloudwatch.LogSubscriptionFilter));
    const lifecycles = resources.filter((r) => r.isType(aws.s3.BucketLifecycleConfiguration));
    for (const group of resources.filter((r) => r.isType(aws.cloudwatch.LogGroup))) {
      const name = knownString(
        read(() => group.props.name),
        group.name,
      );
      const filter = filters.find((f) => read(() => f.props.logGroup) === name || refersTo(resources, f, 'logGroup', group));
      if (!filter) {
        report(
          `Log group ${name} is not archived: add an aws.cloudwatch.LogSubscriptionFilter (filterPattern "") to the log archive stream.`,
          group.urn,
        );
        continue;
      }
      const pattern = read(() => filter.props.filterPattern);
      if (pattern !== '' && !isUnknown(pattern))
        report(`Log group ${name} archives only lines matching "${pattern}": the archive keeps every line (filterPattern "").`, filter.urn);
      const streams = referenced(resources, filter, 'destinationArn', aws.kinesis.FirehoseDeliveryStream);
      const stream = streams[0];
      if (!stream) {
        report(
          `Log group ${name} streams to no Firehose delivery stream of this stack: set the subscription filter's destinationArn to the log archive stream.`,
          filter.urn,
        );
        continue;
      }
      const s3 = read(() => stream.props.extendedS3Configuration) as { compressionFormat?: string } | undefined;
      if (!isUnknown(s3) && (s3?.compressionFormat ?? 'UNCOMPRESSED') === 'UNCOMPRESSED') {
        report(
          `Log archive stream "${knownString(
            read(() => stream.props.name),
            stream.name,
          )}" writes uncompressed objects: set extendedS3Configuration.compressionFormat GZIP.`,
          stream.urn,
        );
      }
      const buckets = referenced(resources, stream, 'extendedS3Configuration', aws.s3.Bucket);
      const expiring = buckets.some((b) =>
        lifecycles.some(
          (l) =>
            refersTo(resources, l, 'bucket', b) &&
            knownItems(() => l.props.rules as { status?: string; expiration?: { days?: number } }[]).some(
              (r) => r.status === 'Enabled' && (r.expiration?.days ?? 0) > 0,
            ),
        ),
      );
      if (!expiring)
        report(
          `Log archive stream "${knownString(
            read(() => stream.props.name),
            stream.name,
          )}" writes to no bucket of this stack whose lifecycle expires the archive.`,
          stream.urn,
        );
    }
  },
};
