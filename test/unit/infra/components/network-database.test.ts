/** Network and Database under mocks, both stacks: private, Lambda → database only, the guide's windows. */
import { BACKUP, INFRA, MAINTENANCE, RETENTION } from '../../../../guide';
import { loadStackConfig } from '../../../../infra/config/stack-file';
import type { OfflineRun } from '../../../../infra/offline/run';
import { guideDay, jstToUtc, overlaps, parseDailyWindow, parseWeeklyWindow } from '../../../../infra/specs/schedules';
import { STACKS, TYPES, named, ofType, offline, policyOf, runStacks, type StackName } from '../helpers/stacks';

let runs: Record<StackName, OfflineRun>;
beforeAll(async () => {
  runs = await runStacks();
});

const cluster = (s: StackName) => named(runs[s], TYPES.cluster, 'database-cluster').inputs;

describe.each(STACKS)('Network (%s)', (stack) => {
  it('builds the VPC from the stack config with public and private subnets', () => {
    const net = JSON.parse(loadStackConfig(stack)['async-ai-pipeline:network']!);
    const vpc = named(runs[stack], TYPES.vpc, 'network-vpc').inputs;
    expect(vpc).toMatchObject({ cidrBlock: net.cidrBlock, natGateways: { strategy: net.natGateways } });
    expect(vpc.subnetSpecs.map((s: { type: string }) => s.type).sort()).toEqual(['Private', 'Public']);
  });

  it('lets only the Lambda group reach the database, on 5432, and nothing in from the internet', () => {
    const ingress = ofType(runs[stack], TYPES.securityGroupIngress);
    const toDb = ingress.filter((r) => r.inputs.fromPort === INFRA.database.port);
    expect(toDb.map((r) => r.name)).toEqual(['network-database-from-lambda']);
    expect(toDb[0]!.inputs).toMatchObject({ referencedSecurityGroupId: 'network-lambda-sg-id', toPort: INFRA.database.port });
    for (const r of ingress) expect(r.inputs.cidrIpv4).toBeUndefined();
  });

  it('keeps the database private and in the private subnets', () => {
    expect(named(runs[stack], 'aws:rds/subnetGroup:SubnetGroup', 'database-subnets').inputs.subnetIds).toEqual([
      'subnet-private-1',
      'subnet-private-2',
    ]);
    for (const i of ofType(runs[stack], TYPES.instance))
      expect(i.inputs).toMatchObject({ publiclyAccessible: false, instanceClass: 'db.serverless' });
  });
});

describe.each(STACKS)('Database (%s)', (stack) => {
  it('is Aurora PostgreSQL Serverless v2, encrypted, with a managed master secret and IAM auth', () => {
    expect(cluster(stack)).toMatchObject({
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      storageEncrypted: true,
      manageMasterUserPassword: true,
      iamDatabaseAuthenticationEnabled: true,
    });
    expect(cluster(stack).masterPassword).toBeUndefined();
  });

  const backupUtc = jstToUtc('sun', BACKUP.startJst).time;
  it(`keeps automated backups ${BACKUP.retentionDays} days in a window covering the guide's backup time (${backupUtc} UTC)`, () => {
    const c = cluster(stack);
    expect(c.backupRetentionPeriod).toBe(BACKUP.retentionDays);
    const [start, end] = (c.preferredBackupWindow as string).split('-');
    expect(start! <= backupUtc && backupUtc < end!).toBe(true);
  });

  it("patches inside the guide's weekly maintenance window, clear of the backup window", () => {
    const m = parseWeeklyWindow(cluster(stack).preferredMaintenanceWindow);
    const { day, startJst, endJst } = MAINTENANCE.weekly;
    const [from, to] = [startJst, endJst].map((t) => jstToUtc(guideDay(day), t));
    const guide = parseWeeklyWindow(`${from!.day}:${from!.time}-${to!.day}:${to!.time}`);
    expect(m.start >= guide.start && m.end <= guide.end).toBe(true);
    expect(parseDailyWindow(cluster(stack).preferredBackupWindow).some((b) => overlaps(b, m))).toBe(false);
  });

  it(`logs slow statements and exports PostgreSQL logs to a ${RETENTION.logsDays}-day log group`, () => {
    const params = named(runs[stack], 'aws:rds/clusterParameterGroup:ClusterParameterGroup', 'database-cluster-params').inputs;
    expect(params.family).toBe('aurora-postgresql16');
    expect(params.parameters).toContainEqual({ name: 'log_min_duration_statement', value: String(INFRA.database.slowStatementMs) });
    expect(cluster(stack).enabledCloudwatchLogsExports).toEqual(['postgresql']);
    expect(named(runs[stack], TYPES.logGroup, 'database-postgresql-logs').inputs).toEqual(
      expect.objectContaining({ name: `/aws/rds/cluster/async-ai-pipeline-${stack}/postgresql`, retentionInDays: RETENTION.logsDays }),
    );
  });

  it('sizes capacity from the stack file', () => {
    const db = JSON.parse(loadStackConfig(stack)['async-ai-pipeline:database']!);
    expect(cluster(stack).serverlessv2ScalingConfiguration).toEqual({ minCapacity: db.minCapacity, maxCapacity: db.maxCapacity });
    expect(ofType(runs[stack], TYPES.instance)).toHaveLength(db.instances);
  });
});

describe('Database, prod against dev', () => {
  it('protects prod from deletion and keeps a final snapshot; dev is disposable', () => {
    expect(cluster('prod')).toMatchObject({
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: 'async-ai-pipeline-prod-final',
    });
    expect(cluster('dev')).toMatchObject({ deletionProtection: false, skipFinalSnapshot: true });
    expect(cluster('dev').finalSnapshotIdentifier).toBeUndefined();
  });

  it('gives prod more capacity than dev', () => {
    expect(cluster('prod').serverlessv2ScalingConfiguration.maxCapacity).toBeGreaterThan(
      cluster('dev').serverlessv2ScalingConfiguration.maxCapacity,
    );
  });

  it('gives prod interface endpoints for the AWS APIs the functions call, dev none', () => {
    expect(
      ofType(runs.prod, TYPES.vpcEndpoint)
        .map((e) => e.inputs.serviceName)
        .sort(),
    ).toEqual([
      'com.amazonaws.ap-northeast-1.bedrock-runtime',
      'com.amazonaws.ap-northeast-1.secretsmanager',
      'com.amazonaws.ap-northeast-1.states',
    ]);
    expect(ofType(runs.dev, TYPES.vpcEndpoint)).toEqual([]);
  });
});

describe('Database with RDS Proxy (config option)', () => {
  let proxied: OfflineRun;
  beforeAll(async () => {
    const db = JSON.parse(loadStackConfig('dev')['async-ai-pipeline:database']!);
    proxied = await offline('dev', { overrides: { 'async-ai-pipeline:database': { ...db, rdsProxy: true } } });
  });

  it('puts a TLS-only proxy in front of the cluster with the managed secret', () => {
    const proxy = named(proxied, 'aws:rds/proxy:Proxy', 'database-proxy').inputs;
    expect(proxy).toMatchObject({ engineFamily: 'POSTGRESQL', requireTls: true });
    expect(proxy.auths).toEqual([
      expect.objectContaining({ authScheme: 'SECRETS', secretArn: expect.stringMatching(/^arn:aws:secretsmanager:/) }),
    ]);
    expect(named(proxied, 'aws:rds/proxyTarget:ProxyTarget', 'database-proxy-cluster').inputs.dbClusterIdentifier).toBe(
      'async-ai-pipeline-dev',
    );
  });

  it('points the functions at the proxy', () => {
    const fn = named(proxied, TYPES.function, 'functions-status-check-handler').inputs;
    expect(fn.environment.variables.DB_HOST).toMatch(/\.proxy-mock\./);
  });

  it('keeps the application on the master secret: the proxy signs in to the database with secrets only', () => {
    const env = named(proxied, TYPES.function, 'functions-status-check-handler').inputs.environment.variables;
    expect(env).toMatchObject({ DB_USER: 'aip_admin', DB_SECRET_ARN: expect.stringMatching(/^arn:aws:secretsmanager:/) });
    expect(env).not.toHaveProperty('DB_IAM_AUTH');
    const actions = policyOf(named(proxied, TYPES.rolePolicy, 'iam-lambda-policy')).Statement.flatMap((s) => s.Action);
    expect(actions).toContain('secretsmanager:GetSecretValue');
    expect(actions).not.toContain('rds-db:connect');
  });
});
