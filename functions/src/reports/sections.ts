/**
 * One function per section of the guide's checks, each from what the source answered. Targets
 * come from guide/ (SLO, METRICS thresholds, FUNCTIONS' concurrency, DB_CAPACITY, BUDGET).
 */
import {
  BUDGET,
  DB_CAPACITY,
  FUNCTIONS,
  METRICS,
  OUTCOME_RATES,
  PROCESS_ERROR_CODES,
  PROCESS_TYPES,
  REPORTS,
  SLO,
  type FunctionKey,
  type MetricKey,
  type ProcessType,
} from '../../../guide';
import { check, round, type Cell, type Check, type Section } from './report';
import {
  EXECUTION_STATUSES,
  isAvailable,
  type AuditItem,
  type CostLine,
  type DatabaseSize,
  type ErrorCount,
  type ExecutionStatus,
  type Latency,
  type Maybe,
  type Unavailable,
  type ProcessingCounts,
  type QueueState,
  type TerminalStatus,
} from './source';

const TERMINAL: readonly TerminalStatus[] = ['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'];
const STATUS_OF: Partial<Record<MetricKey, TerminalStatus>> = {
  completed: 'COMPLETED',
  failed: 'FAILED',
  timeout: 'TIMEOUT',
  cancelled: 'CANCELLED',
};
const GB = 1024 ** 3;

const value = <T>(m: Maybe<T>): T | null => (isAvailable(m) ? m : null);
const why = <T>(m: Maybe<T>): string | undefined => (isAvailable(m) ? undefined : (m as Unavailable).reason);

export function processingSection(p: ProcessingCounts, guide: string): Section {
  const rows: Cell[][] = PROCESS_TYPES.map((t) => [t, p.started[t], ...TERMINAL.map((s) => p.ended[t][s])]);
  const total = (i: number) => rows.reduce((n, r) => n + (r[i] as number), 0);
  rows.push(['TOTAL', ...[1, 2, 3, 4, 5].map(total)]);
  return {
    id: 'processing',
    title: '処理状況（タイプ別・ステータス別）',
    guide,
    table: { columns: ['type', 'started', ...TERMINAL], rows },
    notes: ['started: accepted in the window; the status columns: ended in the window with that status.'],
  };
}

/** OUTCOME_RATES over the processes that ended in the window, in percent; null when none ended. */
export function outcomeRate(p: ProcessingCounts, key: keyof typeof OUTCOME_RATES, type?: ProcessType): number | null {
  const types: readonly ProcessType[] = type ? [type] : PROCESS_TYPES;
  const sum = (keys: readonly MetricKey[]): number =>
    keys.reduce((n: number, k) => n + types.reduce((m: number, t) => m + p.ended[t][STATUS_OF[k]!], 0), 0);
  const { numerator, denominator } = OUTCOME_RATES[key];
  const d = sum(denominator);
  return d === 0 ? null : round((100 * sum(numerator)) / d);
}

export function rateChecks(p: ProcessingCounts): Check[] {
  const rate = (key: 'errorRate' | 'timeoutRate', target: number, label: string) => {
    const r = outcomeRate(p, key);
    return check(label, r, `< ${target} %`, r === null ? undefined : r < target, r === null ? 'no process ended in the window' : undefined);
  };
  return [rate('errorRate', SLO.errorRatePercent, 'エラー率 (%)'), rate('timeoutRate', SLO.timeoutRatePercent, 'タイムアウト率 (%)')];
}

export function ratesSection(p: ProcessingCounts): Section {
  return { id: 'rates', title: 'エラー率・タイムアウト率', guide: '夕方: エラー率、タイムアウト率を確認', checks: rateChecks(p) };
}

export function queueSection(q: QueueState): Section {
  const depth = q.depth;
  const split = q.pending === undefined ? undefined : `PENDING ${q.pending}, PROCESSING ${q.processing}`;
  const limit = METRICS.queueDepth.threshold.value;
  return {
    id: 'queue',
    title: '待機中の処理数',
    guide: '朝: 待機中の処理数を確認',
    checks: [
      check('QueueDepth (PENDING + PROCESSING)', depth, `<= ${limit}`, depth <= limit, split),
      check(
        '最古の待機中処理の経過時間 (s)',
        q.oldestAgeSeconds,
        'informational',
        undefined,
        q.oldestAgeSeconds === null ? 'nothing is waiting or running' : undefined,
      ),
    ],
  };
}

export function executionsSection(e: Readonly<Record<ExecutionStatus, number>>): Section {
  return {
    id: 'executions',
    title: 'Step Functions の実行状態',
    guide: '朝: Step Functionsの実行状態を確認',
    table: { columns: ['status', 'executions'], rows: EXECUTION_STATUSES.map((s) => [s, e[s]]) },
    notes: ['Executions started in the window, by their status now.'],
  };
}

export function securitySection(auth: Maybe<number>, limited: Maybe<number>, waf: Maybe<number>): Section {
  const row = (item: string, m: Maybe<number>): Check => check(item, value(m), 'review', undefined, why(m));
  return {
    id: 'security',
    title: 'セキュリティ（日次）',
    guide: 'セキュリティ監査 日次: 認証失敗 / 不正アクセス試行 / レート制限超過',
    checks: [
      row('認証失敗 (AuthFailures)', auth),
      row('レート制限超過 (RateLimitExceeded)', limited),
      row('WAF でブロックされた要求 (不正アクセス試行)', waf),
    ],
  };
}

export function errorTrendSection(errors: readonly ErrorCount[], days: readonly string[]): Section {
  const count = (day: string, code: string) => errors.filter((e) => e.day === day && e.code === code).reduce((n, e) => n + e.count, 0);
  const rows: Cell[][] = days.map((d) => [d, ...PROCESS_ERROR_CODES.map((c) => count(d, c))]);
  rows.push(['TOTAL', ...PROCESS_ERROR_CODES.map((c) => errors.filter((e) => e.code === c).reduce((n, e) => n + e.count, 0))]);
  return {
    id: 'error-trend',
    title: 'エラー傾向（エラーコード別・日別）',
    guide: '週次: エラー傾向を分析',
    table: { columns: ['day (JST)', ...PROCESS_ERROR_CODES], rows },
  };
}

export function sloSection(p: ProcessingCounts, l: Latency, guide: string): Section {
  const p95 = (item: string, m: Maybe<number>, target: number) =>
    check(item, value(m), `< ${target} ms`, isAvailable(m) ? m < target : undefined, why(m));
  const completion = PROCESS_TYPES.map((t) => {
    const s = l.completionAvgSeconds[t];
    const [lo, hi] = SLO.completionMinutes[t];
    const minutes = s === null ? null : round(s / 60);
    return check(
      `平均完了時間 ${t} (min)`,
      minutes,
      `${lo}-${hi} min`,
      minutes === null ? undefined : minutes <= hi,
      minutes === null ? 'none completed in the window' : undefined,
    );
  });
  return {
    id: 'slo',
    title: 'パフォーマンス指標（SLO）',
    guide,
    checks: [
      p95('開始API p95', l.startApiP95Ms, SLO.startApiP95Ms),
      p95('状態確認API p95', l.statusApiP95Ms, SLO.statusApiP95Ms),
      ...completion,
      ...rateChecks(p),
    ],
  };
}

export function capacitySection(peaks: Maybe<Partial<Record<FunctionKey, number>>>, db: DatabaseSize, windowDays: number): Section {
  const planned = (Object.keys(FUNCTIONS) as FunctionKey[]).filter((k) => 'reservedConcurrency' in FUNCTIONS[k]);
  const checks: Check[] = planned.map((k) => {
    const plan = (FUNCTIONS[k] as { reservedConcurrency: { current: number; target: number; max: number } }).reservedConcurrency;
    const peak = isAvailable(peaks) ? (peaks[k] ?? 0) : null;
    const limit = (plan.current * REPORTS.concurrencyWarnPercent) / 100;
    return check(
      `${FUNCTIONS[k].component} 最大同時実行数`,
      peak,
      `<= ${REPORTS.concurrencyWarnPercent} % of ${plan.current} (current; target ${plan.target}, max ${plan.max})`,
      peak === null ? undefined : peak <= limit,
      why(peaks),
    );
  });
  const nowGb = round(db.bytesNow / GB, 3);
  const start = value(db.bytesAtStart);
  const growth = start === null ? null : round(((db.bytesNow - start) / GB) * (30 / windowDays), 3);
  checks.push(check('データベース容量 (GB)', nowGb, `<= ${DB_CAPACITY.currentGb} GB`, nowGb <= DB_CAPACITY.currentGb));
  checks.push(
    check(
      '月間増加 (GB/month, from this window)',
      growth,
      `<= ${DB_CAPACITY.monthlyGrowthGb} GB/month`,
      growth === null ? undefined : growth <= DB_CAPACITY.monthlyGrowthGb,
      why(db.bytesAtStart),
    ),
  );
  return {
    id: 'capacity',
    title: '容量計画',
    guide: '週次: 容量計画を見直し',
    checks,
    notes: [
      `The guide plans ${DB_CAPACITY.currentGb} GB now, about ${DB_CAPACITY.monthlyGrowthGb} GB more a month, reviewed every ${DB_CAPACITY.reviewEveryMonths} months.`,
    ],
  };
}

export type Share = keyof typeof BUDGET.sharePercent;
export const SHARES = Object.keys(BUDGET.sharePercent) as Share[];

export function costSection(lines: Maybe<readonly (CostLine & { share: Share })[]>): Section {
  if (!isAvailable(lines)) {
    return { id: 'cost', title: 'コスト分析', guide: '月次: コスト分析を実施', notes: [`Cost: not available: ${lines.reason}.`] };
  }
  const total = round(lines.reduce((n, l) => n + l.usd, 0));
  const checks = SHARES.map((s) => {
    const usd = round(lines.filter((l) => l.share === s).reduce((n, l) => n + l.usd, 0));
    const budget = (BUDGET.monthlyUsd * BUDGET.sharePercent[s]) / 100;
    return check(
      `${s} (USD)`,
      usd,
      `<= ${budget} (${BUDGET.sharePercent[s]} % of ${BUDGET.monthlyUsd})`,
      usd <= budget,
      total > 0 ? `${round((100 * usd) / total, 1)} % of the month` : undefined,
    );
  });
  checks.unshift(check('合計 (USD)', total, `<= ${BUDGET.monthlyUsd}`, total <= BUDGET.monthlyUsd));
  const rows = [...lines].sort((a, b) => b.usd - a.usd).map((l): Cell[] => [l.service, l.share, round(l.usd)]);
  return {
    id: 'cost',
    title: 'コスト分析',
    guide: '月次: コスト分析を実施',
    checks,
    table: { columns: ['service', 'share', 'USD'], rows },
  };
}

export function auditSection(items: Maybe<readonly AuditItem[]>): Section {
  const guide = 'セキュリティ監査: IAMロールの権限 / セキュリティグループ / 未使用のアクセス / セキュリティパッチの適用状況';
  if (!isAvailable(items))
    return {
      id: 'security-audit',
      title: 'セキュリティ監査（機械で確認できる項目）',
      guide,
      notes: [`Security audit: not available: ${items.reason}.`],
    };
  return {
    id: 'security-audit',
    title: 'セキュリティ監査（機械で確認できる項目）',
    guide,
    checks: items.map((i) => check(`${i.area}: ${i.subject}`, i.ok ? 'ok' : 'finding', 'as declared', i.ok, i.detail)),
  };
}
