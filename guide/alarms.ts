/**
 * Alarm policy: the outcome rates the guide names (ErrorRate, timeout rate) defined once, and the
 * numbers of every alarm the guide does not fix itself (SLO, pipeline health and AWS service
 * alarms). The guide's own thresholds stay in `METRICS`, `GUIDE_ALERTS` and `SLO`; what is here
 * is our choice, and each says why.
 *
 * This file imports nothing at run time from './index' (which re-exports it), so loading either
 * first works.
 */
import type { MetricKey } from './index';

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

export const ALARM_POLICY = {
  slo: {
    /** A p95 judged on 5-minute windows; three in a row so one slow burst (cold starts) does not alert. */
    apiLatency: { periodSeconds: 300, periods: 3, datapoints: 3 },
    /** The SLO rates (error < 1 %, timeout < 5 %) are judged per hour: they are targets, not outages. */
    outcomeRate: { periodSeconds: 3600, periods: 1, datapoints: 1 },
    /** Average completion per type against the upper bound of its SLO range, per hour. */
    completionByType: { periodSeconds: 3600, periods: 1, datapoints: 1 },
  },
  pipeline: {
    /**
     * Accepted but never finished: started minus every outcome, as a share of started, per hour.
     * In steady traffic the difference is only the change in processes in flight; three hours in a
     * row above 10 % means processes are being lost, not merely still running. Below 10 starts an
     * hour the share says nothing, so it counts as 0.
     */
    neverFinished: { evaluation: { periodSeconds: 3600, periods: 3, datapoints: 3 }, thresholdPercent: 10, minStarted: 10 },
    /** The queue monitor publishes QueueDepth every minute: five silent minutes means it stopped. */
    queueMonitorSilence: { periodSeconds: 300, periods: 1, datapoints: 1 },
    /** Older than workflow timeout + sweeper grace for a few minutes in a row: the automatic timeouts failed. */
    oldestActive: { periodSeconds: 60, periods: 5, datapoints: 5 },
  },
  lambda: {
    /** AWS recommended alarm: errors in most minutes of a short window (a single retried blip stays quiet). */
    errors: { periodSeconds: 60, periods: 5, datapoints: 3 },
    throttles: { periodSeconds: 60, periods: 5, datapoints: 3 },
    /** p99 duration near the function's timeout for a quarter of an hour: timeouts are next. */
    duration: { periodSeconds: 60, periods: 15, datapoints: 15, percentOfTimeout: 80 },
    /** Concurrency above 80 % of the reserved concurrency for 10 minutes: throttling is next. */
    concurrency: { periodSeconds: 60, periods: 10, datapoints: 10, percentOfReserved: 80 },
  },
  stepFunctions: {
    /**
     * Every FAILED/TIMEOUT process also fails its execution, and those page through the guide's
     * rates. What is left is a failed execution whose outcome was never recorded; two 15-minute
     * windows in a row, so the minute between the worker's metric and the execution's end does not
     * alert on its own.
     */
    unrecordedFailures: { periodSeconds: 900, periods: 2, datapoints: 2 },
    timedOut: { periodSeconds: 300, periods: 1, datapoints: 1 },
    throttled: { periodSeconds: 60, periods: 5, datapoints: 3 },
    /** Aborts beyond the users' cancels (each cancel stops its execution) over an hour. */
    unexpectedAborts: { periodSeconds: 3600, periods: 1, datapoints: 1 },
  },
  api: {
    /** Server errors as a share of requests; the same 5 % the guide tolerates for processes. */
    serverErrors: { periodSeconds: 300, periods: 1, datapoints: 1, minRequests: 20 },
  },
  aurora: {
    cpu: { periodSeconds: 300, periods: 3, datapoints: 3, thresholdPercent: 80 },
    /** Serverless v2 near its maximum ACU for a sustained while: raise the maximum capacity. */
    acu: { periodSeconds: 300, periods: 3, datapoints: 3, thresholdPercent: 90 },
    /** 80 % of max_connections: the guide's answer is RDS Proxy (データベースの最適化 3). */
    connections: { periodSeconds: 300, periods: 3, datapoints: 3, percentOfMax: 80 },
    /** Under 256 MiB freeable memory the engine starts to swap. */
    freeableMemory: { periodSeconds: 300, periods: 3, datapoints: 3, minBytes: 256 * 1024 * 1024 },
  },
  bedrock: {
    /** Throttles and server errors are retried by the workflow; persisting in most windows is capacity. */
    errors: { periodSeconds: 300, periods: 5, datapoints: 3 },
    /** p95 model latency over half a step's timeout: one slow answer from a TIMEOUT. */
    latency: { periodSeconds: 300, periods: 3, datapoints: 3, percentOfStepTimeout: 50 },
  },
  backup: {
    failed: { periodSeconds: 3600, periods: 1, datapoints: 1 },
    /** No completed backup job in a day: the guide's RPO (24 h) is at risk. */
    missing: { periodSeconds: 86_400, periods: 1, datapoints: 1 },
  },
} as const;
