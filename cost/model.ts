/**
 * The capacity and cost model: for a traffic (processes per day and a mix of types), the monthly
 * cost of every service line, from the program's settings, the measured profile, the assumptions
 * and the prices. Pure: every input is an argument, so tests can compute a case by hand.
 */
import { BUDGET, DB_CAPACITY, FUNCTIONS, INFRA, PROCESS_TYPES, RETENTION, type ProcessType } from '../guide';
import {
  ASSUMPTIONS,
  DAYS_PER_MONTH,
  HOURS_PER_MONTH,
  SECONDS_PER_MONTH,
  accessLogLine,
  platformLogLines,
  sliceLatencySeconds,
  statusPollsPerProcess,
} from './assumptions';
import { PRICES, type PriceKey } from './prices';
import type { MeasuredProfile } from './profile';
import type { ProgramSettings } from './program';

export type Mix = Record<ProcessType, number>;
export type Share = keyof typeof BUDGET.sharePercent;

export interface Traffic {
  readonly perDay: number;
  readonly mix: Mix;
}

export interface Line {
  /** Service, e.g. "Lambda". */
  readonly service: string;
  /** What is billed, e.g. "requests". */
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly price: PriceKey;
  readonly usd: number;
  readonly share: Share;
}

/** Per-process quantities of one type: what the bill multiplies by the processes. */
export interface PerProcess {
  readonly workerInvocations: number;
  readonly workerGbSeconds: number;
  /** Seconds one process holds a worker (its reserved concurrency). */
  readonly workerSeconds: number;
  readonly apiRequests: number;
  readonly handlerGbSeconds: number;
  /** Seconds of status-check handler time per process (its reserved concurrency). */
  readonly statusHandlerSeconds: number;
  readonly startHandlerSeconds: number;
  readonly transitions: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly functionLogBytes: number;
  readonly accessLogBytes: number;
  readonly stepFunctionsLogBytes: number;
  readonly databaseCpuSeconds: number;
  readonly writeIos: number;
  readonly modelBytes: number;
  readonly responseBytes: number;
  readonly traces: number;
}

export interface Model {
  readonly program: ProgramSettings;
  readonly profile: MeasuredProfile;
}

export const DEFAULT_MIX: Mix = { SUBGOAL_GENERATION: 0.5, ACTION_GENERATION: 0.3, TASK_GENERATION: 0.2 };

const gb = (bytes: number) => bytes / 1e9;
const logBytes = (bytes: number, events: number) => bytes + events * ASSUMPTIONS.logEventOverheadBytes;
const lineBytes = (lines: string[]) => lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);

/** What one process of `type` uses. */
export function perProcess({ program, profile }: Model, type: ProcessType): PerProcess {
  const t = profile.perType[type];
  const { success, generateRetry } = program.paths;
  const r = ASSUMPTIONS.retriedShare;
  const fns = program.functions;
  const slice = sliceLatencySeconds(type, program.slices);
  const polls = statusPollsPerProcess(type);
  const traced = program.inventory.tracedFunctions > 0;
  const platform = platformLogLines(traced);
  const workerInvocations = success.workerInvocations + r * (generateRetry.workerInvocations - success.workerInvocations);
  const workerSeconds = program.slices * slice + t.workerLocalMs / 1000 + r * slice;
  const startSeconds = t.startLatencyMs / 1000;
  const statusSeconds = (polls * profile.statusCheck.latencyMs) / 1000;
  const apiRequests = 1 + polls;
  const extraCall = 1 + r / Math.max(1, t.modelCalls);
  const functionLogBytes =
    logBytes(t.workerLogs.bytes, t.workerLogs.events) +
    logBytes(t.startLogs.bytes, t.startLogs.events) +
    polls * logBytes(profile.statusCheck.logs.bytes, profile.statusCheck.logs.events) +
    (workerInvocations + apiRequests) * logBytes(lineBytes(platform), platform.length);
  const format = program.inventory.accessLogFormat;
  const history = success.historyEvents + r * (generateRetry.historyEvents - success.historyEvents);
  return {
    workerInvocations,
    workerGbSeconds: (fns.aiGenerationWorker.memoryMb / 1024) * workerSeconds,
    workerSeconds,
    apiRequests,
    handlerGbSeconds:
      (fns.asyncProcessingHandler.memoryMb / 1024) * startSeconds + (fns.statusCheckHandler.memoryMb / 1024) * statusSeconds,
    statusHandlerSeconds: statusSeconds,
    startHandlerSeconds: startSeconds,
    transitions: success.transitions + r * (generateRetry.transitions - success.transitions),
    inputTokens: t.inputTokens * extraCall,
    outputTokens: t.outputTokens * extraCall,
    functionLogBytes,
    accessLogBytes: format ? apiRequests * logBytes(Buffer.byteLength(accessLogLine(format)) + 1, 1) : 0,
    stepFunctionsLogBytes:
      program.inventory.stateMachineLogLevel === 'ALL' ? history * logBytes(ASSUMPTIONS.stepFunctionsLogEventBytes, 1) : 0,
    databaseCpuSeconds: t.databaseCpuMs / 1000,
    writeIos: Math.ceil(t.walBytes / 4096),
    modelBytes: t.modelCalls * extraCall * (t.modelRequestBytes + t.modelResponseBytes),
    responseBytes: t.startResponseBytes + polls * profile.statusCheck.responseBytes,
    traces: traced ? apiRequests + 1 : 0,
  };
}

/** The mix-weighted per-process quantities. */
export function blended(model: Model, mix: Mix): PerProcess {
  const out: Record<string, number> = {};
  for (const type of PROCESS_TYPES) {
    for (const [k, v] of Object.entries(perProcess(model, type))) out[k] = (out[k] ?? 0) + mix[type] * v;
  }
  return out as unknown as PerProcess;
}

/** X-Ray's default sampling over a month of `requests`. */
export function tracesRecorded(requests: number): number {
  const reservoir = ASSUMPTIONS.xray.reservoirPerSecond * SECONDS_PER_MONTH;
  return requests <= reservoir ? requests : reservoir + ASSUMPTIONS.xray.rate * (requests - reservoir);
}

/** Aurora capacity the load needs, ACUs: database CPU at `rate` processes/s, at the target utilisation. */
export const acuForRate = (cpuSecondsPerProcess: number, rate: number): number =>
  (rate * cpuSecondsPerProcess) / ASSUMPTIONS.vcpuPerAcu / ASSUMPTIONS.databaseTargetUtilisation;

function line(service: string, item: string, quantity: number, unit: string, price: PriceKey, usd: number, share: Share): Line {
  return { service, item, quantity, unit, price, usd, share };
}

/** The monthly bill, one line per billed item. */
export function monthlyLines(model: Model, traffic: Traffic): Line[] {
  const { program, profile } = model;
  const inv = program.inventory;
  const P = PRICES;
  const month = traffic.perDay * DAYS_PER_MONTH;
  const b = blended(model, traffic.mix);
  const fns = program.functions;

  // Fixed work: the queue monitor every minute (its own log group and Lambda time).
  const monitorRuns = (HOURS_PER_MONTH * 60) / 1;
  const monitorGbs = (fns.queueMonitor.memoryMb / 1024) * (profile.statusCheck.latencyMs / 1000) * monitorRuns;
  const platform = platformLogLines(inv.tracedFunctions > 0);
  const monitorLogBytes =
    monitorRuns *
    (logBytes(profile.queueMonitor.logs.bytes, profile.queueMonitor.logs.events) + logBytes(lineBytes(platform), platform.length));

  const lambdaRequests = month * (b.workerInvocations + b.apiRequests) + monitorRuns;
  const gbSeconds = month * (b.workerGbSeconds + b.handlerGbSeconds) + monitorGbs;
  const logGb = gb(month * (b.functionLogBytes + b.accessLogBytes) + monitorLogBytes);
  const vendedGb = gb(month * b.stepFunctionsLogBytes);
  const storedGb = (logGb + vendedGb) * (RETENTION.logsDays / DAYS_PER_MONTH);

  const avgRate = traffic.perDay / 86_400;
  const loadAcu = acuForRate(b.databaseCpuSeconds, avgRate);
  const { minCapacity, instances } = program.config.database;
  const billedAcu = Math.max(minCapacity, loadAcu) * instances;
  const retainedRows = traffic.perDay * RETENTION.processingRecordsDays;
  const rowBytes = PROCESS_TYPES.reduce((n, t) => n + traffic.mix[t] * profile.perType[t].rowBytes, 0);
  const storageGb = Math.max(DB_CAPACITY.currentGb, gb(retainedRows * rowBytes));

  const modelGb = gb(month * b.modelBytes);
  const viaEndpoint = program.config.network.interfaceEndpoints.includes('bedrock-runtime');
  const apiRequests = month * b.apiRequests;
  const archivedGb = logGb + vendedGb;

  return [
    line(
      'Lambda',
      'requests',
      lambdaRequests / 1e6,
      'M requests',
      'lambdaRequests',
      (lambdaRequests / 1e6) * P.lambdaRequests.usd,
      'lambda',
    ),
    line(
      'Lambda',
      `duration (${INFRA.lambda.architecture})`,
      gbSeconds,
      'GB-s',
      'lambdaArmGbSecond',
      gbSeconds * P.lambdaArmGbSecond.usd,
      'lambda',
    ),
    line(
      'Bedrock',
      'input tokens',
      (month * b.inputTokens) / 1000,
      'k tokens',
      'bedrockHaikuInput',
      ((month * b.inputTokens) / 1000) * P.bedrockHaikuInput.usd,
      'bedrock',
    ),
    line(
      'Bedrock',
      'output tokens',
      (month * b.outputTokens) / 1000,
      'k tokens',
      'bedrockHaikuOutput',
      ((month * b.outputTokens) / 1000) * P.bedrockHaikuOutput.usd,
      'bedrock',
    ),
    line(
      'Aurora',
      `capacity (${instances} × max(${minCapacity} ACU min, load))`,
      billedAcu * HOURS_PER_MONTH,
      'ACU-h',
      'auroraAcuHour',
      billedAcu * HOURS_PER_MONTH * P.auroraAcuHour.usd,
      'aurora',
    ),
    line('Aurora', 'storage', storageGb, 'GB-month', 'auroraStorageGbMonth', storageGb * P.auroraStorageGbMonth.usd, 'aurora'),
    line(
      'Aurora',
      'write I/O',
      (month * b.writeIos) / 1e6,
      'M I/Os',
      'auroraIoRequests',
      ((month * b.writeIos) / 1e6) * P.auroraIoRequests.usd,
      'aurora',
    ),
    line(
      'Step Functions',
      'state transitions',
      (month * b.transitions) / 1000,
      'k transitions',
      'sfnTransitions',
      ((month * b.transitions) / 1000) * P.sfnTransitions.usd,
      'other',
    ),
    line('CloudWatch', 'logs ingested (functions, API access)', logGb, 'GB', 'logsIngestGb', logGb * P.logsIngestGb.usd, 'other'),
    line(
      'CloudWatch',
      `Step Functions logs (level ${inv.stateMachineLogLevel})`,
      vendedGb,
      'GB',
      'vendedLogsIngestGb',
      vendedGb * P.vendedLogsIngestGb.usd,
      'other',
    ),
    line(
      'CloudWatch',
      `logs stored (${RETENTION.logsDays} d)`,
      storedGb,
      'GB-month',
      'logsStorageGbMonth',
      storedGb * P.logsStorageGbMonth.usd,
      'other',
    ),
    line(
      'CloudWatch',
      'custom metrics',
      profile.metricSeries.length,
      'metrics',
      'customMetric',
      profile.metricSeries.length * P.customMetric.usd,
      'other',
    ),
    line(
      'CloudWatch',
      `alarms (${inv.alarms})`,
      inv.alarmMetrics,
      'alarm metrics',
      'alarmMetric',
      inv.alarmMetrics * P.alarmMetric.usd,
      'other',
    ),
    line('CloudWatch', 'dashboards', inv.dashboards, 'dashboards', 'dashboard', inv.dashboards * P.dashboard.usd, 'other'),
    line(
      'X-Ray',
      'traces recorded',
      tracesRecorded(month * b.traces) / 1e6,
      'M traces',
      'xrayTraces',
      (tracesRecorded(month * b.traces) / 1e6) * P.xrayTraces.usd,
      'other',
    ),
    line(
      'API Gateway',
      'HTTP API requests',
      apiRequests / 1e6,
      'M requests',
      'httpApiRequests',
      (apiRequests / 1e6) * P.httpApiRequests.usd,
      'other',
    ),
    line(
      'CloudFront',
      'HTTPS requests',
      apiRequests / 1e4,
      '10k requests',
      'cloudFrontHttpsRequests',
      (apiRequests / 1e4) * P.cloudFrontHttpsRequests.usd,
      'other',
    ),
    line(
      'CloudFront',
      'data out',
      gb(month * b.responseBytes),
      'GB',
      'cloudFrontTransferGb',
      gb(month * b.responseBytes) * P.cloudFrontTransferGb.usd,
      'other',
    ),
    line('WAF', `web ACLs`, inv.webAcls, 'web ACLs', 'wafWebAcl', inv.webAcls * P.wafWebAcl.usd, 'other'),
    line('WAF', 'rules', inv.wafRules, 'rules', 'wafRule', inv.wafRules * P.wafRule.usd, 'other'),
    line(
      'WAF',
      'requests',
      (inv.webAcls ? apiRequests : 0) / 1e6,
      'M requests',
      'wafRequests',
      ((inv.webAcls ? apiRequests : 0) / 1e6) * P.wafRequests.usd,
      'other',
    ),
    line(
      'VPC',
      'NAT gateways',
      inv.natGateways * HOURS_PER_MONTH,
      'hours',
      'natGatewayHour',
      inv.natGateways * HOURS_PER_MONTH * P.natGatewayHour.usd,
      'other',
    ),
    line(
      'VPC',
      'NAT data (model calls)',
      viaEndpoint ? 0 : modelGb,
      'GB',
      'natGatewayGb',
      (viaEndpoint ? 0 : modelGb) * P.natGatewayGb.usd,
      'other',
    ),
    line(
      'VPC',
      'interface endpoints',
      inv.interfaceEndpointAzs * HOURS_PER_MONTH,
      'endpoint-AZ-hours',
      'interfaceEndpointHour',
      inv.interfaceEndpointAzs * HOURS_PER_MONTH * P.interfaceEndpointHour.usd,
      'other',
    ),
    line(
      'VPC',
      'endpoint data (model calls)',
      viaEndpoint ? modelGb : 0,
      'GB',
      'interfaceEndpointGb',
      (viaEndpoint ? modelGb : 0) * P.interfaceEndpointGb.usd,
      'other',
    ),
    line('Secrets Manager', 'secrets', inv.secrets, 'secrets', 'secret', inv.secrets * P.secret.usd, 'other'),
    line('KMS', 'keys', inv.kmsKeys, 'keys', 'kmsKey', inv.kmsKeys * P.kmsKey.usd, 'other'),
    line(
      'Budgets',
      'budgets beyond two free',
      Math.max(0, inv.budgets - 2),
      'budgets',
      'budget',
      Math.max(0, inv.budgets - 2) * P.budget.usd,
      'other',
    ),
    line(
      'Incident Manager',
      'response plans',
      inv.responsePlans,
      'plans',
      'incidentResponsePlan',
      inv.responsePlans * P.incidentResponsePlan.usd,
      'other',
    ),
    line(
      'Log archive',
      'Firehose ingestion',
      inv.firehoseStreams ? archivedGb : 0,
      'GB',
      'firehoseGb',
      (inv.firehoseStreams ? archivedGb : 0) * P.firehoseGb.usd,
      'other',
    ),
    line(
      'Log archive',
      `S3 (gzip, kept ${INFRA.logArchive.expireAfterDays} d)`,
      inv.firehoseStreams ? archivedGb * ASSUMPTIONS.archiveCompression * (INFRA.logArchive.expireAfterDays / DAYS_PER_MONTH) : 0,
      'GB-month',
      's3StandardGbMonth',
      (inv.firehoseStreams ? archivedGb * ASSUMPTIONS.archiveCompression * (INFRA.logArchive.expireAfterDays / DAYS_PER_MONTH) : 0) *
        P.s3StandardGbMonth.usd,
      'other',
    ),
  ];
}

export const total = (lines: readonly Line[]): number => lines.reduce((n, l) => n + l.usd, 0);

export const shareTotal = (lines: readonly Line[], share: Share): number => total(lines.filter((l) => l.share === share));

export const shareBudget = (share: Share): number => (BUDGET.monthlyUsd * BUDGET.sharePercent[share]) / 100;

/**
 * The processes per day at which `cost(perDay)` reaches `limit`: 0 when it is over already with no
 * traffic, Infinity when it never gets there below `ceiling`. Cost never falls as traffic grows,
 * so bisection finds it.
 */
export function breakEven(cost: (perDay: number) => number, limit: number, ceiling = 1e9): number {
  if (cost(0) >= limit) return 0;
  if (cost(ceiling) < limit) return Infinity;
  let lo = 0;
  let hi = ceiling;
  while (hi - lo > Math.max(0.5, lo * 1e-9)) {
    const mid = (lo + hi) / 2;
    if (cost(mid) >= limit) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface BreakEvens {
  readonly total: number;
  readonly shares: Record<Share, number>;
}

export function breakEvens(model: Model, mix: Mix): BreakEvens {
  const at = (perDay: number) => monthlyLines(model, { perDay, mix });
  const shares = {} as Record<Share, number>;
  for (const share of Object.keys(BUDGET.sharePercent) as Share[])
    shares[share] = breakEven((n) => shareTotal(at(n), share), shareBudget(share));
  return { total: breakEven((n) => total(at(n)), BUDGET.monthlyUsd), shares };
}

export interface Saturation {
  readonly what: string;
  /** A few words for the chart. */
  readonly short: string;
  /** The limit, e.g. 10 (reserved concurrency). */
  readonly limit: number;
  readonly unit: string;
  /** Processes per day (average) at which the peak hour reaches the limit. */
  readonly perDay: number;
  /** Peak processes per second at that point. */
  readonly peakPerSecond: number;
}

/** Where capacity runs out at the peak hour (ASSUMPTIONS.peakToAverage × the average rate). */
export function saturations(model: Model, mix: Mix): Saturation[] {
  const { program } = model;
  const b = blended(model, mix);
  const peak = ASSUMPTIONS.peakToAverage;
  const at = (what: string, short: string, limit: number, unit: string, usePerProcess: number): Saturation => {
    const peakPerSecond = usePerProcess > 0 ? limit / usePerProcess : Infinity;
    return { what, short, limit, unit, peakPerSecond, perDay: (peakPerSecond * 86_400) / peak };
  };
  const fns = program.functions;
  const worker = fns.aiGenerationWorker;
  const out: Saturation[] = [];
  if (worker.reservedConcurrency !== undefined) {
    out.push(
      at(
        `${worker.name} reserved concurrency (stack ${program.stack})`,
        `worker concurrency ${worker.reservedConcurrency} (${program.stack})`,
        worker.reservedConcurrency,
        'concurrent invocations',
        b.workerSeconds,
      ),
    );
  }
  for (const [level, limit] of Object.entries(FUNCTIONS.aiGenerationWorker.reservedConcurrency)) {
    if (limit !== worker.reservedConcurrency)
      out.push(
        at(
          `${worker.name} at the guide's ${level} (${limit})`,
          `worker at guide ${level} ${limit}`,
          limit,
          'concurrent invocations',
          b.workerSeconds,
        ),
      );
  }
  const status = fns.statusCheckHandler;
  if (status.reservedConcurrency !== undefined)
    out.push(
      at(
        `${status.name} reserved concurrency`,
        `status handler ${status.reservedConcurrency}`,
        status.reservedConcurrency,
        'concurrent invocations',
        b.statusHandlerSeconds,
      ),
    );
  const start = fns.asyncProcessingHandler;
  if (start.reservedConcurrency !== undefined)
    out.push(
      at(
        `${start.name} reserved concurrency`,
        `start handler ${start.reservedConcurrency}`,
        start.reservedConcurrency,
        'concurrent invocations',
        b.startHandlerSeconds,
      ),
    );
  out.push(
    at(
      'API stage throttling rate',
      `API throttle ${program.config.api.throttlingRateLimit}/s`,
      program.config.api.throttlingRateLimit,
      'requests/s',
      b.apiRequests,
    ),
  );
  const { maxCapacity } = program.config.database;
  out.push(
    at(`Aurora max capacity (${maxCapacity} ACU)`, `Aurora ${maxCapacity} ACU`, maxCapacity, 'ACU', acuForRate(b.databaseCpuSeconds, 1)),
  );
  return out.sort((x, y) => x.perDay - y.perDay);
}
