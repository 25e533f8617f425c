/**
 * Pulumi `protect` on what holds state (the operations guide's data: processing records, user
 * accounts, backups, archived logs): with it, `pulumi destroy` or a refactor that drops or
 * renames the resource stops instead of deleting it. Prod only; dev is torn down freely.
 */
import type { PackResourcePolicy } from '../../lib/pack-policy';

/** Resource types whose deletion loses data (or the key to it). */
export const STATEFUL_TYPES = [
  'aws:rds/cluster:Cluster',
  'aws:rds/instance:Instance',
  'aws:cognito/userPool:UserPool',
  'aws:backup/vault:Vault',
  'aws:s3/bucket:Bucket',
  'aws:kms/key:Key',
  'aws:dynamodb/table:Table',
  'aws:secretsmanager/secret:Secret',
];

export interface ProtectConfig {
  readonly resourceTypes: readonly string[];
}

export const protectStateful: PackResourcePolicy = {
  name: 'protect-stateful',
  description:
    "In prod, every resource that holds state (the database, the user pool, backup vaults, buckets, KMS keys, secrets) has Pulumi's `protect` option: a mistaken `pulumi destroy`, or a refactor that renames it, stops instead of deleting the data. Disabled for dev.",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  configSchema: {
    properties: {
      resourceTypes: {
        type: 'array',
        items: { type: 'string' },
        default: STATEFUL_TYPES,
        description: 'Pulumi types that must be protected.',
      },
    },
  },
  validateResource: (args, report) => {
    if (!args.getConfig<ProtectConfig>().resourceTypes.includes(args.type)) return;
    if (!args.opts.protect)
      report(
        `${args.type.split(':').pop()} "${args.name}" holds state but is not protected: add \`protect: true\` to its resource options (for prod).`,
      );
  },
};
