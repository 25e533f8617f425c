/**
 * The cost model on a small hand-computed case: 1 000 processes a day, mix 50/30/20, the prod
 * stack's real settings and a made-up profile in round numbers. Every expected figure is worked out
 * here from the formulas (prices imported, never restated).
 */
import { BUDGET, DB_CAPACITY, FUNCTIONS, INFRA, RETENTION, SLO } from '../../../guide';
import { platformLogLines } from '../../../cost/assumptions';
import { breakEven, breakEvens, monthlyLines, saturations, total, DEFAULT_MIX, type Mix } from '../../../cost/model';
import { PRICES } from '../../../cost/prices';
import { PROFILE, TYPE, model } from './fixtures';

const D = 730 / 24; // days in AWS's 730-hour month
const MONTH = 1000 * D;
const R = SLO.errorRatePercent / 100; // processes with one retried Generate
const MIX: Mix = { SUBGOAL_GENERATION: 0.5, ACTION_GENERATION: 0.3, TASK_GENERATION: 0.2 };
// Per type: completion (s) = middle of the guide's range; slice latency = completion / 4; polls = ceil(completion / 5 s) + 1.
const SLICE = 0.5 * 60 + 0.3 * 112.5 + 0.2 * 187.5; // 101.25 s, mix-weighted
const POLLS = 0.5 * 49 + 0.3 * 91 + 0.2 * 151; // 82
const WORKER_CALLS = 6 + R; // Begin, 4 × Generate, Complete; +1 for a retry
const TRANSITIONS = 12 + R;
const HISTORY_EVENTS = 44 + 3 * R;
const MONITOR_RUNS = 730 * 60;
const platformBytes = platformLogLines(false).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) + 3 * 26;

function expectedLines(): number[] {
  const p = PRICES;
  const apiRequests = 1 + POLLS;
  const lambdaRequests = MONTH * (WORKER_CALLS + apiRequests) + MONITOR_RUNS;
  const workerGbs = (1024 / 1024) * (4 * SLICE + TYPE.workerLocalMs / 1000 + R * SLICE);
  const handlerGbs = (512 / 1024) * (TYPE.startLatencyMs / 1000 + (POLLS * PROFILE.statusCheck.latencyMs) / 1000);
  const monitorGbs = (256 / 1024) * (PROFILE.statusCheck.latencyMs / 1000) * MONITOR_RUNS;
  const gbSeconds = MONTH * (workerGbs + handlerGbs) + monitorGbs;
  const tokenFactor = 1 + R / 4;
  const functionLogs = 3000 + 10 * 26 + 800 + 3 * 26 + (WORKER_CALLS + apiRequests) * platformBytes;
  const accessLogs = apiRequests * (19 + 1 + 26);
  const monitorLogs = MONITOR_RUNS * (500 + 2 * 26 + platformBytes);
  const logGb = (MONTH * (functionLogs + accessLogs) + monitorLogs) / 1e9;
  const vendedGb = (MONTH * HISTORY_EVENTS * (600 + 26)) / 1e9;
  const acuLoad = ((1000 / 86400) * (TYPE.databaseCpuMs / 1000)) / 0.25 / 0.7; // far below the 0.5 ACU minimum
  const acuHours = Math.max(0.5, acuLoad) * 1 * 730;
  const storageGb = Math.max(DB_CAPACITY.currentGb, (1000 * RETENTION.processingRecordsDays * TYPE.rowBytes) / 1e9);
  const ios = MONTH * 2; // 8 192 WAL bytes = 2 × 4 KiB
  const modelGb = (MONTH * 4 * tokenFactor * 1500) / 1e9;
  const apiMonth = MONTH * apiRequests;
  const respGb = (MONTH * (TYPE.startResponseBytes + POLLS * PROFILE.statusCheck.responseBytes)) / 1e9;
  const archived = logGb + vendedGb;
  return [
    (lambdaRequests / 1e6) * p.lambdaRequests.usd,
    gbSeconds * p.lambdaArmGbSecond.usd,
    ((MONTH * TYPE.inputTokens * tokenFactor) / 1000) * p.bedrockHaikuInput.usd,
    ((MONTH * TYPE.outputTokens * tokenFactor) / 1000) * p.bedrockHaikuOutput.usd,
    acuHours * p.auroraAcuHour.usd,
    storageGb * p.auroraStorageGbMonth.usd,
    (ios / 1e6) * p.auroraIoRequests.usd,
    ((MONTH * TRANSITIONS) / 1000) * p.sfnTransitions.usd,
    logGb * p.logsIngestGb.usd,
    vendedGb * p.vendedLogsIngestGb.usd,
    (logGb + vendedGb) * (RETENTION.logsDays / D) * p.logsStorageGbMonth.usd,
    17 * p.customMetric.usd,
    12 * p.alarmMetric.usd,
    1 * p.dashboard.usd,
    0, // no traced functions in the fixture
    (apiMonth / 1e6) * p.httpApiRequests.usd,
    (apiMonth / 1e4) * p.cloudFrontHttpsRequests.usd,
    respGb * p.cloudFrontTransferGb.usd,
    p.wafWebAcl.usd,
    4 * p.wafRule.usd,
    (apiMonth / 1e6) * p.wafRequests.usd,
    2 * 730 * p.natGatewayHour.usd,
    0, // prod reaches Bedrock through its interface endpoint, not the NAT
    6 * 730 * p.interfaceEndpointHour.usd,
    modelGb * p.interfaceEndpointGb.usd,
    p.secret.usd,
    p.kmsKey.usd,
    2 * p.budget.usd,
    p.incidentResponsePlan.usd,
    archived * p.firehoseGb.usd,
    archived * 0.1 * (INFRA.logArchive.expireAfterDays / D) * p.s3StandardGbMonth.usd,
  ];
}

describe('monthlyLines', () => {
  it('bills every service line as worked out by hand for 1 000 processes a day', () => {
    const lines = monthlyLines(model(), { perDay: 1000, mix: MIX });
    const expected = expectedLines();
    expect(lines).toHaveLength(expected.length);
    lines.forEach((l, i) =>
      expect({ line: `${l.service}: ${l.item}`, usd: l.usd }).toEqual({
        line: `${l.service}: ${l.item}`,
        usd: expect.closeTo(expected[i]!, 6),
      }),
    );
    expect(total(lines)).toBeCloseTo(
      expected.reduce((a, b) => a + b, 0),
      6,
    );
  });

  it('puts Lambda, Bedrock and Aurora on their budget shares and the rest on "other"', () => {
    const shares = new Map(monthlyLines(model(), { perDay: 1000, mix: MIX }).map((l) => [l.service, l.share]));
    expect([shares.get('Lambda'), shares.get('Bedrock'), shares.get('Aurora'), shares.get('Step Functions'), shares.get('WAF')]).toEqual([
      'lambda',
      'bedrock',
      'aurora',
      'other',
      'other',
    ]);
  });

  it('sends the model traffic through the NAT when the stack has no Bedrock endpoint (dev)', () => {
    const m = {
      ...model(),
      program: {
        ...model().program,
        config: { ...model().program.config, network: { ...model().program.config.network, interfaceEndpoints: [] } },
      },
    };
    const lines = monthlyLines(m, { perDay: 1000, mix: MIX });
    const nat = lines.find((l) => l.item.startsWith('NAT data'))!;
    expect(nat.quantity).toBeCloseTo((MONTH * 4 * (1 + R / 4) * 1500) / 1e9, 9);
  });

  it('bills Aurora for its load once the load passes the minimum capacity', () => {
    const lines = monthlyLines(model(), { perDay: 10_000_000, mix: MIX });
    const acu = lines.find((l) => l.service === 'Aurora' && l.unit === 'ACU-h')!;
    expect(acu.quantity).toBeCloseTo((((10_000_000 / 86400) * 0.005) / 0.25 / 0.7) * 730, 3);
  });
});

describe('breakEven', () => {
  it('finds where a rising cost meets the limit', () => {
    expect(breakEven((n) => 100 + n * 0.5, 500)).toBeCloseTo(800, 0);
  });

  it('answers 0 when the cost is over the limit with no traffic, and Infinity when it never gets there', () => {
    expect(breakEven(() => 600, 500)).toBe(0);
    expect(breakEven(() => 10, 500)).toBe(Infinity);
  });

  it("finds the traffic at which the model's total reaches the budget", () => {
    const m = model();
    const at = breakEvens(m, DEFAULT_MIX).total;
    expect(total(monthlyLines(m, { perDay: at, mix: DEFAULT_MIX }))).toBeCloseTo(BUDGET.monthlyUsd, 0);
    expect(total(monthlyLines(m, { perDay: at * 0.99, mix: DEFAULT_MIX }))).toBeLessThan(BUDGET.monthlyUsd);
  });
});

describe('saturations', () => {
  it("puts the worker's reserved concurrency where peak processes × seconds held reach it", () => {
    const m = model();
    const sat = saturations(m, MIX);
    const worker = sat.find((s) => s.what.includes('reserved concurrency (stack prod)'))!;
    const held = 4 * SLICE + TYPE.workerLocalMs / 1000 + R * SLICE; // seconds one process holds a worker
    const reserved = m.program.functions.aiGenerationWorker.reservedConcurrency!;
    expect(reserved).toBe(FUNCTIONS.aiGenerationWorker.reservedConcurrency.current); // Pulumi.prod.yaml: worker: current
    expect(worker.peakPerSecond).toBeCloseTo(reserved / held, 9);
    expect(worker.perDay).toBeCloseTo(((reserved / held) * 86400) / 3, 6);
  });

  it("lists the guide's target and max for the worker, the handlers, API throttling and Aurora, earliest first", () => {
    const sat = saturations(model(), MIX);
    expect(sat.map((s) => s.short)).toEqual(
      expect.arrayContaining([
        'worker at guide target 20',
        'worker at guide max 100',
        'status handler 50',
        'API throttle 100/s',
        'Aurora 8 ACU',
      ]),
    );
    expect(sat.map((s) => s.perDay)).toEqual([...sat.map((s) => s.perDay)].sort((a, b) => a - b));
    const aurora = sat.find((s) => s.short === 'Aurora 8 ACU')!;
    expect(aurora.peakPerSecond).toBeCloseTo((8 * 0.25 * 0.7) / (TYPE.databaseCpuMs / 1000), 6);
  });
});
