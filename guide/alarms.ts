/**
 * Alarm policy: the outcome rates the guide names (ErrorRate, timeout rate) defined once, and the
 * numbers of every alarm the guide does not fix itself (SLO, pipeline health and AWS service
 * alarms). The guide's own thresholds stay in `METRICS`, `GUIDE_ALERTS` and `SLO`; what is here
 * is our choice, and each says why.
 *
 * This file imports nothing at run time from './index' (which re-exports it), so loading either
 * first works.
 */
import type { FunctionKey, MetricKey } from './index';
import { GUIDE_ALERTS } from './alerts';

interface OutcomeRate {
  /** The guide's name for the rate (ErrorRate is in the metric table). */
  readonly name: string;
  readonly numerator: readonly MetricKey[];
  readonly denominator: readonly MetricKey[];
}

/**
 * Processes take minutes, so a rate over "started" in the same window would compare different
 * processes; a rate over the outcomes of one window compares like with like. A cancelled process
 * is the user's choice, neither success nor error, so it is in neither part.
 */
const FINISHED: readonly MetricKey[] = ['completed', 'failed', 'timeout'];

export const OUTCOME_RATES = {
  /** エラー率: processes that ended FAILED or TIMEOUT (AI_ERROR, DATABASE_ERROR, TIMEOUT_ERROR, …). */
  errorRate: { name: 'ErrorRate', numerator: ['failed', 'timeout'], denominator: FINISHED },
  /** タイムアウト率. */
  timeoutRate: { name: 'TimeoutRate', numerator: ['timeout'], denominator: FINISHED },
  /** 完了率 (dashboard): the complement of the error rate. */
  completionRate: { name: 'CompletionRate', numerator: ['completed'], denominator: FINISHED },
} as const satisfies Record<string, OutcomeRate>;
export type OutcomeRateKey = keyof typeof OUTCOME_RATES;

/** How long a condition must hold: `datapoints` of the last `periods` periods breach. */
export interface Evaluation {
  readonly periodSeconds: number;
  readonly periods: number;
  readonly datapoints: number;
}

/** One window, judged once: the guide's alerts as the guide writes them ("> 5 % (5分間)"). */
export const once = (periodSeconds: number): Evaluation => ({ periodSeconds, periods: 1, datapoints: 1 });

/**
 * Volume guard of every rate alarm: below this many events in its window a rate does not alarm.
 * 100 / 5 (the guide's error-rate threshold, %): with fewer than 20 finished processes a single
 * failure is already above 5 %, so the rate would page on one failure (1 of 1 is 100 %). From 20 on,
 * one failure is at most 5 % and never fires by itself. The same minimum guards request rates.
 */
export const RATE_VOLUME = { minEvents: 100 / GUIDE_ALERTS.errorRate.threshold } as const;

/** One burn-rate window pair: the budget share spent in `longSeconds` that alarms, confirmed over `shortSeconds`. */
export interface BurnWindow {
  readonly longSeconds: number;
  readonly shortSeconds: number;
  /** Share of the whole budget period's errors spent within the long window. */
  readonly budgetSpentPercent: number;
}

/**
 * The SLO rates (error < 1 %, timeout < 5 %) as multi-window burn-rate alarms over a 30-day error
 * budget (Google SRE workbook, "Alerting on SLOs", recommendation 6): alarm when 2 % of the month's
 * budget burns within 1 h (burn rate 14.4: an error rate of 14.4 %, a timeout rate of 72 %) or 5 %
 * within 6 h (burn rate 6: 6 % errors, 30 % timeouts); each long window is confirmed by a window
 * 1/12 its length, so the alarm clears minutes after the burn stops instead of an hour later.
 *
 * Against the guide: its own 5-minute alerts (errors > 5 %, timeouts > 10 %) page first whenever a
 * 5-minute window holds enough processes to judge (RATE_VOLUME, 20 finished, i.e. 240 an hour).
 * Below that volume they cannot judge, and the 1 h and 6 h windows collect the 20 processes the
 * 5-minute window lacks: these alarms are what sees an outage at night-time traffic. A 1 % or 5 %
 * rate sustained for a month spends exactly the budget and never alarms (a miss seen in the weekly
 * review, not a page).
 */
export const ERROR_BUDGET = {
  periodDays: 30,
  windows: {
    fast: { longSeconds: 3600, shortSeconds: 300, budgetSpentPercent: 2 },
    slow: { longSeconds: 6 * 3600, shortSeconds: 1800, budgetSpentPercent: 5 },
  } satisfies Record<string, BurnWindow>,
  /**
   * The short window only confirms that the burn goes on; its volume is the long window's business.
   * It still needs two errors: at night one failure in 5 minutes is 100 % of that window.
   */
  shortWindowMinErrors: 2,
} as const;
export type BurnWindowKey = keyof typeof ERROR_BUDGET.windows;

/** Burn rate of a window: budget share × budget period / window (2 % × 720 h / 1 h = 14.4). */
export const burnRate = (w: BurnWindow): number =>
  Math.round(((w.budgetSpentPercent / 100) * ERROR_BUDGET.periodDays * 86_400 * 10) / w.longSeconds) / 10;

/**
 * How often each function runs, which decides which Lambda alarms can fire for it: a per-minute
 * M-of-N rule needs invocations in several minutes of the window.
 * - traffic: the API handlers and the worker, invoked all day;
 * - everyMinute: the queue monitor (EventBridge Scheduler, DESIGN.queueMonitorEveryMinutes);
 * - scheduled: ProcessingCleanup, once a week (and on the monthly window): one run, so one failed
 *   run must alarm on its own;
 * - deploy: DbMigrate, invoked by `pulumi up` itself, which fails and says why when it fails;
 * - drTest: DrValidation, invoked by the monthly DR test, which records a crash as a failed test
 *   (dr-validation-failed).
 */
export const FUNCTION_CADENCE = {
  asyncProcessingHandler: 'traffic',
  statusCheckHandler: 'traffic',
  retryHandler: 'traffic',
  cancelHandler: 'traffic',
  aiGenerationWorker: 'traffic',
  queueMonitor: 'everyMinute',
  processingCleanup: 'scheduled',
  dbMigrate: 'deploy',
  drValidation: 'drTest',
} as const satisfies Record<FunctionKey, 'traffic' | 'everyMinute' | 'scheduled' | 'deploy' | 'drTest'>;

export const ALARM_POLICY = {
  slo: {
    /** A p95 judged on 5-minute windows; three in a row so one slow burst (cold starts) does not alert. */
    apiLatency: { periodSeconds: 300, periods: 3, datapoints: 3 },
    /** Average completion per type against the upper bound of its SLO range, per hour. */
    completionByType: { periodSeconds: 3600, periods: 1, datapoints: 1 },
  },
  pipeline: {
    /**
     * Accepted but never finished, per hour (a dashboard graph): started minus every outcome, as a
     * share of started. In steady traffic the difference is only the change in processes in flight.
     */
    neverFinished: { periodSeconds: 3600 },
    /** The queue monitor publishes QueueDepth every minute: five silent minutes means it stopped. */
    queueMonitorSilence: { periodSeconds: 300, periods: 1, datapoints: 1 },
    /**
     * The queue monitor runs every minute and only reads the database: failing in 2 of 3 minutes is
     * the database unreachable (one failure is a blip the next run repairs).
     */
    queueMonitorErrors: { periodSeconds: 60, periods: 3, datapoints: 2 },
    /**
     * Older than workflow timeout + sweeper grace for 5 minutes: the automatic timeouts failed. The
     * age is published before the sweep, so a process the sweeper ends shows for one minute; one
     * that survives five sweeps means the sweeper itself is broken.
     */
    oldestActive: { periodSeconds: 60, periods: 5, datapoints: 5 },
    /** Any process the sweeper had to end (the workflow lost it), per 5 minutes. */
    swept: { periodSeconds: 300, periods: 1, datapoints: 1 },
  },
  maintenance: {
    /**
     * Heartbeat: the queue monitor publishes every minute how far past its due time the last
     * successful run of each maintenance task is (MaintenanceOverdue); due is the end of the task's
     * next window after a success. Past due by an hour, five minutes in a row: the run failed, was
     * not started, or did not finish inside its window.
     */
    heartbeat: { periodSeconds: 60, periods: 5, datapoints: 5, graceSeconds: 3600 },
    /** A scheduled function runs once: any failed invocation in an hour alarms (FUNCTION_CADENCE). */
    scheduledErrors: { periodSeconds: 3600, periods: 1, datapoints: 1 },
  },
  lambda: {
    /** AWS recommended alarm: errors in most minutes of a short window (a single retried blip stays quiet). */
    errors: { periodSeconds: 60, periods: 5, datapoints: 3 },
    throttles: { periodSeconds: 60, periods: 5, datapoints: 3 },
    /** p99 duration near the function's timeout for a quarter of an hour: timeouts are next. */
    duration: { periodSeconds: 60, periods: 15, datapoints: 15, percentOfTimeout: 80 },
    /** Concurrency above 80 % of the reserved concurrency for 10 minutes: throttling is next. */
    concurrency: { periodSeconds: 60, periods: 10, datapoints: 10, percentOfReserved: 80 },
    /**
     * The account's unreserved pool (the quota minus every reservation) above 80 % for 10 minutes:
     * the functions without a reservation (maintenance, and other applications of the account) are
     * about to be throttled. Lambda keeps at least 100 unreserved.
     */
    accountConcurrency: { periodSeconds: 60, periods: 10, datapoints: 10, percentOfUnreserved: 80, minUnreserved: 100 },
    /** The guide's memory rule (メモリサイズの調整, TUNING.raiseMemoryAbovePercent), per invocation peak over 5 minutes. */
    memory: { periodSeconds: 300, periods: 1, datapoints: 1 },
  },
  /**
   * No alarm on executions that fail or time out without a recorded outcome: their processes stay
   * active until the sweeper ends them, which processes-swept reports (with each processId) and the
   * rates count; the dashboard's Step Functions graphs show the executions.
   */
  stepFunctions: {
    throttled: { periodSeconds: 60, periods: 5, datapoints: 3 },
    /** Aborts beyond the users' cancels (each cancel stops its execution) over an hour. */
    unexpectedAborts: { periodSeconds: 3600, periods: 1, datapoints: 1 },
  },
  api: {
    /** Server errors as a share of requests; the same 5 % the guide tolerates for processes. */
    serverErrors: { periodSeconds: 300, periods: 1, datapoints: 1 },
    /**
     * Requests refused for their token (401/403 in the access log), per 5 minutes: more than one
     * user sending at the per-user rate limit (AUTH.rateLimit, 20 a minute) for the whole window
     * with a bad token. A client whose token expired gets one 401 and signs in again.
     */
    authFailures: { periodSeconds: 300, periods: 1, datapoints: 1, perMinuteOfOneClient: 20 },
  },
  edge: {
    /** CloudFront 5xx share of requests (its 5xxErrorRate), the guide's 5 %, with the rate volume guard. */
    serverErrors: { periodSeconds: 300, periods: 1, datapoints: 1 },
    /**
     * Requests WAF blocked in 5 minutes: one client past the rate limit at twice its speed for the
     * whole window collects about 100 blocks (20 a minute × 5); more than twice that is more than
     * one misbehaving client: an attack or a broken fleet of clients.
     */
    wafBlocked: { periodSeconds: 300, periods: 1, datapoints: 1, blockedPerWindow: 200 },
  },
  alerting: {
    /** Any notification SNS could not deliver from an alert topic, per 5 minutes. */
    deliveryFailed: { periodSeconds: 300, periods: 1, datapoints: 1 },
  },
  aurora: {
    cpu: { periodSeconds: 300, periods: 3, datapoints: 3, thresholdPercent: 80 },
    /** Serverless v2 near its maximum ACU for a sustained while: raise the maximum capacity. */
    acu: { periodSeconds: 300, periods: 3, datapoints: 3, thresholdPercent: 90 },
    /** 80 % of max_connections: the guide's answer is RDS Proxy (データベースの最適化 3). */
    connections: { periodSeconds: 300, periods: 3, datapoints: 3, percentOfMax: 80 },
    /** Under 256 MiB freeable memory the engine starts to swap. */
    freeableMemory: { periodSeconds: 300, periods: 3, datapoints: 3, minBytes: 256 * 1024 * 1024 },
    /**
     * AWS recommended alarm: transaction ids used since the oldest unfrozen one above 1 billion,
     * half way to PostgreSQL's wraparound (2^31), when autovacuum must catch up before writes stop.
     */
    transactionIds: { periodSeconds: 300, periods: 1, datapoints: 1, maxUsed: 1_000_000_000 },
    /**
     * AWS recommended alarm (DBLoad above the vCPU count): Performance Insights' load relative to
     * the writer's vCPUs above 1 for 15 minutes, i.e. sessions queue for CPU or wait on I/O and locks.
     * The relative metric follows Serverless v2's changing vCPUs.
     */
    dbLoad: { periodSeconds: 300, periods: 3, datapoints: 3, relativeToVcpus: 1 },
  },
  bedrock: {
    /** Throttles and server errors are retried by the workflow; persisting in most windows is capacity. */
    errors: { periodSeconds: 300, periods: 5, datapoints: 3 },
    /** p95 model latency over half a step's timeout: one slow answer from a TIMEOUT. */
    latency: { periodSeconds: 300, periods: 3, datapoints: 3, percentOfStepTimeout: 50 },
  },
  backup: {
    failed: { periodSeconds: 3600, periods: 1, datapoints: 1 },
    /**
     * No completed backup job in 27 hours: the guide's RPO (24 h) plus the backup's one-hour start
     * window and two hours for the job itself. A 24-hour window would flap every day the job ends
     * a few minutes later than the day before.
     */
    missing: { periodSeconds: 3600, periods: 27, datapoints: 27 },
  },
} as const;
