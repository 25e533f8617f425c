/**
 * Log archive (ログの圧縮とアーカイブ): every log group of ours streams through Firehose into an S3
 * bucket, gzip-compressed, and S3 lifecycle moves then expires the objects. The guide does this
 * weekly; a stream does the same continuously and has no run to miss. CloudWatch keeps 30 days.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { blockPublicAccess } from './private-bucket';
import { INFRA } from '../../guide';
import { firehoseRolePolicy, logsToFirehosePolicy } from '../specs/policy-documents';
import { serviceRole, type StackArgs } from './service-role';

export const LOG_ARCHIVE_TYPE = 'async-ai-pipeline:infra:LogArchive';

export interface LogArchiveArgs extends StackArgs {
  /**
   * The groups to archive. A subscription filter names its group by a plain string, so it is
   * created after the group resource itself, or AWS answers "log group does not exist".
   */
  readonly logGroups: readonly aws.cloudwatch.LogGroup[];
  /** Their names, known before deployment (the guide fixes them): the filters' logical names. */
  readonly logGroupNames: readonly string[];
}

/** Lifecycle of archived logs, as data. */
export const archiveLifecycle = () => [
  {
    id: 'archive-then-expire',
    status: 'Enabled',
    filter: {},
    expiration: { days: INFRA.logArchive.expireAfterDays },
    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
  },
];

export class LogArchive extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: LogArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super(LOG_ARCHIVE_TYPE, name, {}, opts);
    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: args.stage !== 'prod' }, { parent: this });
    blockPublicAccess(`${name}-private`, bucket, this);
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: archiveLifecycle() }, { parent: this });

    const stream = this.createStream(name, args, bucket);
    const logs = serviceRole(this, `${name}-logs-role`, {
      service: 'logs.amazonaws.com',
      accountId: args.accountId,
      description: 'CloudWatch Logs: feed the archive stream',
      policy: stream.arn.apply((s) => JSON.stringify(logsToFirehosePolicy(s))),
    });
    if (args.logGroups.length !== args.logGroupNames.length) throw new Error('LogArchive: logGroups and logGroupNames must pair up');
    args.logGroupNames.forEach((logGroup, i) => {
      new aws.cloudwatch.LogSubscriptionFilter(
        `${name}-${logGroup.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-/, '')}`,
        {
          logGroup,
          filterPattern: '',
          destinationArn: stream.arn,
          roleArn: logs.role.arn,
        },
        { parent: this, dependsOn: [logs.ready, args.logGroups[i]!] },
      );
    });
    this.bucketName = bucket.bucket;
    this.registerOutputs({ bucketName: this.bucketName });
  }

  private createStream(name: string, args: LogArchiveArgs, bucket: aws.s3.Bucket): aws.kinesis.FirehoseDeliveryStream {
    const { role, ready } = serviceRole(this, `${name}-firehose-role`, {
      service: 'firehose.amazonaws.com',
      accountId: args.accountId,
      description: 'Firehose: write the log archive bucket',
      policy: bucket.arn.apply((b) => JSON.stringify(firehoseRolePolicy(b))),
    });
    return new aws.kinesis.FirehoseDeliveryStream(
      `${name}-stream`,
      {
        name: `async-ai-pipeline-${args.stage}-log-archive`,
        destination: 'extended_s3',
        extendedS3Configuration: {
          roleArn: role.arn,
          bucketArn: bucket.arn,
          prefix: 'logs/!{timestamp:yyyy/MM/dd}/',
          errorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
          // CloudWatch Logs sends gzip batches: unpack them to plain log lines, then compress the files.
          processingConfiguration: {
            enabled: true,
            processors: [
              { type: 'Decompression', parameters: [{ parameterName: 'CompressionFormat', parameterValue: 'GZIP' }] },
              { type: 'CloudWatchLogProcessing', parameters: [{ parameterName: 'DataMessageExtraction', parameterValue: 'true' }] },
            ],
          },
          compressionFormat: 'GZIP',
        },
      },
      { parent: this, dependsOn: [ready] },
    );
  }
}
