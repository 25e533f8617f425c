/**
 * Encryption at rest (cdk-nag AwsSolutions RDS2 / SNS2, pulumi compliance-policies' "encrypted"
 * rules, in our words): the database, the alert topics, and logs and S3 where a customer key is
 * configured.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { publicStatements } from '../../lib/resource-policy';
import { isUnknown, knownString, read } from '../../lib/known';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

export const auroraEncrypted: PackResourcePolicy = {
  name: 'aurora-encrypted',
  description:
    "Database storage, its snapshots and backups are encrypted at rest: processing_state holds the users' goals and generated plans.",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: [
    validateResourceOfType(aws.rds.Cluster, (cluster, args, report) => {
      if (cluster.storageEncrypted !== true)
        report(`Aurora cluster "${cluster.clusterIdentifier ?? args.name}" is not encrypted at rest (storageEncrypted).`);
    }),
    validateResourceOfType(aws.rds.Instance, (db, args, report) => {
      if (db.storageEncrypted !== true) report(`RDS instance "${db.identifier ?? args.name}" is not encrypted at rest (storageEncrypted).`);
    }),
  ],
};

/** AWS-managed SNS key: CloudWatch and Budgets cannot use it, so their alerts to the topic are dropped. */
const AWS_MANAGED_SNS_KEY = /^(alias\/aws\/sns|arn:aws[\w-]*:kms:[\w-]+:\d{12}:alias\/aws\/sns)$/;

export const snsEncrypted: PackResourcePolicy = {
  name: 'sns-encrypted',
  description:
    'SNS topics are encrypted with a customer-managed KMS key (kmsMasterKeyId): alert messages carry resource names, thresholds and runbook links, and the AWS-managed alias/aws/sns key lets neither CloudWatch nor Budgets publish, so their alerts would be dropped.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.sns.Topic, (topic, args, report) => {
    const name = `SNS topic "${displayName(topic, args.name)}"`;
    // Unknown at preview: the ARN of the key created with it (checked again at up).
    const key = read(() => topic.kmsMasterKeyId);
    if (!key) report(`${name} is not encrypted at rest: set kmsMasterKeyId to a customer-managed KMS key.`);
    else if (!isUnknown(key) && AWS_MANAGED_SNS_KEY.test(key)) {
      report(
        `${name} is encrypted with the AWS-managed key ${key}, whose policy lets neither CloudWatch alarms nor Budgets publish: use a customer-managed key that allows them.`,
      );
    }
  }),
};

export const kmsKeyRotation: PackResourcePolicy = {
  name: 'kms-key-rotation',
  description:
    'Symmetric customer-managed KMS keys rotate their key material at least yearly (enableKeyRotation), so a leaked data key expires, and no key policy lets `*` use the key without a condition.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, report) => {
    const name = `KMS key "${knownString(
      read(() => key.description),
      args.name,
    )}"`;
    const spec = read(() => key.customerMasterKeySpec) ?? 'SYMMETRIC_DEFAULT';
    if (spec === 'SYMMETRIC_DEFAULT' && read(() => key.enableKeyRotation) !== true) {
      report(`${name} never rotates its key material: set enableKeyRotation true (yearly by default).`);
    }
    const period = read(() => key.rotationPeriodInDays);
    if (typeof period === 'number' && period > 365)
      report(`${name} rotates every ${period} days; rotate at least yearly (rotationPeriodInDays ≤ 365).`);
    for (const problem of publicStatements(read(() => key.policy))) report(`${name} key policy ${problem}.`);
  }),
};

export interface KmsConfig {
  /** Demand a customer-managed KMS key, not the service's own encryption. */
  readonly requireKms: boolean;
}

const requireKmsSchema = (what: string) => ({
  properties: { requireKms: { type: 'boolean' as const, default: false, description: `Require a customer-managed KMS key for ${what}.` } },
});

export const logGroupEncryption: PackResourcePolicy = {
  name: 'log-group-encryption',
  description:
    'CloudWatch Logs always encrypts at rest with a service key; where a customer key is configured (requireKms, or a kmsKeyId) it must be a KMS key ARN, the only form CloudWatch Logs accepts.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  configSchema: requireKmsSchema('log groups'),
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) => {
    const name = `Log group ${displayName(group, args.name)}`;
    if (group.kmsKeyId === undefined || group.kmsKeyId === '') {
      if (args.getConfig<KmsConfig>().requireKms) report(`${name} is not encrypted with a customer-managed KMS key (kmsKeyId).`);
    } else if (!/^arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\//.test(group.kmsKeyId)) {
      report(
        `${name} names its KMS key "${group.kmsKeyId}"; CloudWatch Logs needs the key's ARN (arn:aws:kms:<region>:<account>:key/<id>).`,
      );
    }
  }),
};

const S3_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];
const S3_KMS = ['aws:kms', 'aws:kms:dsse'];

export const s3Encryption: PackResourcePolicy = {
  name: 's3-encryption',
  description:
    'S3 encrypts every object at rest (SSE-S3 by default since 2023, not switchable off); a bucket encryption configuration uses a known algorithm, and KMS where requireKms is configured.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  configSchema: requireKmsSchema('S3 buckets'),
  validateResource: validateResourceOfType(aws.s3.BucketServerSideEncryptionConfiguration, (sse, args, report) => {
    const requireKms = args.getConfig<KmsConfig>().requireKms;
    for (const rule of sse.rules ?? []) {
      const algorithm = rule.applyServerSideEncryptionByDefault?.sseAlgorithm;
      const name = `Encryption of S3 bucket "${sse.bucket ?? args.name}"`;
      if (!algorithm || !S3_ALGORITHMS.includes(algorithm))
        report(`${name} uses "${algorithm ?? 'nothing'}"; expected one of ${S3_ALGORITHMS.join(', ')}.`);
      else if (requireKms && !S3_KMS.includes(algorithm)) report(`${name} uses ${algorithm}; this stack requires a KMS key (aws:kms).`);
    }
  }),
};
