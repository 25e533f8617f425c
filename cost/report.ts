/** What `npm run cost` prints: the monthly bill, the budget, capacity, per-process figures and the prices. */
import { BUDGET, DB_CAPACITY, PROCESS_TYPES, type ProcessType } from '../guide';
import { ASSUMPTIONS, DAYS_PER_MONTH, completionSeconds, sliceLatencySeconds, statusPollsPerProcess } from './assumptions';
import {
  breakEvens,
  monthlyLines,
  perProcess,
  saturations,
  shareBudget,
  shareTotal,
  total,
  type BreakEvens,
  type Line,
  type Mix,
  type Model,
  type Saturation,
  type Share,
  type Traffic,
} from './model';
import { PRICES, PRICES_TAKEN, type PriceKey } from './prices';

export interface TypeFigures {
  readonly type: ProcessType;
  readonly modelCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly workerSeconds: number;
  readonly transitions: number;
  readonly statusChecks: number;
  readonly logBytes: number;
  /** Variable cost of one more process of this type, USD. */
  readonly usdPerProcess: number;
}

export interface Report {
  readonly stack: string;
  readonly traffic: Traffic;
  readonly lines: readonly Line[];
  readonly totalUsd: number;
  readonly budget: { readonly monthlyUsd: number; readonly shares: Record<Share, { percent: number; budgetUsd: number; costUsd: number }> };
  readonly breakEven: BreakEvens;
  readonly saturation: readonly Saturation[];
  readonly perType: readonly TypeFigures[];
  /** The traffic the guide's database growth (DB_CAPACITY.monthlyGrowthGb) means at the measured row size. */
  readonly guideGrowthPerDay: number;
  readonly assumptions: typeof ASSUMPTIONS;
  readonly measured: { readonly at: string; readonly machine: string; readonly notes: readonly string[] };
}

const SHARES = Object.keys(BUDGET.sharePercent) as Share[];

/** What one more process of `type` adds to the bill (fixed costs and the Aurora floor stay out). */
export function usdPerProcess(model: Model, type: ProcessType): number {
  const mix = Object.fromEntries(PROCESS_TYPES.map((t) => [t, t === type ? 1 : 0])) as Mix;
  const perDay = 1000;
  const base = total(monthlyLines(model, { perDay: 0, mix }));
  return (total(monthlyLines(model, { perDay, mix })) - base) / (perDay * DAYS_PER_MONTH);
}

export function buildReport(model: Model, traffic: Traffic): Report {
  const lines = monthlyLines(model, traffic);
  const shares = {} as Report['budget']['shares'];
  for (const s of SHARES) shares[s] = { percent: BUDGET.sharePercent[s], budgetUsd: shareBudget(s), costUsd: shareTotal(lines, s) };
  return {
    stack: model.program.stack,
    traffic,
    lines,
    totalUsd: total(lines),
    budget: { monthlyUsd: BUDGET.monthlyUsd, shares },
    breakEven: breakEvens(model, traffic.mix),
    saturation: saturations(model, traffic.mix),
    perType: PROCESS_TYPES.map((type) => {
      const p = perProcess(model, type);
      const t = model.profile.perType[type];
      return {
        type,
        modelCalls: t.modelCalls,
        inputTokens: p.inputTokens,
        outputTokens: p.outputTokens,
        workerSeconds: p.workerSeconds,
        transitions: p.transitions,
        statusChecks: statusPollsPerProcess(type),
        logBytes: p.functionLogBytes + p.accessLogBytes + p.stepFunctionsLogBytes,
        usdPerProcess: usdPerProcess(model, type),
      };
    }),
    guideGrowthPerDay:
      (DB_CAPACITY.monthlyGrowthGb * 1e9) /
      PROCESS_TYPES.reduce((n, t) => n + traffic.mix[t] * model.profile.perType[t].rowBytes, 0) /
      DAYS_PER_MONTH,
    assumptions: ASSUMPTIONS,
    measured: { at: model.profile.measuredAt, machine: model.profile.machine, notes: model.profile.notes },
  };
}

const usd = (n: number) =>
  n >= 100 ? `$${Math.round(n).toLocaleString('en-US')}` : n >= 1 || n === 0 ? `$${n.toFixed(2)}` : `$${n.toPrecision(3)}`;
const num = (n: number) =>
  !Number.isFinite(n) ? 'never' : n >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString();
const perDay = (n: number) => (n === 0 ? 'already at 0' : !Number.isFinite(n) ? 'never (below 10⁹/day)' : `${num(n)}/day`);
const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const mark = (k: PriceKey) => (PRICES[k].status === 'estimate' ? '*' : '');
const mixText = (mix: Mix) => PROCESS_TYPES.map((t) => `${t.replace('_GENERATION', '')} ${Math.round(mix[t] * 100)} %`).join(', ');

export function renderMarkdown(r: Report): string {
  const s = r.budget.shares;
  return [
    `# Monthly cost: stack ${r.stack}, ${num(r.traffic.perDay)} processes/day (${mixText(r.traffic.mix)})`,
    '',
    `Prices of ${PRICES_TAKEN}, ap-northeast-1 (CloudFront: Japan edges; WAF: the same everywhere); * marks a price that is an estimate (see the table at the end). ` +
      `Per-process figures measured on the local runtime (${r.measured.at.slice(0, 10)}, ${r.measured.machine}).`,
    '',
    table(
      ['service', 'item', 'quantity', 'unit', 'USD/month', 'budget share'],
      r.lines.map((l) => [l.service, l.item, num(l.quantity), l.unit, `${usd(l.usd)}${mark(l.price)}`, l.share]),
    ),
    `| **total** | | | | **${usd(r.totalUsd)}** | |`,
    '',
    `## Against the budget (${usd(r.budget.monthlyUsd)}/month)`,
    '',
    table(
      ['share', 'budget', 'cost now', 'used', 'budget breaks at'],
      [
        ...SHARES.map((k) => [
          `${k} (${s[k].percent} %)`,
          usd(s[k].budgetUsd),
          usd(s[k].costUsd),
          `${Math.round((s[k].costUsd / s[k].budgetUsd) * 100)} %`,
          perDay(r.breakEven.shares[k]),
        ]),
        [
          '**total**',
          usd(r.budget.monthlyUsd),
          usd(r.totalUsd),
          `${Math.round((r.totalUsd / r.budget.monthlyUsd) * 100)} %`,
          `**${perDay(r.breakEven.total)}**`,
        ],
      ],
    ),
    '',
    'The "other" share holds everything that is not Lambda, Bedrock or Aurora: Step Functions, CloudWatch, X-Ray, API Gateway, CloudFront, WAF, the VPC\'s NAT gateways and endpoints, secrets, keys, budgets, Incident Manager and the log archive.',
    '',
    `## Capacity at the peak hour (${r.assumptions.peakToAverage} × the average rate)`,
    '',
    table(
      ['limit', 'value', 'saturates at (average)', 'peak processes/s then'],
      r.saturation.map((x) => [x.what, `${num(x.limit)} ${x.unit}`, perDay(x.perDay), num(x.peakPerSecond)]),
    ),
    '',
    "A worker invocation holds its concurrency for the model's whole answer; the model's latency per slice is the guide's average completion time (middle of its range) over the slices: " +
      PROCESS_TYPES.map(
        (t) => `${t.replace('_GENERATION', '')} ${completionSeconds(t) / 60} min → ${num(sliceLatencySeconds(t))} s/slice`,
      ).join(', ') +
      '.',
    '',
    `For comparison, the guide's database growth (${DB_CAPACITY.monthlyGrowthGb} GB/month, データベース容量) at the measured row size means about ${num(r.guideGrowthPerDay)} processes/day.`,
    '',
    '## Per process',
    '',
    table(
      [
        'type',
        'model calls',
        'input tokens',
        'output tokens',
        'worker s (held)',
        'transitions',
        'status checks',
        'log KB',
        'variable USD/process',
      ],
      r.perType.map((t) => [
        t.type,
        num(t.modelCalls),
        num(t.inputTokens),
        num(t.outputTokens),
        num(t.workerSeconds),
        num(t.transitions),
        t.statusChecks,
        num(t.logBytes / 1024),
        usd(t.usdPerProcess),
      ]),
    ),
    '',
    ...r.measured.notes.map((n) => `- ${n}`),
    '',
    '## Assumptions (cost/assumptions.ts)',
    '',
    `- Peak hour = ${r.assumptions.peakToAverage} × the average (one time zone, about eight busy hours a day).`,
    `- ${r.assumptions.retriedShare * 100} % of processes retry one Generate attempt in full (the guide's error-rate SLO).`,
    `- Clients poll the status every Retry-After seconds until the end, then read the result once.`,
    `- Aurora: ${r.assumptions.vcpuPerAcu} vCPU per ACU, planned at ${r.assumptions.databaseTargetUtilisation * 100} % busy; capacity billed is max(min ACU, load) per instance; storage at least the guide's current size.`,
    `- Logs: the functions' measured lines + Lambda's START/END/REPORT lines + ${r.assumptions.logEventOverheadBytes} bytes per event; Step Functions history at ${r.assumptions.stepFunctionsLogEventBytes} bytes per event (estimate).`,
    '- Free tiers are left out; tiered prices use their first tier.',
    '',
    '## Prices',
    '',
    table(
      ['price', 'USD', 'per', 'region', 'taken', 'status', 'source', 'note'],
      (Object.keys(PRICES) as PriceKey[]).map((k) => {
        const p = PRICES[k];
        return [k, p.usd, p.per, p.region, p.taken, p.status, p.source, p.note ?? ''];
      }),
    ),
    '',
  ].join('\n');
}

export function renderJson(r: Report): string {
  const finite = (_: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
  return `${JSON.stringify({ ...r, prices: PRICES }, finite, 2)}\n`;
}
