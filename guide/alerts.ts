/**
 * The guide's alerts (アラート一覧) with their response steps (対応手順), verbatim in Japanese
 * with an English rendering. Severity: the guide's 高 (high) is `critical` (PagerDuty),
 * 中 (medium) is `warning` (Slack and e-mail only).
 */

export type Severity = 'critical' | 'warning';

type Unit = 'Percent' | 'Milliseconds' | 'Count';

/** An alert as the guide lists it; its condition is written from its own numbers. */
interface AlertEntry extends Omit<GuideAlert, 'conditionJa'> {
  /** The measure, as the guide names it (エラー率). */
  readonly metricJa: string;
  /** Whether the guide writes the window after the threshold (`(5分間)`). */
  readonly statesWindow: boolean;
}

function alert<const A extends AlertEntry>(a: A): A & { readonly conditionJa: string } {
  const value = a.unit === 'Percent' ? `${a.threshold}%` : a.unit === 'Milliseconds' ? `${a.threshold / 60_000}分` : String(a.threshold);
  return { ...a, conditionJa: `${a.metricJa} > ${value}${a.statesWindow ? ` (${a.periodSeconds / 60}分間)` : ''}` };
}

export interface GuideAlert {
  readonly id: string;
  readonly titleJa: string;
  readonly title: string;
  /** The condition as the guide writes it. */
  readonly conditionJa: string;
  readonly threshold: number;
  readonly unit: Unit;
  readonly periodSeconds: number;
  readonly importanceJa: '高' | '中';
  readonly severity: Severity;
  readonly responseStepsJa: readonly string[];
  readonly responseSteps: readonly string[];
}

export const GUIDE_ALERTS = {
  errorRate: alert({
    id: 'error-rate',
    titleJa: 'エラー率アラート',
    title: 'Error rate',
    metricJa: 'エラー率',
    statesWindow: true,
    threshold: 5,
    unit: 'Percent',
    periodSeconds: 300,
    importanceJa: '高',
    severity: 'critical',
    responseStepsJa: [
      'CloudWatch Logsでエラーログを確認',
      'エラーの種類を特定：AI_ERROR: Bedrock APIの問題 / DATABASE_ERROR: データベース接続の問題 / TIMEOUT_ERROR: 処理時間超過',
      'エラー種別に応じた対応を実施（トラブルシューティングガイド参照）',
      '対応後、エラー率が正常値に戻ることを確認',
    ],
    responseSteps: [
      'Check the error logs in CloudWatch Logs (saved query AsyncProcessing/Errors).',
      'Identify the kind of error: AI_ERROR = Bedrock API problem; DATABASE_ERROR = database connection problem; TIMEOUT_ERROR = processing took too long.',
      'Act on the kind of error (see the troubleshooting guide).',
      'After acting, confirm the error rate returns to normal.',
    ],
  }),
  timeoutRate: alert({
    id: 'timeout-rate',
    titleJa: 'タイムアウト率アラート',
    title: 'Timeout rate',
    metricJa: 'タイムアウト率',
    statesWindow: true,
    threshold: 10,
    unit: 'Percent',
    periodSeconds: 300,
    importanceJa: '高',
    severity: 'critical',
    responseStepsJa: [
      'Step Functionsの実行履歴を確認',
      'タイムアウトした処理の詳細を確認',
      '以下を確認：Bedrock APIのレスポンス時間 / データベースクエリの実行時間 / Lambda関数のメモリ使用量',
      '必要に応じて以下を実施：Lambda関数のメモリサイズを増加 / タイムアウト時間を調整 / データベースクエリを最適化',
    ],
    responseSteps: [
      'Check the execution history of AIGenerationStateMachine in Step Functions.',
      'Look at the details of the timed-out executions.',
      'Check: Bedrock API response time; database query time; Lambda memory usage.',
      'If needed: increase the Lambda memory size; adjust the timeouts; optimise the database queries.',
    ],
  }),
  processingTime: alert({
    id: 'processing-time',
    titleJa: '処理時間アラート',
    title: 'Average processing time',
    metricJa: '平均処理時間',
    statesWindow: true,
    threshold: 300_000,
    unit: 'Milliseconds',
    periodSeconds: 300,
    importanceJa: '中',
    severity: 'warning',
    responseStepsJa: [
      'CloudWatch Metricsで処理時間の推移を確認',
      '処理タイプ別の処理時間を分析',
      '以下を確認：Bedrock APIのレスポンス時間 / データベース接続プールの状態 / Lambda関数のコールドスタート',
      'パフォーマンス最適化を検討',
    ],
    responseSteps: [
      'Check the trend of ProcessingDuration in CloudWatch Metrics.',
      'Analyse the duration per process type (saved query AsyncProcessing/DurationByType).',
      'Check: Bedrock API response time; the database connection pool; Lambda cold starts.',
      'Consider performance optimisation.',
    ],
  }),
  queueDepth: alert({
    id: 'queue-depth',
    titleJa: '待機中処理数アラート',
    title: 'Waiting processes',
    metricJa: '待機中の処理数',
    statesWindow: false,
    threshold: 100,
    unit: 'Count',
    periodSeconds: 60,
    importanceJa: '中',
    severity: 'warning',
    responseStepsJa: [
      'データベースで待機中の処理を確認',
      'Lambda同時実行数の制限を確認',
      '必要に応じて以下を実施：Lambda同時実行数を増加 / 処理の優先度付けを検討 / ユーザーに処理遅延を通知',
    ],
    responseSteps: [
      'Check the waiting processes in the database (status PENDING/PROCESSING).',
      'Check the Lambda concurrency limits.',
      'If needed: raise the Lambda concurrency; consider prioritising processes; tell users about the delay.',
    ],
  }),
} satisfies Record<string, GuideAlert>;
