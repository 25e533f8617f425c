/**
 * The reports' data source on AWS, with the real SDK clients: CloudWatch GetMetricData (the
 * AsyncProcessing metrics, AWS/Lambda, AWS/RDS, AWS/WAFV2), Logs Insights (errors by code), Step
 * Functions ListExecutions (shared with the local runtime), Cost Explorer, IAM, EC2 security
 * groups, IAM Access Analyzer and RDS pending maintenance.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeSecurityGroupsCommand, EC2Client, type IpPermission } from '@aws-sdk/client-ec2';
import { GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { AccessAnalyzerClient, ListAnalyzersCommand, ListFindingsV2Command } from '@aws-sdk/client-accessanalyzer';
import { DescribePendingMaintenanceActionsCommand, RDSClient } from '@aws-sdk/client-rds';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  FUNCTIONS,
  METRIC_DIMENSIONS,
  METRIC_NAMESPACE,
  METRICS,
  PROCESS_ERROR_CODES,
  PROCESS_TYPES,
  TERMINAL_STATUSES,
  TYPE_DIMENSION,
  logGroupName,
  type FunctionKey,
  type MetricKey,
  type ProcessErrorCode,
  type ProcessType,
} from '../../../guide';
import { actionDiff, canonicalPolicy, ruleKey, type Declared, type DeclaredRole, type DeclaredRule } from '../reports/declared';
import { countExecutions } from '../reports/executions';
import {
  unavailable,
  type AuditItem,
  type CostLine,
  type ErrorCount,
  type ProcessingCounts,
  type ReportSource,
  type TerminalStatus,
  type Window,
} from '../reports/source';
import { jstDay } from '../reports/windows';
import { ROUTES } from '../http/route-table';

type Send = { send(command: unknown): Promise<any> };

export interface AwsReportClients {
  readonly cloudWatch: Send;
  /** CloudFront's WAF publishes its metrics in us-east-1. */
  readonly cloudWatchUsEast1: Send;
  readonly logs: Send;
  readonly sfn: Pick<SFNClient, 'send'>;
  readonly costExplorer: Send;
  readonly iam: Send;
  readonly ec2: Send;
  readonly accessAnalyzer: Send;
  readonly rds: Send;
}

export interface AwsReportConfig {
  readonly stage: string;
  readonly stateMachineArn: string;
  /** The HTTP API: its route metrics (p95 latency) and its JSON access log (401/403 refusals). */
  readonly api: { readonly id: string; readonly stage: string; readonly accessLogGroupName: string };
  /** Deployed function names where they differ from the guide's (FUNCTIONS[k].name). */
  readonly functionNames?: Partial<Record<FunctionKey, string>>;
  readonly clusterIdentifier: string;
  readonly clusterArn: string;
  readonly webAclName: string;
  /** The account's unused-access analyzer; found with ListAnalyzers when not set. */
  readonly analyzerArn?: string;
  /** What the program declares (IAM, security groups); the audit's reference. */
  readonly declared: () => Promise<Declared>;
}

/** The clients, each passed through `trace` (X-Ray in Lambda: runtime/trace-clients.ts). */
export const awsReportClients = (region: string, trace: <T>(client: T) => T = (client) => client): AwsReportClients => ({
  cloudWatch: trace(new CloudWatchClient({ region })),
  cloudWatchUsEast1: trace(new CloudWatchClient({ region: 'us-east-1' })),
  logs: trace(new CloudWatchLogsClient({ region })),
  sfn: trace(new SFNClient({ region })),
  costExplorer: trace(new CostExplorerClient({ region: 'us-east-1' })),
  iam: trace(new IAMClient({ region: 'us-east-1' })),
  ec2: trace(new EC2Client({ region })),
  accessAnalyzer: trace(new AccessAnalyzerClient({ region })),
  rds: trace(new RDSClient({ region })),
});

/** The access log's token refusals (JWT authorizer or handler), as REFUSED_REQUESTS_QUERY of the dashboard filters them. */
export const AUTH_FAILURES_QUERY = 'filter status like /^(401|403)$/\n| stats count() as n';

const JST_MS = 9 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Processes that ended FAILED or TIMEOUT, by JST day (days since the epoch, +09:00) and error code. */
export const ERRORS_BY_DAY_QUERY = [
  'filter ispresent(errorCode) and (status = "FAILED" or status = "TIMEOUT")',
  `| fields errorCode, floor((toMillis(@timestamp) + ${JST_MS}) / ${DAY_MS}) as jstDay`,
  '| stats count(*) as n by jstDay, errorCode',
].join('\n');
/** GetMetricData: one period over the whole window (a multiple of 60 s). */
const periodOf = (w: Window) => Math.max(60, Math.ceil((w.end.getTime() - w.start.getTime()) / 60_000) * 60);
const service = [{ Name: 'service', Value: METRIC_DIMENSIONS.service }];
const STATUS_METRIC: Record<TerminalStatus, MetricKey> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  TIMEOUT: 'timeout',
  CANCELLED: 'cancelled',
};
const PLANNED = (Object.keys(FUNCTIONS) as FunctionKey[]).filter((k) => 'reservedConcurrency' in FUNCTIONS[k]);

interface Stat {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly { Name: string; Value: string }[];
  readonly stat: string;
}

/** How long a Logs Insights query may run before the report gives up on it. */
export const INSIGHTS_TIMEOUT_MS = 120_000;
const INSIGHTS_POLL_MS = 1_000;

export interface AwsReportOptions {
  /** Waits between Logs Insights polls (tests: no wait). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The routes with a latency SLO, as API Gateway's route metrics name them (Method, Resource). */
const SLO_ROUTE = (key: FunctionKey) => {
  const [method, resource] = ROUTES.find((r) => r.functionKey === key)!.routeKey.split(' ') as [string, string];
  return { method, resource };
};

export class AwsReportSource implements ReportSource {
  readonly label: string;
  private readonly sleep: (ms: number) => Promise<void>;
  constructor(
    private readonly clients: AwsReportClients,
    private readonly config: AwsReportConfig,
    opts: AwsReportOptions = {},
  ) {
    this.label = `AWS (${config.stage})`;
    this.sleep = opts.sleep ?? ((ms) => new Promise((res) => setTimeout(res, ms)));
  }

  private fn(key: FunctionKey): string {
    return this.config.functionNames?.[key] ?? FUNCTIONS[key].name;
  }

  /** A Logs Insights query over the window; its rows as field → value. */
  private async insights(logGroupNames: string[], queryString: string, w: Window): Promise<Record<string, string>[]> {
    const { queryId } = await this.clients.logs.send(
      new StartQueryCommand({
        logGroupNames,
        queryString,
        startTime: Math.floor(w.start.getTime() / 1000),
        endTime: Math.floor(w.end.getTime() / 1000) - 1,
      }),
    );
    const deadline = Date.now() + INSIGHTS_TIMEOUT_MS;
    for (;;) {
      const r = await this.clients.logs.send(new GetQueryResultsCommand({ queryId }));
      if (r.status === 'Complete') {
        return (r.results ?? []).map((row: { field?: string; value?: string }[]) =>
          Object.fromEntries(row.map((c) => [c.field ?? '', c.value ?? ''])),
        );
      }
      if (['Failed', 'Cancelled', 'Timeout'].includes(r.status)) throw new Error(`Logs Insights query ${queryId} ended ${r.status}`);
      if (Date.now() > deadline) throw new Error(`Logs Insights query ${queryId} did not finish within ${INSIGHTS_TIMEOUT_MS / 1000} s`);
      await this.sleep(INSIGHTS_POLL_MS);
    }
  }

  /** Each query's values over the window, oldest first. */
  private async metrics(
    w: Window,
    stats: Record<string, Stat>,
    period = periodOf(w),
    client = this.clients.cloudWatch,
  ): Promise<Record<string, number[]>> {
    const queries: MetricDataQuery[] = Object.entries(stats).map(([id, s]) => ({
      Id: id,
      ReturnData: true,
      MetricStat: { Metric: { Namespace: s.namespace, MetricName: s.name, Dimensions: [...s.dimensions] }, Period: period, Stat: s.stat },
    }));
    const out: Record<string, number[]> = Object.fromEntries(Object.keys(stats).map((id) => [id, []]));
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: w.start,
          EndTime: w.end,
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
        }),
      );
      for (const r of page.MetricDataResults ?? []) out[r.Id!]!.push(...(r.Values ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return out;
  }

  private custom(key: MetricKey, stat: string, type?: ProcessType): Stat {
    return {
      namespace: METRIC_NAMESPACE,
      name: METRICS[key].name,
      dimensions: type ? [...service, { Name: TYPE_DIMENSION, Value: type }] : service,
      stat,
    };
  }

  private async sum(key: MetricKey, w: Window): Promise<number> {
    const r = await this.metrics(w, { m: this.custom(key, 'Sum') });
    return (r.m ?? []).reduce((n, v) => n + v, 0);
  }

  async processing(w: Window): Promise<ProcessingCounts> {
    const stats: Record<string, Stat> = {};
    PROCESS_TYPES.forEach((t, i) => {
      stats[`started_${i}`] = this.custom('started', 'Sum', t);
      TERMINAL_STATUSES.forEach((s) => (stats[`${s.toLowerCase()}_${i}`] = this.custom(STATUS_METRIC[s], 'Sum', t)));
    });
    const r = await this.metrics(w, stats);
    const total = (id: string) => (r[id] ?? []).reduce((n, v) => n + v, 0);
    const started = Object.fromEntries(PROCESS_TYPES.map((t, i) => [t, total(`started_${i}`)])) as Record<ProcessType, number>;
    const ended = Object.fromEntries(
      PROCESS_TYPES.map((t, i) => [t, Object.fromEntries(TERMINAL_STATUSES.map((s) => [s, total(`${s.toLowerCase()}_${i}`)]))]),
    ) as ProcessingCounts['ended'];
    return { started, ended };
  }

  async queue(at: Date) {
    // The queue monitor publishes both every minute: the latest of the last five minutes.
    const w = { start: new Date(at.getTime() - 5 * 60_000), end: at };
    const r = await this.metrics(w, { depth: this.custom('queueDepth', 'Maximum'), age: this.custom('oldestActiveAge', 'Maximum') }, 60);
    const depth = r.depth?.at(-1) ?? 0;
    return { depth, oldestAgeSeconds: depth > 0 ? (r.age?.at(-1) ?? null) : null };
  }

  executions(w: Window) {
    return countExecutions({ client: this.clients.sfn, stateMachineArn: this.config.stateMachineArn }, w);
  }

  /**
   * Requests refused for their token: API Gateway's JWT authorizer refuses them before any handler
   * runs, so they are the access log's 401s and 403s (a handler's own refusals are 401s there too).
   */
  async authFailures(w: Window) {
    const rows = await this.insights([this.config.api.accessLogGroupName], AUTH_FAILURES_QUERY, w);
    return rows.reduce((n, r) => n + Number(r.n ?? 0), 0);
  }

  rateLimited(w: Window) {
    return this.sum('rateLimited', w);
  }

  async wafBlocked(w: Window) {
    const r = await this.metrics(
      w,
      {
        b: {
          namespace: 'AWS/WAFV2',
          name: 'BlockedRequests',
          dimensions: [
            { Name: 'WebACL', Value: this.config.webAclName },
            { Name: 'Rule', Value: 'ALL' },
          ],
          stat: 'Sum',
        },
      },
      periodOf(w),
      this.clients.cloudWatchUsEast1,
    );
    return (r.b ?? []).reduce((n, v) => n + v, 0);
  }

  async errorsByDay(w: Window): Promise<ErrorCount[]> {
    // Every function that ends a process logs its errorCode with the final status (worker, attempts, sweeper).
    const groups = (Object.keys(FUNCTIONS) as FunctionKey[]).map((k) => logGroupName(this.fn(k)));
    const rows = await this.insights(groups, ERRORS_BY_DAY_QUERY, w);
    return rows.flatMap((f) => {
      const code = f.errorCode as ProcessErrorCode;
      if (!PROCESS_ERROR_CODES.includes(code)) return [];
      return [{ day: jstDay(new Date(Number(f.jstDay) * DAY_MS - JST_MS)), code, count: Number(f.n) }];
    });
  }

  async latency(w: Window) {
    const route = (key: FunctionKey): Stat => {
      const { method, resource } = SLO_ROUTE(key);
      return {
        namespace: 'AWS/ApiGateway',
        name: 'Latency',
        stat: 'p95',
        dimensions: [
          { Name: 'ApiId', Value: this.config.api.id },
          { Name: 'Stage', Value: this.config.api.stage },
          { Name: 'Method', Value: method },
          { Name: 'Resource', Value: resource },
        ],
      };
    };
    const stats: Record<string, Stat> = {
      start: route('asyncProcessingHandler'),
      status: route('statusCheckHandler'),
      ...Object.fromEntries(PROCESS_TYPES.map((t, i) => [`avg_${i}`, this.custom('duration', 'Average', t)])),
    };
    // One period over the whole window: the p95 and the average of the window, not of a part.
    const r = await this.metrics(w, stats);
    const one = (id: string) => r[id]?.[0];
    const p95 = (id: string) => (one(id) === undefined ? unavailable('no requests on the route in the window') : Math.round(one(id)!));
    const completionAvgSeconds = Object.fromEntries(
      PROCESS_TYPES.map((t, i) => [t, one(`avg_${i}`) === undefined ? null : one(`avg_${i}`)! / 1000]),
    ) as Record<ProcessType, number | null>;
    return { startApiP95Ms: p95('start'), statusApiP95Ms: p95('status'), completionAvgSeconds };
  }

  async peakConcurrency(w: Window) {
    const r = await this.metrics(
      w,
      Object.fromEntries(
        PLANNED.map((k, i) => [
          `c_${i}`,
          {
            namespace: 'AWS/Lambda',
            name: 'ConcurrentExecutions',
            dimensions: [{ Name: 'FunctionName', Value: this.fn(k) }],
            stat: 'Maximum',
          },
        ]),
      ),
    );
    return Object.fromEntries(PLANNED.map((k, i) => [k, Math.max(0, ...(r[`c_${i}`] ?? []))])) as Partial<Record<FunctionKey, number>>;
  }

  async databaseSize(w: Window) {
    const r = await this.metrics(
      w,
      {
        v: {
          namespace: 'AWS/RDS',
          name: 'VolumeBytesUsed',
          dimensions: [{ Name: 'DBClusterIdentifier', Value: this.config.clusterIdentifier }],
          stat: 'Maximum',
        },
      },
      86_400,
    );
    const values = r.v ?? [];
    if (values.length === 0) throw new Error(`AWS/RDS VolumeBytesUsed has no data for ${this.config.clusterIdentifier} in the window`);
    return { bytesNow: values.at(-1)!, bytesAtStart: values.length > 1 ? values[0]! : unavailable('one day of VolumeBytesUsed only') };
  }

  async cost(w: Window): Promise<CostLine[]> {
    const lines = new Map<string, number>();
    let token: string | undefined;
    do {
      const r = await this.clients.costExplorer.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: jstDay(w.start), End: jstDay(w.end) },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
          NextPageToken: token,
        }),
      );
      for (const period of r.ResultsByTime ?? []) {
        for (const g of period.Groups ?? []) {
          const name = g.Keys?.[0] ?? 'unknown';
          lines.set(name, (lines.get(name) ?? 0) + Number(g.Metrics?.UnblendedCost?.Amount ?? 0));
        }
      }
      token = r.NextPageToken;
    } while (token);
    return [...lines].map(([svc, usd]) => ({ service: svc, usd }));
  }

  async securityAudit(): Promise<AuditItem[]> {
    const declared = await this.config.declared();
    return [
      ...(await this.auditRoles(declared)),
      ...(await this.auditGroups(declared.securityGroupRules)),
      await this.auditUnusedAccess(),
      await this.auditPatches(),
    ];
  }

  /** Each role: nothing attached, exactly the inline policies the program declares, each as declared. */
  private async auditRoles(declared: Declared): Promise<AuditItem[]> {
    const byRole = new Map<string, DeclaredRole[]>();
    for (const r of declared.roles) byRole.set(r.roleName, [...(byRole.get(r.roleName) ?? []), r]);
    const items: AuditItem[] = [];
    for (const [roleName, policies] of byRole) {
      const attached = (await this.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
      const inline: string[] = (await this.clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
      const problems: string[] = [];
      if (attached.length)
        problems.push(
          `managed policies attached outside the program: ${attached.map((p: { PolicyName?: string }) => p.PolicyName).join(', ')}`,
        );
      const names = policies.map((p) => p.policyName);
      const extra = inline.filter((n) => !names.includes(n));
      if (extra.length) problems.push(`inline policies the program does not declare: ${extra.join(', ')}`);
      for (const p of policies) {
        if (!inline.includes(p.policyName)) {
          problems.push(`the declared inline policy ${p.policyName} is missing`);
          continue;
        }
        const doc = decodeURIComponent(
          (await this.clients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: p.policyName }))).PolicyDocument ?? '{}',
        );
        if (canonicalPolicy(doc) !== canonicalPolicy(p.policy)) {
          const d = actionDiff(p.policy, doc);
          problems.push(
            `${p.policyName} differs from the program's${d.added.length ? `; actions added: ${d.added.join(', ')}` : ''}${d.removed.length ? `; actions removed: ${d.removed.join(', ')}` : ''}`,
          );
        }
      }
      const ok = `${policies.length === 1 ? 'one inline policy' : `${policies.length} inline policies`}, as declared; nothing attached`;
      items.push({ area: 'iam', subject: roleName, ok: problems.length === 0, detail: problems.join('; ') || ok });
    }
    return items;
  }

  private async auditGroups(rules: readonly DeclaredRule[]): Promise<AuditItem[]> {
    const ids = [...new Set(rules.map((r) => r.groupId))];
    if (ids.length === 0) return [];
    const r = await this.clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ids }));
    return (r.SecurityGroups ?? []).map(
      (g: { GroupId?: string; GroupName?: string; IpPermissions?: IpPermission[]; IpPermissionsEgress?: IpPermission[] }) => {
        const actual = new Set([...actualRules('ingress', g.IpPermissions ?? []), ...actualRules('egress', g.IpPermissionsEgress ?? [])]);
        const expected = new Set(rules.filter((x) => x.groupId === g.GroupId).map(ruleKey));
        const added = [...actual].filter((x) => !expected.has(x)).sort();
        const removed = [...expected].filter((x) => !actual.has(x)).sort();
        const open = [...actual].filter((x) => x.startsWith('ingress') && /(0\.0\.0\.0\/0|::\/0)$/.test(x));
        const problems = [
          ...(open.length ? [`open to the internet: ${open.join(', ')}`] : []),
          ...(added.length ? [`rules not in the program: ${added.join(', ')}`] : []),
          ...(removed.length ? [`declared rules missing: ${removed.join(', ')}`] : []),
        ];
        return {
          area: 'security-group',
          subject: `${g.GroupName ?? ''} (${g.GroupId})`,
          ok: problems.length === 0,
          detail: problems.join('; ') || `${actual.size} rule(s), as declared`,
        } satisfies AuditItem;
      },
    );
  }

  private async auditUnusedAccess(): Promise<AuditItem> {
    let arn = this.config.analyzerArn;
    if (!arn) {
      const list = await this.clients.accessAnalyzer.send(new ListAnalyzersCommand({ type: 'ACCOUNT_UNUSED_ACCESS' }));
      arn = list.analyzers?.find((a: { status?: string }) => a.status === 'ACTIVE')?.arn;
    }
    if (!arn) {
      return {
        area: 'access-analyzer',
        subject: 'unused access',
        ok: false,
        detail:
          'no active unused-access analyzer in this account: aws accessanalyzer create-analyzer --analyzer-name unused-access --type ACCOUNT_UNUSED_ACCESS',
      };
    }
    const byType = new Map<string, number>();
    let token: string | undefined;
    do {
      const r = await this.clients.accessAnalyzer.send(
        new ListFindingsV2Command({ analyzerArn: arn, filter: { status: { eq: ['ACTIVE'] } }, nextToken: token }),
      );
      for (const f of r.findings ?? []) byType.set(f.findingType ?? 'unknown', (byType.get(f.findingType ?? 'unknown') ?? 0) + 1);
      token = r.nextToken;
    } while (token);
    const total = [...byType.values()].reduce((n, v) => n + v, 0);
    return {
      area: 'access-analyzer',
      subject: 'unused access',
      ok: total === 0,
      detail: total ? `${total} active finding(s): ${[...byType].map(([t, n]) => `${t} ${n}`).join(', ')}` : 'no active findings',
    };
  }

  private async auditPatches(): Promise<AuditItem> {
    const r = await this.clients.rds.send(
      new DescribePendingMaintenanceActionsCommand({ Filters: [{ Name: 'db-cluster-id', Values: [this.config.clusterArn] }] }),
    );
    const actions = (r.PendingMaintenanceActions ?? []).flatMap(
      (p: { PendingMaintenanceActionDetails?: { Action?: string; Description?: string }[] }) =>
        (p.PendingMaintenanceActionDetails ?? []).map((d) => `${d.Action}${d.Description ? ` (${d.Description})` : ''}`),
    );
    return {
      area: 'patches',
      subject: this.config.clusterIdentifier,
      ok: actions.length === 0,
      detail: actions.length ? `pending: ${actions.join('; ')}` : 'no pending maintenance',
    };
  }
}

/** EC2's permissions as the program's rule keys (one per port, peer group and CIDR). */
function actualRules(direction: 'ingress' | 'egress', perms: readonly IpPermission[]): string[] {
  return perms.flatMap((p) => {
    const base = { direction, protocol: p.IpProtocol ?? '-1', port: p.FromPort ?? -1 };
    return [
      ...(p.UserIdGroupPairs ?? []).map((g) => ruleKey({ ...base, peerGroupId: g.GroupId })),
      ...(p.IpRanges ?? []).map((c) => ruleKey({ ...base, cidrIpv4: c.CidrIp })),
      ...(p.Ipv6Ranges ?? []).map((c) => ruleKey({ ...base, cidrIpv4: c.CidrIpv6 })),
    ];
  });
}
