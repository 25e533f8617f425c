/**
 * The single source of operational truth.
 *
 * Every number and name of the operations guide
 * (`shared/seed/async-processing-operations-guide.ja.md`) is written here once and imported by
 * the functions, the workflow definition, the Pulumi program, the policies, the dashboards, the
 * runbook and the tests. Numbers that are *our* design choices (not the guide's) live in
 * `DESIGN` below, each with the reason, so a reader can tell the two apart.
 */

export * from './alerts';
export * from './operations';
export * from './reports';

/** Process types (API contract / guide "処理タイプ"). */
export const PROCESS_TYPES = ['SUBGOAL_GENERATION', 'ACTION_GENERATION', 'TASK_GENERATION'] as const;
export type ProcessType = (typeof PROCESS_TYPES)[number];

export const PROCESS_STATUSES = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'] as const;
export type ProcessStatus = (typeof PROCESS_STATUSES)[number];
/** Waiting or running: what QueueDepth counts and what cancel accepts. */
export const ACTIVE_STATUSES = ['PENDING', 'PROCESSING'] as const satisfies readonly ProcessStatus[];
/** Final: `completed_at` is set, cleanup may delete them after the retention. */
export const TERMINAL_STATUSES = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'] as const satisfies readonly ProcessStatus[];
/** Statuses from which the retry API restarts a process. */
export const RETRYABLE_STATUSES = ['FAILED', 'TIMEOUT'] as const satisfies readonly ProcessStatus[];

/** Error codes a process can end with (set by the worker). */
export const PROCESS_ERROR_CODES = ['AI_ERROR', 'DATABASE_ERROR', 'TIMEOUT_ERROR', 'VALIDATION_ERROR'] as const;
export type ProcessErrorCode = (typeof PROCESS_ERROR_CODES)[number];

export type FunctionRole = 'api' | 'worker' | 'maintenance';

export interface FunctionSpec {
  /** Component name in the guide. */
  readonly component: string;
  /** Lambda function name; its log group is `/aws/lambda/<name>`. */
  readonly name: string;
  readonly role: FunctionRole;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Reserved concurrency: the guide's current / target / upper limit (キャパシティプランニング). */
  readonly reservedConcurrency?: { readonly current: number; readonly target: number; readonly max: number };
  /** Entry module under `functions/src/handlers`. */
  readonly entry: string;
}

/** Handler profile: the guide's AsyncProcessingHandler numbers, used for every API handler. */
const API_HANDLER = { role: 'api', memoryMb: 512, timeoutSeconds: 30 } as const;
const API_CONCURRENCY = { current: 50, target: 100, max: 500 } as const;

/** Lambda functions, with the guide's memory, timeout and concurrency (パフォーマンス管理). */
export const FUNCTIONS = {
  asyncProcessingHandler: {
    component: 'AsyncProcessingHandler',
    name: 'async-processing-handler',
    entry: 'async-processing-handler',
    ...API_HANDLER,
    reservedConcurrency: API_CONCURRENCY,
  },
  statusCheckHandler: {
    component: 'StatusCheckHandler',
    name: 'status-check-handler',
    entry: 'status-check-handler',
    ...API_HANDLER,
    reservedConcurrency: API_CONCURRENCY,
  },
  retryHandler: {
    component: 'RetryHandler',
    name: 'retry-handler',
    entry: 'retry-handler',
    ...API_HANDLER,
    reservedConcurrency: API_CONCURRENCY,
  },
  cancelHandler: {
    component: 'CancelHandler',
    name: 'cancel-handler',
    entry: 'cancel-handler',
    ...API_HANDLER,
    reservedConcurrency: API_CONCURRENCY,
  },
  aiGenerationWorker: {
    component: 'AIGenerationWorker',
    name: 'ai-generation-worker',
    entry: 'ai-generation-worker',
    role: 'worker',
    memoryMb: 1024,
    timeoutSeconds: 300,
    reservedConcurrency: { current: 10, target: 20, max: 100 },
  },
  processingCleanup: {
    component: 'ProcessingCleanup',
    name: 'processing-cleanup',
    entry: 'processing-cleanup',
    role: 'maintenance',
    memoryMb: 256,
    timeoutSeconds: 900,
  },
  queueMonitor: {
    component: 'QueueMonitor',
    name: 'queue-monitor',
    entry: 'queue-monitor',
    role: 'maintenance',
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  /** Applies `functions/migrations/*.sql` (shipped in its bundle); Pulumi invokes it on every deploy that changes them. */
  dbMigrate: {
    component: 'DbMigrate',
    name: 'db-migrate',
    entry: 'db-migrate',
    role: 'maintenance',
    memoryMb: 256,
    timeoutSeconds: 300,
  },
  /**
   * The monthly DR test's check (災害復旧手順のテスト): connects to the restored database and to the
   * source, compares schema and rows, publishes the restore time and the recovery point's age.
   * Lambda's longest timeout: the row comparison walks every record of the retention period.
   */
  drValidation: {
    component: 'DrValidation',
    name: 'dr-validation',
    entry: 'dr-validation',
    role: 'maintenance',
    memoryMb: 512,
    timeoutSeconds: 900,
  },
  /**
   * The operator's checks as reports (日常運用: 日次 / 週次 / 月次チェック, guide/reports.ts): reads
   * CloudWatch, Logs Insights, Step Functions, Cost Explorer and the audit's APIs, writes S3, posts
   * to the warning topic. Never the database. 5 minutes: Logs Insights over a month of logs.
   */
  opsReport: {
    component: 'OpsReport',
    name: 'ops-report',
    entry: 'ops-report',
    role: 'maintenance',
    memoryMb: 512,
    timeoutSeconds: 300,
  },
} as const satisfies Record<string, FunctionSpec>;
export type FunctionKey = keyof typeof FUNCTIONS;

export const logGroupName = (functionName: string): string => `/aws/lambda/${functionName}`;

/** Step Functions state machine (監視方法 → Step Functions). */
export const STATE_MACHINE_NAME = 'AIGenerationStateMachine';

/** Structured log format (ログフォーマット): the fields, in the guide's order. */
export const LOG_FIELDS = ['timestamp', 'level', 'processId', 'userId', 'type', 'status', 'progress', 'message', 'duration'] as const;
/** ログレベル: DEBUG only in the development environment. */
export const LOG_LEVELS = { prod: 'INFO', dev: 'DEBUG' } as const;

/** CloudWatch custom metrics (主要メトリクス). */
export const METRIC_NAMESPACE = 'AsyncProcessing';
/** Every custom metric carries these dimensions (Powertools' `service`); alarms select on them. */
export const METRIC_DIMENSIONS = { service: 'async-ai-pipeline' } as const;
/** Per-type metrics add this dimension (dashboard breakdowns). */
export const TYPE_DIMENSION = 'type';
export const METRICS = {
  started: { name: 'AsyncProcessingStarted', unit: 'Count', description: '非同期処理開始数' },
  completed: { name: 'AsyncProcessingCompleted', unit: 'Count', description: '完了数' },
  /** Not in the guide's table: lets started = completed + failed + timeout + cancelled balance. */
  cancelled: { name: 'AsyncProcessingCancelled', unit: 'Count', description: 'キャンセル数' },
  failed: { name: 'AsyncProcessingFailed', unit: 'Count', description: '失敗数', threshold: { value: 5, periodSeconds: 300 } },
  timeout: { name: 'AsyncProcessingTimeout', unit: 'Count', description: 'タイムアウト数', threshold: { value: 10, periodSeconds: 300 } },
  duration: {
    name: 'ProcessingDuration',
    unit: 'Milliseconds',
    description: '処理時間',
    threshold: { value: 300_000, periodSeconds: 300 },
  },
  queueDepth: { name: 'QueueDepth', unit: 'Count', description: '待機中の処理数', threshold: { value: 100, periodSeconds: 60 } },
  errorRate: { name: 'ErrorRate', unit: 'Percent', description: 'エラー率', threshold: { value: 5, periodSeconds: 300 } },
  /** Security checks (セキュリティ監査 日次): auth failures and rate-limit hits must be visible. */
  authFailures: { name: 'AuthFailures', unit: 'Count', description: '認証失敗' },
  rateLimited: { name: 'RateLimitExceeded', unit: 'Count', description: 'レート制限超過' },
  /** Age of the oldest waiting/running process: pipeline health. */
  oldestActiveAge: { name: 'OldestActiveProcessAge', unit: 'Seconds', description: '最古の待機中処理の経過時間' },
  /** Processes the queue monitor's sweeper ended TIMEOUT (the workflow did not end them itself). */
  swept: { name: 'ProcessesSwept', unit: 'Count', description: 'スイーパーがタイムアウトにした処理数' },
  /** A maintenance task (dimension `task`) finished successfully (定期メンテナンス). */
  maintenanceSucceeded: { name: 'MaintenanceSucceeded', unit: 'Count', description: '定期メンテナンス成功' },
  /** How far past its due time a maintenance task's last success is (dimension `task`), published every minute by the queue monitor. */
  maintenanceOverdue: { name: 'MaintenanceOverdue', unit: 'Seconds', description: '定期メンテナンスの期限超過' },
} as const;
export type MetricKey = keyof typeof METRICS;
/** The dimension of the maintenance metrics: the task of MAINTENANCE_EVENTS. */
export const TASK_DIMENSION = 'task';

/** Service-level objectives (パフォーマンス指標 → 目標値). */
export const SLO = {
  startApiP95Ms: 1000,
  statusApiP95Ms: 500,
  /** Average completion time per type, in minutes: [lower, upper]. */
  completionMinutes: {
    SUBGOAL_GENERATION: [3, 5],
    ACTION_GENERATION: [5, 10],
    TASK_GENERATION: [10, 15],
  } satisfies Record<ProcessType, readonly [number, number]>,
  errorRatePercent: 1,
  timeoutRatePercent: 5,
} as const;

/** Performance tuning (パフォーマンス最適化 → メモリサイズの調整): raise a function's memory when its use passes this share. */
export const TUNING = { raiseMemoryAbovePercent: 80 } as const;
/** Our design budget (issue 16): the most a function's bundle (index.js) may weigh, so a cold start parses little. */
export const BUNDLE_BUDGET_KB = 250;

/** Database connection pool (接続プールの設定). */
export const DB_POOL = { min: 2, max: 10 } as const;

/** Security (API認証). */
export const AUTH = {
  tokenValidityHours: 24,
  rateLimit: { requests: 20, windowSeconds: 60 },
} as const;

/** Data retention (データ保持ポリシー). */
export const RETENTION = {
  processingRecordsDays: 90,
  logsDays: 30,
  metricsMonths: 15,
  stepFunctionsHistoryDays: 90,
} as const;

/** Timezone every schedule of the guide is written in. */
export const TIMEZONE = 'Asia/Tokyo';

/** Backups and disaster recovery (バックアップ / 災害復旧). */
export const BACKUP = {
  frequency: 'daily',
  /** 03:00 JST. */
  startJst: { hour: 3, minute: 0 },
  retentionDays: 7,
  verification: 'monthly',
  rtoHours: 4,
  rpoHours: 24,
} as const;

/**
 * The monthly disaster-recovery test (災害復旧手順のテスト, 災害復旧 RTO/RPO): AWS Backup restores the
 * latest recovery point, DrValidation checks it against the source and publishes what it measured.
 * The thresholds are BACKUP.rtoHours and BACKUP.rpoHours; what is here is ours, each with why.
 */
export const DR = {
  metrics: {
    /** From the restore job's start to the restored database answering and passing validation: the RTO measured. */
    restoreTime: { name: 'DrRestoreTime', unit: 'Seconds', description: '復旧時間（リストア開始から検証完了まで）' },
    /** From the recovery point to the restore's start: the data a disaster at that moment would lose (RPO). */
    recoveryPointAge: { name: 'DrRecoveryPointAge', unit: 'Seconds', description: '復旧時点の経過時間' },
    /** 1 when the test failed (restore, schema, rows, RTO or RPO), 0 when it passed. */
    validationFailed: { name: 'DrValidationFailed', unit: 'Count', description: '災害復旧テスト失敗' },
  },
  /**
   * A row created this close before the recovery point may have been committed after it (its
   * created_at is the transaction's start); such rows are not required in the restore.
   */
  commitMarginSeconds: 60,
  /** Rows compared per round trip when checking that every source row before the recovery point was restored. */
  compareBatchSize: 5000,
  /**
   * The test starts after that night's backup has surely completed (03:00 JST + AWS Backup's 60-minute
   * start window + 30 minutes for the snapshot), so it restores the backup of the same night: a
   * missed backup then shows as a recovery point older than the RPO. Inside the monthly window.
   */
  startJst: { hour: 4, minute: 30 },
  /** Restore testing must start within this; the restore and its check then end near the window's 06:00. */
  startWindowHours: 1,
  /** How often the test looks whether the instance it added to the restored cluster is available. */
  pollSeconds: 60,
  /** The instance the test adds to the restored cluster (AWS Backup restores the cluster only). */
  instanceIdPrefix: 'dr-validation-',
  /** AWS Backup names restore-test resources with this prefix; the test's permissions are limited to them. */
  restoredClusterPrefix: 'awsbackup-restore-test-',
} as const;

/**
 * Maintenance windows (定期メンテナンス), JST.
 *
 * One run on the first Sunday: the weekly work is scheduled on the 2nd–5th Sundays only, because
 * the monthly run (first Sunday 02:00) does the weekly work too.
 *
 * Patching (セキュリティパッチの適用, monthly): RDS can only name a weekday for its maintenance
 * window, not "the first Sunday". So automatic minor version upgrades are off, and on the first
 * Sunday at 03:30 JST (after the backup) the monthly patch run applies the database's pending
 * security maintenance (system and OS updates) at once (infra/specs/patching.ts); engine versions
 * change with `database.engineVersion`, deployed in the same window. The gap that remains: RDS
 * still has a weekly window (Sunday 03:30–04:00 JST, inside the guide's Sunday hours) in which it
 * applies an update it marks required once its deadline passes before a first Sunday.
 */
export const MAINTENANCE = {
  weekly: {
    day: 'SUN',
    startJst: { hour: 2, minute: 0 },
    endJst: { hour: 4, minute: 0 },
    tasks: ['古い処理レコードのクリーンアップ（90日以上前）', 'データベースインデックスの最適化', 'ログの圧縮とアーカイブ'],
  },
  monthly: {
    /** First Sunday of the month. */
    day: 'SUN#1',
    startJst: { hour: 2, minute: 0 },
    endJst: { hour: 6, minute: 0 },
    tasks: ['データベースバックアップの検証', '災害復旧手順のテスト', 'セキュリティパッチの適用'],
  },
} as const;

/** Daily/weekly/monthly operator checks (日常運用), JST. */
export const CHECKS = {
  dailyMorning: { hour: 9, minute: 0 },
  dailyEvening: { hour: 17, minute: 0 },
  weekly: 'MON',
  monthly: 'first day of month',
} as const;

/** Budget (コスト管理). */
export const BUDGET = {
  monthlyUsd: 500,
  sharePercent: { lambda: 40, bedrock: 30, aurora: 20, other: 10 },
} as const;

/** Database capacity (データベース容量). */
export const DB_CAPACITY = { currentGb: 10, monthlyGrowthGb: 1, reviewEveryMonths: 6 } as const;

/** Notification targets (アラート通知先). The e-mail is the guide's example address: a placeholder. */
export const NOTIFICATIONS = {
  slackChannel: '#async-processing-alerts',
  email: 'ops-team@example.com',
  pagerDutySeverities: ['critical'],
} as const;

/** Escalation (エスカレーション): who is engaged after how many minutes, and how. */
export const ESCALATION = [
  { fromMinutes: 0, toMinutes: 30, responder: 'on-call', responderJa: 'オンコール担当者', channels: ['slack', 'pagerduty'] },
  { fromMinutes: 30, toMinutes: 60, responder: 'team-lead', responderJa: 'チームリーダー', channels: ['phone'] },
  { fromMinutes: 60, toMinutes: undefined, responder: 'manager', responderJa: 'マネージャー', channels: ['phone'] },
] as const;

/** IAM roles (IAMロール). */
export const IAM_ROLES = {
  lambda: { name: 'AsyncProcessingLambdaRole', grants: 'Lambda実行、Step Functions起動' },
  stepFunctions: { name: 'StepFunctionsRole', grants: 'Lambda呼び出し' },
  monitoring: { name: 'MonitoringRole', grants: 'CloudWatch読み取り' },
} as const;

/** Dashboard (ダッシュボード). */
export const DASHBOARD_NAME = 'AsyncProcessing-Dashboard';

/** The API contract's limits. */
export const API = {
  maxBodyBytes: 16 * 1024,
  retryCap: 3,
  basePath: '/v1',
} as const;

/** Saved Logs Insights queries: the guide's three (ログ検索クエリ例) verbatim, and the errors by code its runbook step needs. */
export const LOG_QUERIES = {
  errors: {
    name: 'AsyncProcessing/Errors',
    title: 'エラーログの検索 (latest 100 errors)',
    query: [
      'fields @timestamp, processId, userId, type, message',
      '| filter level = "ERROR"',
      '| sort @timestamp desc',
      '| limit 100',
    ].join('\n'),
  },
  processTrace: {
    name: 'AsyncProcessing/ProcessTrace',
    title: '特定処理の追跡 (trace one processId; replace the id)',
    query: [
      'fields @timestamp, status, progress, message',
      '| filter processId = "660e8400-e29b-41d4-a716-446655440000"',
      '| sort @timestamp asc',
    ].join('\n'),
  },
  durationByType: {
    name: 'AsyncProcessing/DurationByType',
    title: '処理時間の分析 (duration stats by type)',
    query: [
      'fields @timestamp, type, duration',
      '| filter level = "INFO" and message like /完了/',
      '| stats avg(duration), max(duration), min(duration) by type',
    ].join('\n'),
  },
  /**
   * Not in the guide: its error-rate response step 2 (エラーの種類を特定) asks which error codes
   * dominate (AI_ERROR, DATABASE_ERROR, TIMEOUT_ERROR, …); every failed or timed-out process is
   * logged at ERROR with its errorCode.
   */
  errorsByCode: {
    name: 'AsyncProcessing/ErrorsByCode',
    title: 'エラーの種類 (errors by errorCode and type)',
    query: [
      'fields @timestamp, errorCode, type, processId',
      '| filter level = "ERROR" and ispresent(errorCode)',
      '| stats count(*) as errors by errorCode, type',
      '| sort errors desc',
    ].join('\n'),
  },
} as const;

/** The guide's database queries (付録 → データベースクエリ), verbatim. */
export const OPS_SQL = {
  statusStats24h: `SELECT
  status,
  type,
  COUNT(*) as count,
  AVG(progress) as avg_progress
FROM processing_state
WHERE created_at >= NOW() - INTERVAL '24 hours'
GROUP BY status, type`,
  durations7d: `SELECT
  type,
  AVG(EXTRACT(EPOCH FROM (completed_at - created_at))) as avg_duration_seconds,
  MAX(EXTRACT(EPOCH FROM (completed_at - created_at))) as max_duration_seconds
FROM processing_state
WHERE status = 'COMPLETED'
  AND completed_at >= NOW() - INTERVAL '7 days'
GROUP BY type`,
} as const;

/**
 * Our design numbers: not in the guide, chosen to honour it. Each says why.
 */
export const DESIGN = {
  workflow: {
    /** A step is one worker invocation, so it is bounded by the worker's Lambda timeout. */
    stepTimeoutSeconds: FUNCTIONS.aiGenerationWorker.timeoutSeconds,
    /**
     * The whole execution: twice the slowest type's upper average completion time (TASK, 15 min),
     * so a slow-but-healthy run finishes and a stuck one ends TIMEOUT within half an hour.
     */
    workflowTimeoutSeconds: 2 * SLO.completionMinutes.TASK_GENERATION[1] * 60,
    /** Model calls per process: the result is generated in slices, one worker invocation each. */
    generationSteps: 4,
    /** Retry of Lambda service errors (AWS's recommended Retry for Lambda tasks). */
    lambdaRetry: { intervalSeconds: 1, maxAttempts: 3, backoffRate: 2 },
    /** Retry of model throttling / unavailability, with full jitter. */
    modelRetry: { intervalSeconds: 2, maxAttempts: 5, backoffRate: 2, maxDelaySeconds: 60 },
    /**
     * Share of a step's timeout kept back from its model call (15 s of 300 s). The call may use the
     * rest of the step, all the SDK's attempts together (a throttled attempt answers at once; a hung
     * one waits for what is left): a slice the step's timeout allows is allowed to finish. The margin
     * is for what follows the call within the step: storing the slice (or, when the call gives up,
     * answering StepTimedOut before Step Functions' own States.Timeout) and a cold start's init,
     * which Step Functions counts against the task and Lambda not against the function. A share, not
     * seconds, so a step shortened for tests or compressed by the local clock keeps it in proportion.
     */
    outcomeMarginShareOfStep: 0.05,
    /**
     * Retry of a database that cannot be reached (DatabaseError), with full jitter: long enough to
     * ride out an Aurora failover (about 30 s) or the local runtime restarting its PostgreSQL
     * (seconds), so an execution resumes instead of ending FAILED because of the outage. Waits of
     * at most 2, 4, 8, 16, then 30 s: 150 s in all at most, about half that on average.
     */
    databaseRetry: { intervalSeconds: 2, maxAttempts: 8, backoffRate: 2, maxDelaySeconds: 30 },
  },
  /**
   * The queue monitor brings every accepted process back to running (no accepted process waits
   * for the sweeper):
   * - a PENDING attempt with no recorded execution is started (again) under its deterministic
   *   execution name once it is older than `unstartedAfterSeconds`: the start API records the
   *   execution within its own request (p95 < 1 s), so by five times that the start was lost (a
   *   crash between the insert and StartExecution); starting again is harmless, Step Functions
   *   answers the same name and input with the same execution;
   * - an active attempt that has written nothing for one monitor period has its execution looked
   *   at (DescribeExecution): gone, it is started again under the same name; ended, the process is
   *   ended the way the execution ended instead of waiting for the sweeper;
   * - at most `batchSize` of each per run, oldest first, `concurrency` at a time, so one run
   *   stays well inside the function's 60 s and Step Functions' API rate quotas.
   */
  reconcile: { unstartedAfterSeconds: (5 * SLO.startApiP95Ms) / 1000, batchSize: 100, concurrency: 8 },
  /**
   * The local runtime restarts its embedded PostgreSQL when it dies: the first try soon (a crash
   * is usually a one-off and crash recovery takes a second), then doubling, capped so a server that
   * cannot start (disk full, a broken folder) is tried every 10 s without spinning.
   */
  localPostgresRestart: { firstDelayMs: 200, maxDelayMs: 10_000, factor: 2 },
  /**
   * A function's database sessions give up a lock wait (lock_timeout) at this share of the
   * function's own timeout: just after Lambda has ended the invocation that waits. Without it the
   * backend of a timed-out invocation keeps waiting on a held row (a forgotten session, a stuck
   * migration), and every retry of the client adds one: they pile up among Aurora's connections
   * until the lock is released. A wait the invocation could still use is never cut (share > 1).
   * The cleanup's own transactions set a far shorter one (`cleanup.lockTimeoutMs`).
   */
  lockWaitShareOfFunctionTimeout: 1.1,
  /** The sweeper ends an active process this long after the workflow timeout (clock skew, queueing). */
  sweeperGraceSeconds: 60,
  queueMonitorEveryMinutes: 1,
  /**
   * A batch of 4 000 rows holds its row locks ~23 ms on average (no batch over 100 ms) and deletes
   * ~170 k rows/s on 2 cores (`npm run bench -- --only cleanup`; 5 000 took ~30 ms a batch).
   */
  cleanup: { batchSize: 4000, lockTimeoutMs: 2000, statementTimeoutMs: 30_000 },
  /** `Retry-After` for a process still running (status response). */
  statusRetryAfterSeconds: 5,
  /** `Retry-After` on 503 SERVICE_UNAVAILABLE (Step Functions or the database unreachable). */
  unavailableRetryAfterSeconds: 5,
} as const;

export * from './alarms';

/** The events the maintenance schedules send to ProcessingCleanup (定期メンテナンス); its handler dispatches on `task`. */
export const MAINTENANCE_EVENTS = {
  /** Sunday 02:00 JST: cleanup of records past the retention, index maintenance. */
  weekly: { task: 'weekly-maintenance' },
  /** First Sunday 02:00 JST: the monthly window (backup verification runs in AWS Backup's restore testing). */
  monthly: { task: 'monthly-maintenance' },
} as const;

/**
 * Infrastructure design numbers (the Pulumi program): ours, not the guide's, each with why.
 * Windows and schedules themselves are derived from BACKUP and MAINTENANCE in `infra/specs/schedules.ts`.
 */
export const INFRA = {
  lambda: {
    runtime: 'nodejs22.x',
    /** Graviton: about 20 % cheaper per GB-second, and Lambda is 40 % of the budget; the bundles are pure JS. */
    architecture: 'arm64',
  },
  database: {
    engine: 'aurora-postgresql',
    name: 'aip',
    masterUsername: 'aip_admin',
    /**
     * The application role (functions/migrations/0002_app_role.sql): the functions that serve
     * traffic and the queue monitor sign in as it with IAM authentication; it reads and writes rows only.
     */
    appUsername: 'aip_app',
    port: 5432,
    /**
     * RDS backup and maintenance windows may not overlap and last at least 30 min (AWS). We use the
     * minimum, so the backup starts at 03:00 JST and patching follows it inside the weekly window.
     */
    windowMinutes: 30,
    /** `log_min_duration_statement`: half the status API's p95 budget; a statement that slow is worth a look. */
    slowStatementMs: SLO.statusApiP95Ms / 2,
  },
  waf: {
    /**
     * Per-IP backstop: ten users' worth of the per-user limit (an office behind one address). It also
     * counts requests without a token, which the per-token rule cannot see.
     */
    perIpRequests: AUTH.rateLimit.requests * 10,
  },
  backup: {
    /** AWS Backup's minimum start window: the job starts as close to 03:00 JST as AWS allows. */
    startWindowMinutes: 60,
    /** A backup must end before the next day's starts, or the RPO (24 h) is broken. */
    completionWindowMinutes: BACKUP.rpoHours * 60 - 60,
  },
  logArchive: {
    /**
     * Retention exception, with its reason: CloudWatch keeps logs the guide's 30 days; the archive
     * (the guide's own ログの圧縮とアーカイブ) keeps them as long as the processing records they
     * describe, 90 days, and no longer: they carry user and process ids. That covers the monthly
     * access-log audit (アクセスログの監査) of the previous month. No storage-class transition:
     * Glacier bills 90 days minimum, more than it would save on gzip files this short-lived.
     */
    expireAfterDays: RETENTION.processingRecordsDays,
  },
  budget: {
    /** Tell the team at 80 % of actual spend (time to act) and at 100 %, and when the forecast passes 100 %. */
    actualAlertPercents: [80, 100],
    forecastAlertPercent: 100,
  },
  /** A missed maintenance run is retried, but only inside its window (the schedules set the event age). */
  scheduleRetryAttempts: 2,
} as const;

/**
 * The worker's own role: not in the guide's IAM table. It narrows AsyncProcessingLambdaRole
 * so that only AIGenerationWorker may call Bedrock, and it may not start or stop executions.
 */
export const WORKER_IAM_ROLE = { name: 'AIGenerationWorkerRole', grants: 'Lambda実行、Bedrock呼び出し（設定したモデルのみ）' } as const;

/**
 * The role of the functions that sign in as the database's master user (not in the guide's IAM
 * table): DbMigrate changes the schema and ProcessingCleanup rebuilds indexes, which needs table
 * ownership. Only this role may read the master secret; the others connect as the application role.
 */
export const DB_ADMIN_IAM_ROLE = {
  name: 'AsyncProcessingDbAdminRole',
  grants: 'Lambda実行、DBマスター認証情報の読み取り（マイグレーション、インデックス保守）',
} as const;

/**
 * The DR test's check runs under its own role (not in the guide's IAM table): the database admin's
 * sign-in (the restore has the source's master password) plus reading AWS Backup's restore jobs.
 */
export const DR_VALIDATION_IAM_ROLE = {
  name: 'AsyncProcessingDrValidationRole',
  grants: 'Lambda実行、DBマスター認証情報の読み取り、復元ジョブの参照（災害復旧テスト）',
} as const;

/** OpsReport's role (not in the guide's table): reads what the reports need, writes its bucket, posts to the warning topic. No database. */
export const OPS_REPORT_IAM_ROLE = {
  name: 'AsyncProcessingOpsReportRole',
  grants: 'Lambda実行、運用レポートの集計（CloudWatch、Logs Insights、Cost Explorer、監査の参照）、レポートの保存と通知',
} as const;
