/**
 * The cost model's own design numbers: what neither the program, the guide nor a measurement can
 * say. Each says why. Everything else the model reads from the program (program.ts), the guide
 * (guide/), the measured profile (profile.ts) or the prices (prices.ts).
 */
import { DESIGN, SLO, type ProcessType } from '../guide';

/** AWS bills a month as 730 hours. */
export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

export const ASSUMPTIONS = {
  /**
   * Busiest hour ÷ average hour. The users live in one time zone (JST): a day's traffic falls into
   * about eight waking hours, so the busiest hour carries about three times the daily average.
   * Concurrency, throttling and database capacity must hold at the peak; the bill follows the average.
   */
  peakToAverage: 3,
  /**
   * Share of processes with one Generate attempt retried (throttling or an unavailable model):
   * the guide's error-rate SLO (< 1 %), charged in full (one more invocation, model call and transition).
   */
  retriedShare: SLO.errorRatePercent / 100,
  /**
   * vCPU per Aurora capacity unit: an ACU is about 2 GiB of memory "with corresponding CPU"; a
   * db.r6g.large (2 vCPU, 16 GiB) corresponds to 8 ACUs, i.e. 0.25 vCPU per ACU. An estimate: AWS
   * does not publish the CPU of an ACU.
   */
  vcpuPerAcu: 0.25,
  /** Aurora scales up before it is saturated; capacity is planned at 70 % busy. */
  databaseTargetUtilisation: 0.7,
  /** Bytes CloudWatch Logs meters per log event on top of its message (the PutLogEvents batch accounting). */
  logEventOverheadBytes: 26,
  /**
   * Bytes of one Step Functions history event as the state machine logs it (level ALL with
   * execution data): the event envelope (~350 bytes: type, ids, timestamps, ARNs) plus the state's
   * input or output (the process fields and the step state, ~250 bytes). Not measurable locally
   * (the local engine keeps no history): an estimate.
   */
  stepFunctionsLogEventBytes: 600,
  /** The log archive (Firehose → S3, gzip): JSON logs compress about tenfold. */
  archiveCompression: 0.1,
  /** AWS X-Ray's default sampling: the first request each second, then 5 % of the rest. */
  xray: { reservoirPerSecond: 1, rate: 0.05 },
} as const;

/** Average completion time of a type, seconds: the middle of the guide's range (SLO.completionMinutes). */
export function completionSeconds(type: ProcessType): number {
  const [lo, hi] = SLO.completionMinutes[type];
  return ((lo + hi) / 2) * 60;
}

/** The model's latency per slice: the guide's completion time spread over the slices (the local model answers at once). */
export const sliceLatencySeconds = (type: ProcessType, slices: number = DESIGN.workflow.generationSteps): number =>
  completionSeconds(type) / slices;

/** Status checks per process: a client honouring `Retry-After` polls until the end, then reads the result once. */
export const statusPollsPerProcess = (type: ProcessType): number => Math.ceil(completionSeconds(type) / DESIGN.statusRetryAfterSeconds) + 1;

/**
 * Lambda's own lines per invocation (START, END, REPORT with X-Ray ids), built from their formats
 * with typical values: what each invocation adds to its log group besides the function's output.
 */
export function platformLogLines(traced: boolean): string[] {
  const id = '6f1f9a4e-3c2b-4f0e-9a55-1b2c3d4e5f60';
  return [
    `START RequestId: ${id} Version: $LATEST`,
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}\tDuration: 123.45 ms\tBilled Duration: 124 ms\tMemory Size: 1024 MB\tMax Memory Used: 112 MB\tInit Duration: 345.67 ms` +
      (traced ? '\t\nXRAY TraceId: 1-6756a1b2-0123456789abcdef01234567\tSegmentId: 0123456789abcdef\tSampled: true' : ''),
  ];
}

/** An API Gateway access log line in the stage's format, with typical values for each `$context` variable. */
export function accessLogLine(format: string): string {
  const values: Record<string, string> = {
    requestId: 'Xk3fJhLZtjMEbXg=',
    requestTime: '07/Dec/2026:09:00:00 +0000',
    'identity.sourceIp': '203.0.113.10',
    'identity.userAgent':
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    routeKey: 'GET /v1/processes/{processId}',
    status: '200',
    responseLength: '412',
    responseLatency: '38',
    integrationLatency: '35',
    integrationErrorMessage: '-',
    'authorizer.claims.sub': '3f0c2a8e-8d1b-4c55-9e61-7a2b9c0d1e2f',
    'authorizer.error': '-',
  };
  return format.replace(/\$context\.([\w.]+)/g, (_, k: string) => values[k] ?? '-');
}
