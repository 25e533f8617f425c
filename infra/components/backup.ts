/**
 * Backup (データベースバックアップ / 災害復旧): an AWS Backup plan takes the cluster daily at 03:00 JST
 * and keeps it 7 days; a restore-testing plan restores the latest one in the monthly window (first
 * Sunday 02:00 JST), which is the guide's monthly backup verification.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BACKUP, DR, INFRA, MAINTENANCE, TIMEZONE } from '../../guide';
import { validationWindowHours } from '../specs/dr';
import { dailyCron, weeklyCron } from '../specs/schedules';
import { serviceRole, type StackArgs } from './service-role';

export const BACKUP_TYPE = 'async-ai-pipeline:infra:Backup';

export interface BackupArgs extends StackArgs {
  readonly clusterArn: pulumi.Input<string>;
  /** Where restore tests put the restored cluster: the database's subnets and security group. */
  readonly subnetGroupName: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
}

/** AWS managed policies for the AWS Backup service role (what AWS Backup needs to back up and restore). */
const BACKUP_MANAGED_POLICIES = ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores'];

export class Backup extends pulumi.ComponentResource {
  readonly vaultName: pulumi.Output<string>;
  readonly planId: pulumi.Output<string>;
  readonly vaultArn: pulumi.Output<string>;
  /** The monthly restore test: its restore-job events start the DR test's validation. */
  readonly restoreTestingPlanArn: pulumi.Output<string>;

  constructor(name: string, args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BACKUP_TYPE, name, {}, opts);
    const base = `async-ai-pipeline-${args.stage}`;
    const vault = new aws.backup.Vault(`${name}-vault`, { name: base, forceDestroy: args.stage !== 'prod' }, { parent: this });
    const { role } = serviceRole(this, `${name}-role`, {
      service: 'backup.amazonaws.com',
      accountId: args.accountId,
      description: 'AWS Backup: back up and restore-test the Aurora cluster',
    });
    const attachments = BACKUP_MANAGED_POLICIES.map(
      (p) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-role-${p}`,
          {
            role: role.name,
            policyArn: pulumi.interpolate`arn:aws:iam::aws:policy/service-role/${p}`,
          },
          { parent: this },
        ),
    );

    const plan = new aws.backup.Plan(
      `${name}-plan`,
      {
        name: `${base}-daily`,
        rules: [
          {
            ruleName: 'daily-0300-jst',
            targetVaultName: vault.name,
            schedule: dailyCron(BACKUP.startJst),
            scheduleExpressionTimezone: TIMEZONE,
            startWindow: INFRA.backup.startWindowMinutes,
            completionWindow: INFRA.backup.completionWindowMinutes,
            lifecycle: { deleteAfter: BACKUP.retentionDays },
          },
        ],
      },
      { parent: this },
    );
    new aws.backup.Selection(
      `${name}-selection`,
      {
        name: `${base}-aurora`,
        planId: plan.id,
        iamRoleArn: role.arn,
        resources: [args.clusterArn],
      },
      { parent: this, dependsOn: attachments },
    );
    this.restoreTestingPlanArn = this.createRestoreTesting(name, args, vault, role, attachments);

    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.planId = plan.id;
    this.registerOutputs({ vaultName: this.vaultName, planId: this.planId });
  }

  private createRestoreTesting(
    name: string,
    args: BackupArgs,
    vault: aws.backup.Vault,
    role: aws.iam.Role,
    attachments: aws.iam.RolePolicyAttachment[],
  ): pulumi.Output<string> {
    const monthly = MAINTENANCE.monthly;
    // Restore-testing names allow letters, digits and underscores only.
    const testingName = `async_ai_pipeline_${args.stage}_monthly`;
    const plan = new aws.backup.RestoreTestingPlan(
      `${name}-restore-testing`,
      {
        name: testingName,
        // After that night's backup (DR.startJst), inside the monthly window: it restores the freshest point.
        scheduleExpression: weeklyCron(DR.startJst, monthly.day),
        scheduleExpressionTimezone: TIMEZONE,
        startWindowHours: DR.startWindowHours,
        recoveryPointSelection: {
          algorithm: 'LATEST_WITHIN_WINDOW',
          includeVaults: [vault.arn],
          recoveryPointTypes: ['SNAPSHOT'],
          selectionWindowDays: BACKUP.retentionDays,
        },
      },
      { parent: this },
    );
    new aws.backup.RestoreTestingSelection(
      `${name}-restore-testing-aurora`,
      {
        name: 'aurora',
        restoreTestingPlanName: plan.name,
        protectedResourceType: 'Aurora',
        protectedResourceArns: [args.clusterArn],
        iamRoleArn: role.arn,
        // The DR test validates within the RTO; then AWS Backup deletes the restored cluster.
        validationWindowHours: validationWindowHours(),
        restoreMetadataOverrides: {
          dbsubnetgroupname: args.subnetGroupName,
          vpcsecuritygroupids: pulumi.output(args.securityGroupId).apply((sg) => JSON.stringify([sg])),
        },
      },
      { parent: this, dependsOn: attachments },
    );
    return plan.arn;
  }
}
