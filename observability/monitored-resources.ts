/**
 * What observability watches: the deployed resources' identifiers, as dimension values. The
 * Pulumi program fills this from the other components' outputs (infra/specs/observed.ts); the
 * generated dashboard JSON and runbook fill it from the stack files, with DEPLOY_TIME placeholders
 * for what AWS assigns (tools/review-stacks.ts), so they can be reviewed without a deployment.
 */
import { FUNCTIONS, SLO, type FunctionKey } from '../guide';
import { ROUTES } from '../functions/src/http/route-table';

export interface MonitoredFunction<V = string> {
  readonly key: FunctionKey;
  /** Deployed function name (the FunctionName dimension). */
  readonly name: V;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Reserved concurrency as deployed; without it Lambda publishes no per-function concurrency. */
  readonly reservedConcurrency?: number;
}

export interface MonitoredResources<V = string> {
  readonly stack: string;
  readonly region: string;
  readonly accountId: V;
  readonly functions: readonly MonitoredFunction<V>[];
  readonly stateMachineArn: V;
  /** HTTP API (v2) id and stage name (route metrics need detailed metrics on the stage) and its JSON access log. */
  readonly api: { readonly id: V; readonly stage: V; readonly accessLogGroupName: string };
  /** The CloudFront web ACL (its metrics are in its own region, us-east-1). */
  readonly waf: { readonly webAclName: V; readonly region: string };
  /** The CloudFront distribution (metrics in us-east-1, dimension Region=Global). */
  readonly cloudFront: { readonly distributionId: V };
  /** The account's Lambda concurrency quota (Service Quotas), against which the unreserved pool is judged. */
  readonly lambdaConcurrencyQuota: number;
  readonly database: { readonly clusterIdentifier: V; readonly maxConnections: number };
  /** The Bedrock model id the worker invokes (the ModelId dimension). */
  readonly bedrockModelId: V;
  readonly backupVaultName: V;
}

/** The routes with a latency SLO, as API Gateway names them in route-level metrics (Method, Resource). */
export const SLO_ROUTES = (
  [
    { id: 'start', functionKey: 'asyncProcessingHandler', p95Ms: SLO.startApiP95Ms },
    { id: 'status', functionKey: 'statusCheckHandler', p95Ms: SLO.statusApiP95Ms },
  ] as const
).map((r) => {
  const [method, resource] = ROUTES.find((route) => route.functionKey === r.functionKey)!.routeKey.split(' ') as [string, string];
  return { id: r.id, method, resource, p95Ms: r.p95Ms };
});

/** Every alarm of a stack is named `AsyncProcessing-<stack>-<id>`: the stack shows in every notification. */
export const alarmName = (stack: string, id: string): string => `AsyncProcessing-${stack}-${id}`;

export const alarmArn = (r: Pick<MonitoredResources, 'region' | 'accountId'>, name: string): string =>
  `arn:aws:cloudwatch:${r.region}:${r.accountId}:alarm:${name}`;

/**
 * The functions as the stack deploys them (timeouts, reserved concurrency: infra's `lambdaSpecs`), named by
 * `names` (its outputs) or, by default, by the guide's names.
 */
export function monitoredFunctions<V = string>(
  functions: readonly Omit<MonitoredFunction<unknown>, 'name'>[],
  names?: Partial<Record<FunctionKey, V>>,
): MonitoredFunction<V | string>[] {
  return functions.map((p) => ({
    key: p.key,
    name: names?.[p.key] ?? FUNCTIONS[p.key].name,
    timeoutSeconds: p.timeoutSeconds,
    memoryMb: p.memoryMb,
    reservedConcurrency: p.reservedConcurrency,
  }));
}

/**
 * Aurora PostgreSQL's default max_connections, LEAST(DBInstanceClassMemory/9531392, 5000), for a
 * Serverless v2 instance at its maximum capacity (about 2 GiB per ACU). It slightly overestimates
 * (the engine's memory is a little under the ACU's), so the 80 % alarm fires a little late.
 */
export const auroraMaxConnections = (maxAcu: number): number => Math.min(Math.floor((maxAcu * 2 * 1024 ** 3) / 9_531_392), 5000);

/** CloudFront-scoped web ACLs report their metrics in us-east-1. */
export const CLOUDFRONT_REGION = 'us-east-1';

/** A placeholder for an identifier known only after deployment: `${Name}`. */
const deployTime = (name: string): string => `\${${name}}`;

/** Identifiers known only after deployment; the reviewed artefacts show them as `${Name}`. */
export const DEPLOY_TIME = {
  accountId: deployTime('AccountId'),
  stateMachineArn: deployTime('StateMachineArn'),
  apiId: deployTime('ApiId'),
  apiStage: deployTime('ApiStage'),
  dbClusterIdentifier: deployTime('DbClusterIdentifier'),
  backupVaultName: deployTime('BackupVaultName'),
  webAclName: deployTime('WebAclName'),
  distributionId: deployTime('DistributionId'),
} as const;
