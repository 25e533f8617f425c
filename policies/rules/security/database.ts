/**
 * The database (cdk-nag RDS rules in spirit): Aurora signs in the functions with IAM, refuses
 * connections without TLS (rds.force_ssl in its cluster parameter group), exports its PostgreSQL
 * log to CloudWatch (slow statements, the guide's スロークエリログ), and RDS Proxy requires TLS too.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType, type PolicyResource } from '@pulumi/policy';
import { referenced } from '../../lib/graph';
import { isUnknown, knownItems, knownString, read } from '../../lib/known';
import type { PackResourcePolicy, PackStackPolicy } from '../../lib/pack-policy';

const FORCE_SSL = 'rds.force_ssl';
const POSTGRES_LOG = 'postgresql';

const clusterName = (c: PolicyResource): string => {
  const id = read(() => c.props.clusterIdentifier);
  return `Aurora cluster "${typeof id === 'string' ? id : c.name}"`;
};

export const auroraTlsIamLogs: PackStackPolicy = {
  name: 'aurora-tls-iam-logs',
  description: `Aurora clusters turn on IAM database authentication (the functions sign in as aip_app with short-lived tokens, no password), force TLS (${FORCE_SSL}=1 in the cluster parameter group) and export the ${POSTGRES_LOG} log to CloudWatch, where slow statements and failed sign-ins are read.`,
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateStack: (args, report) => {
    const { resources } = args;
    for (const cluster of resources.filter((r) => r.isType(aws.rds.Cluster))) {
      const name = clusterName(cluster);
      if (read(() => cluster.props.iamDatabaseAuthenticationEnabled) !== true) {
        report(
          `${name} has IAM database authentication off: set iamDatabaseAuthenticationEnabled true (the functions sign in with IAM tokens).`,
          cluster.urn,
        );
      }
      const exports = knownItems(() => cluster.props.enabledCloudwatchLogsExports as string[]);
      if (!exports.includes(POSTGRES_LOG))
        report(`${name} exports no ${POSTGRES_LOG} log to CloudWatch: set enabledCloudwatchLogsExports ["${POSTGRES_LOG}"].`, cluster.urn);
      const groups = referenced(resources, cluster, 'dbClusterParameterGroupName', aws.rds.ClusterParameterGroup);
      const forced = groups.some((g) =>
        knownItems(() => g.props.parameters as { name?: string; value?: string }[]).some((p) => p.name === FORCE_SSL && p.value === '1'),
      );
      if (!forced) {
        report(
          `${name} ${
            groups.length
              ? `uses parameter group "${knownString(
                  read(() => groups[0]!.props.name),
                  groups[0]!.name,
                )}", which does not set`
              : 'has no cluster parameter group of this stack setting'
          } ${FORCE_SSL}=1: plaintext connections would be accepted.`,
          cluster.urn,
        );
      }
    }
  },
};

export const rdsProxyTls: PackResourcePolicy = {
  name: 'rds-proxy-tls',
  description:
    "RDS Proxy requires TLS from its clients (requireTls) and does not log SQL statements (debugLogging off): the database password and the users' data cross that hop.",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.rds.Proxy, (proxy, args, report) => {
    const name = `RDS Proxy "${knownString(
      read(() => proxy.name),
      args.name,
    )}"`;
    const tls = read(() => proxy.requireTls);
    if (tls !== true)
      report(`${name} accepts connections without TLS (requireTls ${isUnknown(tls) ? 'unknown' : (tls ?? false)}): set requireTls true.`);
    if (read(() => proxy.debugLogging) === true) report(`${name} logs every SQL statement with its data (debugLogging): turn it off.`);
  }),
};
