/**
 * Database: Aurora PostgreSQL Serverless v2, private and encrypted, its master password managed by
 * RDS in Secrets Manager, IAM authentication on, backups and maintenance in the guide's windows
 * (データベースバックアップ, 定期メンテナンス), slow statements logged; RDS Proxy as an option.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BACKUP, INFRA, RETENTION } from '../../guide';
import type { Stage, StackConfig } from '../config';
import { serviceRole, type StackArgs } from './service-role';
import { proxyRolePolicy } from '../specs/policy-documents';
import { rdsWindows } from '../specs/schedules';

export const DATABASE_TYPE = 'async-ai-pipeline:infra:Database';

export interface DatabaseArgs extends StackArgs {
  readonly database: StackConfig['database'];
  readonly privateSubnetIds: pulumi.Input<string[]>;
  readonly securityGroupId: pulumi.Input<string>;
}

/** `aurora-postgresql16` for engine version 16.x. */
export const parameterGroupFamily = (engineVersion: string): string => `${INFRA.database.engine}${engineVersion.split('.')[0]}`;

/** The cluster's identifier and its PostgreSQL log group, known before the cluster exists. */
export const clusterIdentifier = (stage: Stage): string => `async-ai-pipeline-${stage}`;
export const databaseLogGroupName = (stage: Stage): string => `/aws/rds/cluster/${clusterIdentifier(stage)}/postgresql`;

export class Database extends pulumi.ComponentResource {
  readonly clusterIdentifier: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly clusterResourceId: pulumi.Output<string>;
  /** Where the functions connect: the proxy when there is one, else the writer endpoint. */
  readonly host: pulumi.Output<string>;
  readonly port = INFRA.database.port;
  readonly databaseName = INFRA.database.name;
  readonly masterUsername = INFRA.database.masterUsername;
  readonly masterSecretArn: pulumi.Output<string>;
  readonly subnetGroupName: pulumi.Output<string>;
  readonly logGroupName: string;
  /** The instances: the cluster is usable once these exist. */
  readonly instances: aws.rds.ClusterInstance[];
  /** Where the functions connect is ready: the instances, and the proxy's target when there is a proxy. */
  readonly ready: pulumi.Resource[];
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DATABASE_TYPE, name, {}, opts);
    const identifier = clusterIdentifier(args.stage);
    this.logGroupName = databaseLogGroupName(args.stage);
    const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: args.privateSubnetIds }, { parent: this });
    const params = this.createParameterGroup(name, args);
    // Created before the cluster so RDS does not create it with unlimited retention.
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-postgresql-logs`,
      {
        name: this.logGroupName,
        retentionInDays: RETENTION.logsDays,
      },
      { parent: this },
    );
    const cluster = this.createCluster(name, identifier, args, subnets, params, logs);
    this.instances = this.createInstances(name, args, cluster);
    this.logGroup = logs;

    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterArn = cluster.arn;
    this.clusterResourceId = cluster.clusterResourceId;
    this.masterSecretArn = cluster.masterUserSecrets.apply((s) => s[0]?.secretArn ?? '');
    this.subnetGroupName = subnets.name;
    const proxy = args.database.rdsProxy ? this.createProxy(name, args, cluster) : undefined;
    this.host = proxy ? proxy.proxy.endpoint : cluster.endpoint;
    this.ready = [...this.instances, ...(proxy ? [proxy.target] : [])];
    this.registerOutputs({ clusterIdentifier: this.clusterIdentifier, host: this.host });
  }

  private createParameterGroup(name: string, args: DatabaseArgs): aws.rds.ClusterParameterGroup {
    return new aws.rds.ClusterParameterGroup(
      `${name}-cluster-params`,
      {
        family: parameterGroupFamily(args.database.engineVersion),
        description: 'async-ai-pipeline: slow statement logging, TLS only',
        parameters: [
          { name: 'log_min_duration_statement', value: String(INFRA.database.slowStatementMs) },
          { name: 'rds.force_ssl', value: '1' },
        ],
      },
      { parent: this },
    );
  }

  private createCluster(
    name: string,
    identifier: string,
    args: DatabaseArgs,
    subnets: aws.rds.SubnetGroup,
    params: aws.rds.ClusterParameterGroup,
    logs: aws.cloudwatch.LogGroup,
  ): aws.rds.Cluster {
    const prod = args.stage === 'prod';
    const windows = rdsWindows();
    return new aws.rds.Cluster(
      `${name}-cluster`,
      {
        clusterIdentifier: identifier,
        engine: INFRA.database.engine,
        engineMode: 'provisioned',
        engineVersion: args.database.engineVersion,
        serverlessv2ScalingConfiguration: { minCapacity: args.database.minCapacity, maxCapacity: args.database.maxCapacity },
        databaseName: INFRA.database.name,
        masterUsername: INFRA.database.masterUsername,
        manageMasterUserPassword: true,
        iamDatabaseAuthenticationEnabled: true,
        storageEncrypted: true,
        port: INFRA.database.port,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        dbClusterParameterGroupName: params.name,
        enabledCloudwatchLogsExports: ['postgresql'],
        backupRetentionPeriod: BACKUP.retentionDays,
        preferredBackupWindow: windows.backup,
        preferredMaintenanceWindow: windows.maintenance,
        copyTagsToSnapshot: true,
        deletionProtection: prod,
        skipFinalSnapshot: !prod,
        finalSnapshotIdentifier: prod ? `${identifier}-final` : undefined,
      },
      { parent: this, dependsOn: [logs] },
    );
  }

  private createInstances(name: string, args: DatabaseArgs, cluster: aws.rds.Cluster): aws.rds.ClusterInstance[] {
    // Each instance has its own patch window (AWS picks a random one if unset): the cluster's.
    const { maintenance } = rdsWindows();
    return Array.from(
      { length: args.database.instances },
      (_, i) =>
        new aws.rds.ClusterInstance(
          `${name}-instance-${i + 1}`,
          {
            clusterIdentifier: cluster.id,
            instanceClass: 'db.serverless',
            engine: INFRA.database.engine,
            engineVersion: cluster.engineVersion,
            publiclyAccessible: false,
            // Patches land in the guide's monthly window, not RDS's weekly one (guide MAINTENANCE).
            autoMinorVersionUpgrade: false,
            performanceInsightsEnabled: true,
            promotionTier: i,
            preferredMaintenanceWindow: maintenance,
          },
          { parent: this },
        ),
    );
  }

  /**
   * The proxy signs in to the database with the master secret, so behind it every function keeps
   * that secret (`appUsesIamAuth`); aip_app with IAM would need the proxy's end-to-end IAM mode.
   */
  private createProxy(name: string, args: DatabaseArgs, cluster: aws.rds.Cluster): { proxy: aws.rds.Proxy; target: aws.rds.ProxyTarget } {
    const { role, ready } = serviceRole(this, `${name}-proxy-role`, {
      service: 'rds.amazonaws.com',
      accountId: args.accountId,
      description: 'RDS Proxy: read the database secret',
      policy: this.masterSecretArn.apply((s) => JSON.stringify(proxyRolePolicy(s))),
    });
    const proxy = new aws.rds.Proxy(
      `${name}-proxy`,
      {
        engineFamily: 'POSTGRESQL',
        roleArn: role.arn,
        vpcSubnetIds: args.privateSubnetIds,
        vpcSecurityGroupIds: [args.securityGroupId],
        requireTls: true,
        auths: [{ authScheme: 'SECRETS', secretArn: this.masterSecretArn, iamAuth: 'DISABLED' }],
      },
      { parent: this, dependsOn: [ready] },
    );
    const targets = new aws.rds.ProxyDefaultTargetGroup(`${name}-proxy-targets`, { dbProxyName: proxy.name }, { parent: this });
    // RDS registers a cluster as a target only once it has an available instance.
    const target = new aws.rds.ProxyTarget(
      `${name}-proxy-cluster`,
      {
        dbProxyName: proxy.name,
        targetGroupName: targets.name,
        dbClusterIdentifier: cluster.clusterIdentifier,
      },
      { parent: this, dependsOn: this.instances },
    );
    return { proxy, target };
  }
}
