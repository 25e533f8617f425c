/**
 * The report builder: one code path for AWS and local. It asks the source (./source.ts) for the
 * window's figures and lays them out as the guide's checklist (日常運用 / セキュリティ監査).
 */
import type { DailyEdition, ReportKind } from '../../../guide';
import type { Report, Section } from './report';
import * as s from './sections';
import type { CostLine, ReportSource, Window } from './source';
import { isAvailable } from './source';
import { editionAt, jstDay, jstTime, reportWindow } from './windows';

const DAY_MS = 24 * 3600_000;

export interface BuildOptions {
  readonly at: Date;
  /** Daily only: defaults to the edition of `at` (evening from 17:00 JST). */
  readonly edition?: DailyEdition;
  /** Which Cost Explorer services are which of the guide's cost lines (the rest is `other`). */
  readonly costLines?: Partial<Record<s.Share, readonly string[]>>;
}

const TITLES: Record<ReportKind, string> = { daily: '日次チェック', weekly: '週次チェック', monthly: '月次チェック' };

/** The JST days a window covers. */
export function daysOf(w: Window): string[] {
  const days: string[] = [];
  for (let t = w.start.getTime(); t < w.end.getTime(); t += DAY_MS) days.push(jstDay(new Date(t)));
  return days;
}

export function shareOf(service: string, costLines: BuildOptions['costLines'] = {}): s.Share {
  return s.SHARES.find((share) => costLines[share]?.includes(service)) ?? 'other';
}

async function daily(src: ReportSource, w: Window, at: Date, edition: DailyEdition): Promise<Section[]> {
  const [p, q, e, auth, limited, waf] = await Promise.all([
    src.processing(w),
    src.queue(at),
    src.executions(w),
    src.authFailures(w),
    src.rateLimited(w),
    src.wafBlocked(w),
  ]);
  const guide = edition === 'morning' ? '朝: 前日の処理状況を確認' : '夕方: 当日の処理状況を確認';
  return [
    s.processingSection(p, guide),
    s.ratesSection(p),
    s.queueSection(q),
    s.executionsSection(e),
    s.securitySection(auth, limited, waf),
  ];
}

async function weekly(src: ReportSource, w: Window): Promise<Section[]> {
  const [p, errors, latency, peaks, db] = await Promise.all([
    src.processing(w),
    src.errorsByDay(w),
    src.latency(w),
    src.peakConcurrency(w),
    src.databaseSize(w),
  ]);
  return [
    s.processingSection(p, '週次: 前週の処理統計を確認'),
    s.errorTrendSection(errors, daysOf(w)),
    s.sloSection(p, latency, '週次: パフォーマンス指標を確認'),
    s.capacitySection(peaks, db, (w.end.getTime() - w.start.getTime()) / DAY_MS),
  ];
}

async function monthly(src: ReportSource, w: Window, costLines: BuildOptions['costLines']): Promise<Section[]> {
  const [p, latency, cost, audit] = await Promise.all([src.processing(w), src.latency(w), src.cost(w), src.securityAudit()]);
  const lines = isAvailable(cost) ? cost.map((l: CostLine) => ({ ...l, share: shareOf(l.service, costLines) })) : cost;
  return [
    s.processingSection(p, '月次: 前月の処理統計レポートを作成'),
    s.costSection(lines),
    s.sloSection(p, latency, '月次: パフォーマンス改善計画を策定（SLO の要約）'),
    s.auditSection(audit),
  ];
}

export async function buildReport(kind: ReportKind, src: ReportSource, opts: BuildOptions): Promise<Report> {
  const edition = kind === 'daily' ? (opts.edition ?? editionAt(opts.at)) : undefined;
  const w = reportWindow(kind, opts.at, edition);
  const sections =
    kind === 'daily'
      ? await daily(src, w, opts.at, edition!)
      : kind === 'weekly'
        ? await weekly(src, w)
        : await monthly(src, w, opts.costLines);
  const breaches = sections.flatMap((x) => x.checks ?? []).filter((c) => c.status === 'breach').length;
  return {
    kind,
    ...(edition ? { edition } : {}),
    title: `${TITLES[kind]}${edition ? (edition === 'morning' ? '（朝）' : '（夕方）') : ''}`,
    source: src.label,
    generatedAt: opts.at.toISOString(),
    window: { start: w.start.toISOString(), end: w.end.toISOString(), label: `${jstTime(w.start)} – ${jstTime(w.end)}` },
    sections,
    breaches,
  };
}
