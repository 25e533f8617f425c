/**
 * Ops reports (日常運用: 日次 / 週次 / 月次チェック): EventBridge Scheduler runs OpsReport at the
 * guide's check times in Asia/Tokyo (daily 09:00 and 17:00, Mondays, the first of the month); it
 * writes each report as Markdown and JSON to a private bucket that keeps them the guide's 90 days,
 * and posts the summary to the warning topic (Slack through Chatbot, e-mail). The component also
 * writes `program/stack.json` (what OpsReport reads: ids AWS assigns, the declared roles and rules)
 * and the unused-access analyzer the monthly audit reads.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { blockPublicAccess } from './private-bucket';
import { CHECKS, INFRA, OPS_REPORT_IAM_ROLE, REPORTS, RETENTION, type DailyEdition, type ReportKind } from '../../guide';
import { STACK_KEY, type StackForReports } from '../../functions/src/reports/config';
import type { DeclaredRole, DeclaredRule } from '../../functions/src/reports/declared';
import { opsReportPublishPolicy, schedulerRolePolicy } from '../specs/policy-documents';
import { dailyCron, monthlyCron, weeklyCron } from '../specs/schedules';
import { tokyoSchedule } from './schedule';
import { serviceRole, type StackArgs } from './service-role';

export const OPS_REPORTS_TYPE = 'async-ai-pipeline:infra:OpsReports';

/** Named before it exists: OpsReport's environment (Functions) and its role name it. */
export const reportBucketName = (stage: string, accountId: string): string => `async-ai-pipeline-${stage}-ops-reports-${accountId}`;

/** A value whose fields may each be a Pulumi output, at any depth (what `pulumi.output` unwraps). */
type DeepInput<T> = T extends string | number | boolean
  ? pulumi.Input<T>
  : T extends readonly (infer E)[]
    ? pulumi.Input<readonly DeepInput<E>[]>
    : pulumi.Input<{ readonly [K in keyof T]: DeepInput<T[K]> }>;

export interface OpsReportsArgs extends StackArgs {
  /** The OpsReport function the schedules invoke. */
  readonly functionArn: pulumi.Input<string>;
  /** Its role: this component adds the policy for what it creates (bucket, analyzer) and the topic. */
  readonly roleName: pulumi.Input<string>;
  readonly topicArn: pulumi.Input<string>;
  /** The alert topics' key. */
  readonly topicKeyArn: pulumi.Input<string>;
  /** What OpsReport reads, as the stack deployed it. */
  readonly stack: DeepInput<Omit<StackForReports, 'topicArn' | 'analyzerArn' | 'declared'>>;
  /** The roles and security-group rules the program declares (Iam, Network), for the audit. */
  readonly declaredRoles: readonly pulumi.Input<DeclaredRole>[];
  readonly declaredRules: readonly pulumi.Input<DeclaredRule>[];
}

export interface ReportScheduleSpec {
  readonly name: string;
  readonly description: string;
  readonly expression: string;
  readonly input: { readonly report: ReportKind; readonly edition?: DailyEdition };
}

/** The four schedules, as data (tested without Pulumi). */
export function reportScheduleSpecs(): ReportScheduleSpec[] {
  const { dailyMorning: morning, dailyEvening: evening } = CHECKS;
  return [
    {
      name: 'report-daily-morning',
      description: '日次チェック（朝 9:00）: 前日の処理状況',
      expression: dailyCron(morning),
      input: { report: 'daily', edition: 'morning' },
    },
    {
      name: 'report-daily-evening',
      description: '日次チェック（夕方 17:00）: 当日の処理状況',
      expression: dailyCron(evening),
      input: { report: 'daily', edition: 'evening' },
    },
    {
      name: 'report-weekly',
      description: '週次チェック（月曜日）: 前週の統計',
      expression: weeklyCron(morning, REPORTS.weeklyDay),
      input: { report: 'weekly' },
    },
    {
      name: 'report-monthly',
      description: '月次チェック（月初）: 前月の統計・コスト・監査',
      expression: monthlyCron(morning, REPORTS.monthlyDayOfMonth),
      input: { report: 'monthly' },
    },
  ];
}

/** Reports are kept as long as the records they describe (データ保持ポリシー), the stack file for good. */
export const reportLifecycle = () => [
  {
    id: 'expire-reports',
    status: 'Enabled',
    filter: { prefix: `${REPORTS.keyPrefix}/` },
    expiration: { days: RETENTION.processingRecordsDays },
    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
  },
];

export class OpsReports extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly analyzerArn: pulumi.Output<string>;
  readonly scheduleGroupName: pulumi.Output<string>;

  constructor(name: string, args: OpsReportsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(OPS_REPORTS_TYPE, name, {}, opts);
    const bucket = this.createBucket(name, args);
    const analyzer = new aws.accessanalyzer.Analyzer(
      `${name}-unused-access`,
      {
        analyzerName: `async-ai-pipeline-${args.stage}-unused-access`,
        type: 'ACCOUNT_UNUSED_ACCESS',
        configuration: { unusedAccess: { unusedAccessAge: REPORTS.unusedAccessAgeDays } },
      },
      { parent: this },
    );
    const publish = this.grantPublishing(name, args, bucket, analyzer);
    this.writeStackFile(name, args, bucket, analyzer, publish);
    this.scheduleGroupName = this.createSchedules(name, args, [publish]);
    this.bucketName = bucket.bucket;
    this.analyzerArn = analyzer.arn;
    this.registerOutputs({ bucketName: this.bucketName, analyzerArn: this.analyzerArn, scheduleGroupName: this.scheduleGroupName });
  }

  private createBucket(name: string, args: OpsReportsArgs): aws.s3.Bucket {
    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      {
        bucket: pulumi.output(args.accountId).apply((id) => reportBucketName(args.stage, id)),
        forceDestroy: args.stage !== 'prod',
      },
      { parent: this },
    );
    blockPublicAccess(`${name}-private`, bucket, this);
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: reportLifecycle() }, { parent: this });
    return bucket;
  }

  /** OpsReport's second inline policy: what this component creates, and the topic. */
  private grantPublishing(
    name: string,
    args: OpsReportsArgs,
    bucket: aws.s3.Bucket,
    analyzer: aws.accessanalyzer.Analyzer,
  ): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(
      `${name}-publish-policy`,
      {
        role: args.roleName,
        name: `${OPS_REPORT_IAM_ROLE.name}-publish`,
        policy: pulumi
          .all([bucket.arn, analyzer.arn, args.topicArn, args.topicKeyArn])
          .apply(([bucketArn, analyzerArn, topicArn, keyArn]) =>
            JSON.stringify(opsReportPublishPolicy({ bucketArn, analyzerArn, topicArn, keyArn })),
          ),
      },
      { parent: this },
    );
  }

  private writeStackFile(
    name: string,
    args: OpsReportsArgs,
    bucket: aws.s3.Bucket,
    analyzer: aws.accessanalyzer.Analyzer,
    publish: aws.iam.RolePolicy,
  ): void {
    const publishDeclared = pulumi
      .all([publish.role, publish.name, publish.policy])
      .apply(([roleName, policyName, policy]): DeclaredRole => ({ roleName, policyName, policy }));
    const content = pulumi
      .all([
        pulumi.output(args.stack as pulumi.Input<object>),
        args.topicArn,
        analyzer.arn,
        pulumi.all([...args.declaredRoles, publishDeclared]),
        pulumi.all([...args.declaredRules]),
      ])
      .apply(
        ([stack, topicArn, analyzerArn, roles, securityGroupRules]) =>
          `${JSON.stringify(
            {
              ...stack,
              topicArn,
              analyzerArn,
              declared: { roles, securityGroupRules },
            } as unknown as StackForReports,
            null,
            2,
          )}\n`,
      );
    new aws.s3.BucketObjectv2(
      `${name}-stack-file`,
      { bucket: bucket.id, key: STACK_KEY, content, contentType: 'application/json' },
      { parent: this },
    );
  }

  private createSchedules(name: string, args: OpsReportsArgs, ready: pulumi.Resource[]): pulumi.Output<string> {
    const group = new aws.scheduler.ScheduleGroup(`${name}-group`, { name: `async-ai-pipeline-${args.stage}-reports` }, { parent: this });
    const role = serviceRole(this, `${name}-scheduler-role`, {
      service: 'scheduler.amazonaws.com',
      accountId: args.accountId,
      description: 'EventBridge Scheduler: invoke OpsReport only',
      policy: pulumi.output(args.functionArn).apply((arn) => JSON.stringify(schedulerRolePolicy([arn]))),
    });
    for (const spec of reportScheduleSpecs()) {
      tokyoSchedule(
        `${name}-${spec.name}`,
        {
          spec,
          groupName: group.name,
          targetArn: args.functionArn,
          roleArn: role.role.arn,
          retries: INFRA.scheduleRetryAttempts,
          maxEventAgeSeconds: REPORTS.scheduleMaxEventAgeSeconds,
        },
        { parent: this, dependsOn: [role.ready, ...ready] },
      );
    }
    return group.name;
  }
}
