/**
 * The guide's procedures and checklists (日常運用, セキュリティ監査, インシデント対応, チェックリスト),
 * verbatim in Japanese with an English rendering, written once: the runbook (observability/
 * runbook.ts) renders them and its tests read them from here. The times of the daily checks are
 * `CHECKS`, the RTO/RPO are `BACKUP` (guide/index.ts).
 */

/** One item of a checklist: the guide's words and ours. */
export interface CheckItem {
  readonly ja: string;
  readonly en: string;
}

const item = (ja: string, en: string): CheckItem => ({ ja, en });

/** 日次チェック / 週次チェック / 月次チェック (日常運用), in the guide's order. */
export const OPERATOR_CHECKS = {
  dailyMorning: [
    item('CloudWatchダッシュボードで前日の処理状況を確認', 'Check yesterday’s processing on the CloudWatch dashboard'),
    item('エラーログを確認し、異常がないか確認', 'Read the error logs and confirm nothing is abnormal'),
    item('待機中の処理数を確認', 'Check the number of waiting processes'),
    item('Step Functionsの実行状態を確認', 'Check the Step Functions executions'),
  ],
  dailyEvening: [
    item('当日の処理状況を確認', 'Check today’s processing'),
    item('エラー率、タイムアウト率を確認', 'Check the error rate and the timeout rate'),
    item('翌日の予定処理数を確認', 'Check how many processes tomorrow is expected to bring'),
  ],
  weekly: [
    item('前週の処理統計を確認', 'Review last week’s processing statistics'),
    item('エラー傾向を分析', 'Analyse the error trend'),
    item('パフォーマンス指標を確認', 'Check the performance indicators'),
    item('容量計画を見直し', 'Review the capacity plan'),
  ],
  monthly: [
    item('前月の処理統計レポートを作成', 'Write last month’s processing statistics report'),
    item('コスト分析を実施', 'Analyse the cost'),
    item('パフォーマンス改善計画を策定', 'Draw up the performance improvement plan'),
    item('セキュリティ監査を実施', 'Carry out the security audit'),
  ],
} as const satisfies Record<string, readonly CheckItem[]>;

/** セキュリティ監査: 日次 / 週次 / 月次. */
export const SECURITY_AUDIT = {
  daily: [
    item('認証失敗ログを確認', 'Check the authentication failures'),
    item('不正アクセス試行を確認', 'Check the attempts at unauthorised access'),
    item('レート制限超過を確認', 'Check the rate-limit hits'),
  ],
  weekly: [
    item('IAMロールの権限を確認', 'Check the IAM roles’ permissions'),
    item('セキュリティグループの設定を確認', 'Check the security groups'),
    item('機密情報の漏洩がないか確認', 'Check that no confidential information has leaked'),
  ],
  monthly: [
    item('脆弱性スキャンを実施', 'Run a vulnerability scan'),
    item('セキュリティパッチの適用状況を確認', 'Check which security patches are applied'),
    item('アクセスログの監査', 'Audit the access logs'),
  ],
} as const satisfies Record<string, readonly CheckItem[]>;

export interface IncidentPhase {
  /** Minutes from detection; `toMinutes` undefined: until done. */
  readonly fromMinutes: number;
  readonly toMinutes: number | undefined;
  readonly titleJa: string;
  readonly title: string;
  readonly tasks: readonly CheckItem[];
}

/** セキュリティインシデント発生時: the four phases and their time bounds. */
export const SECURITY_INCIDENT_PHASES = [
  {
    fromMinutes: 0,
    toMinutes: 15,
    titleJa: '検知・報告',
    title: 'Detect and report',
    tasks: [
      item('インシデントを検知', 'Detect the incident'),
      item('セキュリティチームに報告', 'Report it to the security team'),
      item('影響範囲を特定', 'Determine what is affected'),
    ],
  },
  {
    fromMinutes: 15,
    toMinutes: 60,
    titleJa: '初期対応',
    title: 'First response',
    tasks: [
      item('該当システムの隔離', 'Isolate the affected system'),
      item('不正アクセスの遮断', 'Cut off the unauthorised access'),
      item('ログの保全', 'Preserve the logs'),
    ],
  },
  {
    fromMinutes: 60,
    toMinutes: 240,
    titleJa: '調査・分析',
    title: 'Investigate and analyse',
    tasks: [item('ログ分析', 'Analyse the logs'), item('原因究明', 'Find the cause'), item('被害状況の確認', 'Establish the damage')],
  },
  {
    fromMinutes: 240,
    toMinutes: undefined,
    titleJa: '復旧・改善',
    title: 'Recover and improve',
    tasks: [
      item('システム復旧', 'Restore the system'),
      item('セキュリティ対策の強化', 'Strengthen the security measures'),
      item('再発防止策の実施', 'Put measures against recurrence in place'),
    ],
  },
] as const satisfies readonly IncidentPhase[];

/**
 * 連絡先 (security incidents): the guide's placeholders. Each stack sets its own in stack config
 * (`security.email`, `security.phone`, `security.slackChannel`); these are the defaults.
 */
export const SECURITY_CONTACTS = {
  email: 'security@example.com',
  phone: '+81-XX-XXXX-XXXX',
  slackChannel: '#security-incidents',
} as const;

/** チェックリスト: 新規デプロイ時 / 障害発生時. */
export const CHECKLISTS = {
  deploy: [
    item('Lambda関数のデプロイ確認', 'Confirm the Lambda functions deployed'),
    item('Step Functionsの動作確認', 'Confirm Step Functions works'),
    item('データベースマイグレーション実行', 'Run the database migrations'),
    item('CloudWatchアラームの設定確認', 'Confirm the CloudWatch alarms'),
    item('統合テストの実行', 'Run the integration tests'),
    item('ロールバック手順の確認', 'Confirm the rollback procedure'),
  ],
  outage: [
    item('影響範囲の特定', 'Determine what is affected'),
    item('ユーザーへの通知', 'Notify the users'),
    item('原因の調査', 'Investigate the cause'),
    item('応急処置の実施', 'Apply a stopgap'),
    item('恒久対策の検討', 'Work out the permanent fix'),
    item('事後報告書の作成', 'Write the post-incident report'),
  ],
} as const satisfies Record<string, readonly CheckItem[]>;
