/**
 * The offline plan's inventory: resources grouped by the component that created them, each with
 * the settings a reviewer checks against the guide (sizes, windows, schedules, limits).
 */
import type { PlannedResource } from './run';

type Inputs = Record<string, any>;
type Summary = (i: Inputs) => string;

const list = (xs: unknown): string => (Array.isArray(xs) ? xs.join(', ') : '');
const onOff = (b: unknown): string => (b ? 'on' : 'off');

/** Key settings per resource type; types not listed show no settings. */
export const SUMMARIES: Record<string, Summary> = {
  'awsx:ec2:Vpc': (i) => `${i.cidrBlock}, ${i.numberOfAvailabilityZones} AZs, NAT ${i.natGateways?.strategy}`,
  'aws:ec2/securityGroup:SecurityGroup': (i) => i.description,
  'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule': (i) => `in tcp/${i.fromPort}: ${i.description}`,
  'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule': (i) => `out tcp/${i.fromPort}: ${i.description}`,
  'aws:ec2/vpcEndpoint:VpcEndpoint': (i) => `${i.serviceName} (${i.vpcEndpointType})`,
  'aws:rds/cluster:Cluster': (i) =>
    `${i.clusterIdentifier}: ${i.engine} ${i.engineVersion}, serverless v2 ${i.serverlessv2ScalingConfiguration?.minCapacity}-` +
    `${i.serverlessv2ScalingConfiguration?.maxCapacity} ACU, encrypted ${onOff(i.storageEncrypted)}, IAM auth ${onOff(i.iamDatabaseAuthenticationEnabled)}, ` +
    `backups ${i.backupRetentionPeriod} d in ${i.preferredBackupWindow} UTC, maintenance ${i.preferredMaintenanceWindow} UTC, ` +
    `deletion protection ${onOff(i.deletionProtection)}, final snapshot ${i.skipFinalSnapshot ? 'no' : i.finalSnapshotIdentifier}`,
  'aws:rds/clusterInstance:ClusterInstance': (i) => `${i.instanceClass}, public ${i.publiclyAccessible ? 'yes' : 'no'}`,
  'aws:rds/clusterParameterGroup:ClusterParameterGroup': (i) =>
    `${i.family}: ${(i.parameters ?? []).map((p: Inputs) => `${p.name}=${p.value}`).join(', ')}`,
  'aws:rds/proxy:Proxy': (i) => `${i.engineFamily}, TLS required ${onOff(i.requireTls)}`,
  'aws:cloudwatch/logGroup:LogGroup': (i) => `${i.name}, ${i.retentionInDays} d`,
  'aws:lambda/function:Function': (i) =>
    `${i.name}: ${i.memorySize} MB, ${i.timeout} s, reserved ${i.reservedConcurrentExecutions ?? 'none'}, ` +
    `${i.runtime}/${list(i.architectures)}, X-Ray ${i.tracingConfig?.mode}`,
  'aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig': (i) => `${i.provisionedConcurrentExecutions} on ${i.qualifier}`,
  'aws:lambda/invocation:Invocation': (i) => `runs ${i.functionName} on deploy: ${i.input}`,
  'aws:lambda/permission:Permission': (i) => `${i.principal} → ${i.function}`,
  'aws:sfn/stateMachine:StateMachine': (i) =>
    `${i.name}: ${i.type}, logs ${i.loggingConfiguration?.level}, tracing ${onOff(i.tracingConfiguration?.enabled)}`,
  'aws:iam/role:Role': (i) => i.name ?? i.description ?? '',
  'aws:iam/rolePolicy:RolePolicy': (i) => {
    try {
      return (JSON.parse(i.policy).Statement as Inputs[]).map((s) => s.Sid).join(', ');
    } catch {
      return '';
    }
  },
  'aws:apigatewayv2/api:Api': (i) => `${i.name} (${i.protocolType})`,
  'aws:apigatewayv2/authorizer:Authorizer': (i) => `${i.authorizerType}, issuer ${i.jwtConfiguration?.issuer}`,
  'aws:apigatewayv2/route:Route': (i) => `${i.routeKey} (${i.authorizationType})`,
  'aws:apigatewayv2/stage:Stage': (i) =>
    `${i.name}: ${i.defaultRouteSettings?.throttlingRateLimit} req/s, burst ${i.defaultRouteSettings?.throttlingBurstLimit}, JSON access logs`,
  'aws:cognito/userPoolClient:UserPoolClient': (i) =>
    `tokens valid ${i.accessTokenValidity} ${i.tokenValidityUnits?.accessToken} (refresh ${i.refreshTokenValidity} ${i.tokenValidityUnits?.refreshToken})`,
  'aws:wafv2/webAcl:WebAcl': (i) => `${i.scope} in ${i.region}: ${(i.rules ?? []).map(wafRule).join('; ')}`,
  'aws:cloudfront/distribution:Distribution': (i) =>
    `${i.priceClass}; ${(i.orderedCacheBehaviors ?? []).map((b: Inputs) => `${b.pathPattern} → ${b.targetOriginId} (${b.viewerProtocolPolicy})`).join(', ')}; ` +
    `default → ${i.defaultCacheBehavior?.targetOriginId} (${i.defaultCacheBehavior?.viewerProtocolPolicy})`,
  'aws:scheduler/schedule:Schedule': (i) =>
    `${i.name}: ${i.scheduleExpression} ${i.scheduleExpressionTimezone ?? 'UTC'}, input ${i.target?.input}`,
  'aws:backup/plan:Plan': (i) =>
    (i.rules ?? []).map((r: Inputs) => `${r.schedule} ${r.scheduleExpressionTimezone}, keep ${r.lifecycle?.deleteAfter} d`).join('; '),
  'aws:backup/restoreTestingPlan:RestoreTestingPlan': (i) => `${i.scheduleExpression} ${i.scheduleExpressionTimezone}`,
  'aws:budgets/budget:Budget': (i) =>
    `${i.limitAmount} ${i.limitUnit}/month${i.costFilters ? ` (${i.costFilters[0].values[0]})` : ''}, ${(i.notifications ?? []).length} notifications`,
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': (i) =>
    (i.rules ?? [])
      .map(
        (r: Inputs) =>
          `${r.transitions?.[0] ? `${r.transitions[0].storageClass} after ${r.transitions[0].days} d, ` : ''}expire after ${r.expiration?.days} d`,
      )
      .join('; '),
  'aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter': (i) => `${i.logGroup} → archive`,
};

function wafRule(r: Inputs): string {
  const rate = r.statement?.rateBasedStatement;
  if (rate) {
    const key =
      rate.aggregateKeyType === 'CUSTOM_KEYS'
        ? rate.customKeys.map((k: Inputs) => `header ${k.header?.name}`).join('+')
        : rate.aggregateKeyType;
    return `${r.name} ${rate.limit}/${rate.evaluationWindowSec}s by ${key}`;
  }
  return r.statement?.managedRuleGroupStatement?.name ?? r.name;
}

export interface InventoryGroup {
  readonly component: string;
  readonly rows: { readonly type: string; readonly name: string; readonly settings: string }[];
}

/** `async-ai-pipeline:infra:Network` → `Network`; another module's component keeps its module name. */
export const componentLabel = (type: string): string =>
  type.replace(/^async-ai-pipeline:infra:/, '').replace(/^async-ai-pipeline:(\w+):/, '$1/');

/** Custom resources grouped under their component (`(stack)` for top-level ones), groups sorted by label. */
export function inventory(resources: readonly PlannedResource[]): InventoryGroup[] {
  const groups = new Map<string, InventoryGroup>();
  for (const r of resources) {
    if (!r.custom && r.type.startsWith('async-ai-pipeline:')) continue;
    const component = r.parentType ?? '(stack)';
    const group = groups.get(component) ?? { component, rows: [] };
    groups.set(component, group);
    (group.rows as InventoryGroup['rows'][number][]).push({ type: r.type, name: r.name, settings: SUMMARIES[r.type]?.(r.inputs) ?? '' });
  }
  return [...groups.values()].sort((a, b) => componentLabel(a.component).localeCompare(componentLabel(b.component)));
}

export function formatInventory(stack: string, groups: readonly InventoryGroup[], outputs: Record<string, unknown>): string {
  const count = groups.reduce((n, g) => n + g.rows.length, 0);
  const lines = [`Stack ${stack}: ${count} resources in ${groups.length} components (offline plan under Pulumi mocks; no AWS calls)`, ''];
  for (const g of groups) {
    lines.push(`${componentLabel(g.component)} (${g.rows.length})`);
    for (const row of g.rows) lines.push(`  ${row.type.padEnd(58)} ${row.name.padEnd(40)} ${row.settings}`.trimEnd());
    lines.push('');
  }
  lines.push('Outputs (mock values where AWS would compute them)');
  for (const [k, v] of Object.entries(outputs)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  return lines.join('\n');
}
