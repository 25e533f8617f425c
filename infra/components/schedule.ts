/**
 * One EventBridge Scheduler schedule on the guide's time zone (Asia/Tokyo), invoking its target
 * exactly at the time (no flexible window) with the given retry policy. Maintenance and OpsReports
 * schedule their functions through it.
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { TIMEZONE } from '../../guide';

export interface TokyoScheduleArgs {
  readonly spec: { readonly name: string; readonly description: string; readonly expression: string; readonly input: unknown };
  readonly groupName: pulumi.Input<string>;
  readonly targetArn: pulumi.Input<string>;
  readonly roleArn: pulumi.Input<string>;
  readonly retries: number;
  readonly maxEventAgeSeconds: number;
}

export function tokyoSchedule(resourceName: string, args: TokyoScheduleArgs, opts: pulumi.CustomResourceOptions): aws.scheduler.Schedule {
  return new aws.scheduler.Schedule(
    resourceName,
    {
      name: args.spec.name,
      groupName: args.groupName,
      description: args.spec.description,
      scheduleExpression: args.spec.expression,
      scheduleExpressionTimezone: TIMEZONE,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: args.targetArn,
        roleArn: args.roleArn,
        input: JSON.stringify(args.spec.input),
        retryPolicy: { maximumRetryAttempts: args.retries, maximumEventAgeInSeconds: args.maxEventAgeSeconds },
      },
    },
    opts,
  );
}
