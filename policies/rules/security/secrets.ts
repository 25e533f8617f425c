/**
 * Secrets rotate (cdk-nag SMG4 in spirit): every Secrets Manager secret of the stack has a rotation
 * schedule, and the database master password is RDS-managed (kept in Secrets Manager and rotated by
 * RDS) rather than written into the program.
 */
import * as aws from '@pulumi/aws';
import { refersTo } from '../../lib/graph';
import { read } from '../../lib/known';
import { displayName, type PackStackPolicy } from '../../lib/pack-policy';

export interface RotationConfig {
  /** Longest allowed interval between rotations. */
  readonly maxRotationDays: number;
}

export const secretsRotation: PackStackPolicy = {
  name: 'secrets-rotation',
  description:
    'Every Secrets Manager secret rotates at least every maxRotationDays, and database master passwords are RDS-managed (rotated by RDS, never in the program or its state).',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  configSchema: {
    properties: {
      maxRotationDays: { type: 'integer', minimum: 1, default: 30, description: 'Longest allowed interval between rotations, in days.' },
    },
  },
  validateStack: (args, report) => {
    const { maxRotationDays } = args.getConfig<RotationConfig>();
    const rotations = args.resources.filter((r) => r.isType(aws.secretsmanager.SecretRotation));
    for (const secret of args.resources.filter((r) => r.isType(aws.secretsmanager.Secret))) {
      const name = `Secret "${displayName(secret.props, secret.name)}"`;
      const rotation = rotations.find((r) => refersTo(args.resources, r, 'secretId', secret));
      if (!rotation) {
        report(`${name} never rotates: add a SecretRotation.`, secret.urn);
        continue;
      }
      const days = read(() => rotation.props.rotationRules?.automaticallyAfterDays);
      if (typeof days === 'number' && days > maxRotationDays)
        report(`${name} rotates every ${days} days; this stack allows at most ${maxRotationDays}.`, rotation.urn);
    }
    for (const db of args.resources.filter((r) => r.isType(aws.rds.Cluster) || r.isType(aws.rds.Instance))) {
      if (read(() => db.props.masterPassword)) {
        const id = db.props.clusterIdentifier ?? db.props.identifier ?? db.name;
        report(
          `Database "${id}" takes its master password from the program (masterPassword): set manageMasterUserPassword so RDS keeps and rotates it.`,
          db.urn,
        );
      }
    }
  },
};
