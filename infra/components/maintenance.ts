/**
 * Maintenance (定期メンテナンス): EventBridge Scheduler, in the guide's own timezone, runs the
 * weekly cleanup and index maintenance (2nd–5th Sunday 02:00), the monthly window (first Sunday
 * 02:00, the weekly work included), the monthly patch run (first Sunday 03:30, after the backup)
 * and the queue monitor every minute. Times are JST wall-clock: no UTC arithmetic to get wrong.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DESIGN, INFRA, MAINTENANCE, MAINTENANCE_EVENTS, RETENTION } from '../../guide';
import type { AccountScope } from '../specs/arns';
import { schedulerRolePolicy } from '../specs/policy-documents';
import { buildPatchDefinition, PATCH_STATE_MACHINE_NAME, patchPolicy, startPatchPolicy } from '../specs/patching';
import { everyMinutes, patchSlotJst, weeklyCron, windowMinutes } from '../specs/schedules';
import { tokyoSchedule } from './schedule';
import { serviceRole, type StackArgs } from './service-role';

export const MAINTENANCE_TYPE = 'async-ai-pipeline:infra:Maintenance';

export interface MaintenanceArgs extends StackArgs {
  readonly scope: pulumi.Input<AccountScope>;
  readonly cleanupFunctionArn: pulumi.Input<string>;
  readonly queueMonitorFunctionArn: pulumi.Input<string>;
  /** The database whose pending security maintenance the monthly run applies. */
  readonly clusterIdentifier: pulumi.Input<string>;
}

export const PATCH_LOG_GROUP = `/aws/vendedlogs/states/${PATCH_STATE_MACHINE_NAME}`;

export interface ScheduleSpec {
  readonly name: string;
  readonly description: string;
  readonly expression: string;
  readonly target: 'cleanup' | 'queueMonitor' | 'patch';
  readonly input: object;
  /** A run that could not start by then is dropped: it would fall outside its window. */
  readonly maxEventAgeSeconds: number;
  readonly retries: number;
}

/**
 * The weekly run's Sundays: all but the first, whose monthly run does the weekly work too (one
 * run at 02:00 on the first Sunday). A cron day-of-week takes one `#n` only, hence a schedule each.
 */
export const WEEKLY_SUNDAYS = [2, 3, 4, 5] as const;

/** The schedules, as data (tested without Pulumi). */
export function scheduleSpecs(): ScheduleSpec[] {
  const { weekly, monthly } = MAINTENANCE;
  const everyMinute = DESIGN.queueMonitorEveryMinutes;
  return [
    ...WEEKLY_SUNDAYS.map(
      (n): ScheduleSpec => ({
        name: `weekly-maintenance-${n}`,
        description: `週次メンテナンス（第${n}日曜日）: ${weekly.tasks.join(' / ')}`,
        expression: weeklyCron(weekly.startJst, `${weekly.day}#${n}`),
        target: 'cleanup',
        input: MAINTENANCE_EVENTS.weekly,
        maxEventAgeSeconds: windowMinutes(weekly) * 60,
        retries: INFRA.scheduleRetryAttempts,
      }),
    ),
    {
      name: 'monthly-maintenance',
      description: `月次メンテナンス: ${monthly.tasks.join(' / ')}`,
      expression: weeklyCron(monthly.startJst, monthly.day),
      target: 'cleanup',
      input: MAINTENANCE_EVENTS.monthly,
      maxEventAgeSeconds: windowMinutes(monthly) * 60,
      retries: INFRA.scheduleRetryAttempts,
    },
    {
      // After that night's backup, in the slot where RDS's weekly window opens (infra/specs/patching.ts).
      name: 'monthly-patching',
      description: `月次メンテナンス: ${monthly.tasks[2]}（保留中のセキュリティ更新を即時適用）`,
      expression: weeklyCron(patchSlotJst(), monthly.day),
      target: 'patch',
      input: {},
      maxEventAgeSeconds: windowMinutes({ startJst: patchSlotJst(), endJst: monthly.endJst }) * 60,
      retries: INFRA.scheduleRetryAttempts,
    },
    {
      // The next run is a minute away: a late or failed one is not worth repeating.
      name: 'queue-monitor',
      description: 'QueueDepth / oldest active process metrics and the stale-process sweeper',
      expression: everyMinutes(everyMinute),
      target: 'queueMonitor',
      input: {},
      maxEventAgeSeconds: everyMinute * 60,
      retries: 0,
    },
  ];
}

export class Maintenance extends pulumi.ComponentResource {
  readonly scheduleGroupName: pulumi.Output<string>;
  readonly patchStateMachineArn: pulumi.Output<string>;
  readonly patchLogGroup: aws.cloudwatch.LogGroup;
  readonly patchLogGroupName = PATCH_LOG_GROUP;

  constructor(name: string, args: MaintenanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MAINTENANCE_TYPE, name, {}, opts);
    const group = new aws.scheduler.ScheduleGroup(`${name}-group`, { name: `async-ai-pipeline-${args.stage}` }, { parent: this });
    const { role, ready } = serviceRole(this, `${name}-scheduler-role`, {
      service: 'scheduler.amazonaws.com',
      accountId: args.accountId,
      description: 'EventBridge Scheduler: invoke the maintenance functions only',
      policy: pulumi
        .all([args.cleanupFunctionArn, args.queueMonitorFunctionArn])
        .apply((arns) => JSON.stringify(schedulerRolePolicy(arns))),
    });
    const { machine: patch, logs: patchLogs } = this.createPatching(name, args);
    this.patchLogGroup = patchLogs;
    const patchRole = serviceRole(this, `${name}-patch-scheduler-role`, {
      service: 'scheduler.amazonaws.com',
      accountId: args.accountId,
      description: 'EventBridge Scheduler: start the monthly patch run only',
      policy: patch.arn.apply((arn) => JSON.stringify(startPatchPolicy(arn))),
    });
    const targets = { cleanup: args.cleanupFunctionArn, queueMonitor: args.queueMonitorFunctionArn, patch: patch.arn };
    const roles = { cleanup: { role, ready }, queueMonitor: { role, ready }, patch: patchRole };
    for (const spec of scheduleSpecs()) {
      tokyoSchedule(
        `${name}-${spec.name}`,
        {
          spec,
          groupName: group.name,
          targetArn: targets[spec.target],
          roleArn: roles[spec.target].role.arn,
          retries: spec.retries,
          maxEventAgeSeconds: spec.maxEventAgeSeconds,
        },
        { parent: this, dependsOn: [roles[spec.target].ready] },
      );
    }
    this.scheduleGroupName = group.name;
    this.patchStateMachineArn = patch.arn;
    this.registerOutputs({ scheduleGroupName: this.scheduleGroupName, patchStateMachineArn: this.patchStateMachineArn });
  }

  private createPatching(name: string, args: MaintenanceArgs): { machine: aws.sfn.StateMachine; logs: aws.cloudwatch.LogGroup } {
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-patch-logs`,
      { name: PATCH_LOG_GROUP, retentionInDays: RETENTION.logsDays },
      { parent: this },
    );
    const { role, ready } = serviceRole(this, `${name}-patch-role`, {
      service: 'states.amazonaws.com',
      accountId: args.accountId,
      description: "Monthly patching: apply the database's pending security maintenance",
      policy: pulumi.all([args.scope, args.clusterIdentifier]).apply(([s, id]) => JSON.stringify(patchPolicy(s, id))),
    });
    const machine = new aws.sfn.StateMachine(
      `${name}-patch`,
      {
        name: PATCH_STATE_MACHINE_NAME,
        type: 'STANDARD',
        roleArn: role.arn,
        definition: pulumi.output(args.clusterIdentifier).apply((id) => JSON.stringify(buildPatchDefinition(id))),
        loggingConfiguration: { level: 'ALL', includeExecutionData: false, logDestination: pulumi.interpolate`${logs.arn}:*` },
        tracingConfiguration: { enabled: true },
      },
      { parent: this, dependsOn: [ready] },
    );
    return { machine, logs };
  }
}
