/**
 * The guide's operator checks (日常運用: 日次 / 週次 / 月次チェック, セキュリティ監査) as generated
 * reports: when each runs (JST), which window it covers, and where it is kept. The guide's own
 * numbers (SLO, BUDGET, DB_CAPACITY, FUNCTIONS' concurrency, RETENTION) stay in './index'; what is
 * here is ours, each with why. Imports types only from './index', so loading either first works.
 */

export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The two daily checks: 朝（9:00）looks back at the previous day, 夕方（17:00）at the day so far. */
export const DAILY_EDITIONS = ['morning', 'evening'] as const;
export type DailyEdition = (typeof DAILY_EDITIONS)[number];

export const REPORTS = {
  /**
   * 週次チェック（月曜日）and 月次チェック（月初）name a day, not an hour: they run with the morning
   * check (09:00 JST), when the operator who reads them is at work.
   */
  weeklyDay: 'MON',
  monthlyDayOfMonth: 1,
  /**
   * Kept as long as the processing records they describe (データ保持ポリシー: 90 days), and no
   * longer: a report names error codes and counts, a quarter of weekly trends stays comparable.
   * The bucket's lifecycle takes RETENTION.processingRecordsDays itself.
   */
  keyPrefix: 'reports',
  /** The AWS/Lambda ConcurrentExecutions peak above this share of a reservation is flagged (plan the next step of the capacity table). */
  concurrencyWarnPercent: 80,
  /** Access Analyzer calls access unused after this many days a finding (AWS's default). */
  unusedAccessAgeDays: 90,
  /** A scheduled report that could not start within this long is dropped: the next one is hours away. */
  scheduleMaxEventAgeSeconds: 3600,
  /** How many error log lines `ops logs errors` shows, and from how far back: the guide's appendix command (--limit 10, 1 hour ago). */
  recentErrors: { limit: 10, sinceMinutes: 60 },
} as const;
