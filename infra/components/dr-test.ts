/**
 * DR test (災害復旧手順のテスト, RTO 4 h / RPO 24 h): when AWS Backup's monthly restore test has
 * restored the latest recovery point, EventBridge starts AsyncProcessingDrTest (infra/specs/dr.ts),
 * which makes the restore reachable, has DrValidation check it against the source and publish
 * the restore time and recovery point age, reports the verdict to AWS Backup and makes sure the
 * restored cluster is deleted.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { INFRA, RETENTION } from '../../guide';
import type { StackConfig } from '../config';
import type { AccountScope } from '../specs/arns';
import { buildDrDefinition, drEventsPolicy, drStateMachinePolicy, DR_STATE_MACHINE_NAME } from '../specs/dr';
import { serviceRole, type StackArgs } from './service-role';

export const DR_TEST_TYPE = 'async-ai-pipeline:infra:DrTest';
export const DR_LOG_GROUP = `/aws/vendedlogs/states/${DR_STATE_MACHINE_NAME}`;

export interface DrTestArgs extends StackArgs {
  readonly scope: pulumi.Input<AccountScope>;
  readonly database: Pick<StackConfig['database'], 'minCapacity' | 'maxCapacity'>;
  readonly validationFunctionArn: pulumi.Input<string>;
  /** The function itself: its ARN is built from its name, so nothing else makes the state machine wait for it. */
  readonly validationFunction: pulumi.Resource;
  /** The restore-testing plan whose restore jobs this test validates. */
  readonly restoreTestingPlanArn: pulumi.Input<string>;
}

/** The restore-job events of one restore-testing plan that start the test. */
export const restoreJobEventPattern = (planArn: string) => ({
  source: ['aws.backup'],
  'detail-type': ['Restore Job State Change'],
  detail: { status: ['COMPLETED', 'FAILED', 'ABORTED'], restoreTestingPlanArn: [planArn] },
});

export class DrTest extends pulumi.ComponentResource {
  readonly stateMachineArn: pulumi.Output<string>;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly logGroupName = DR_LOG_GROUP;

  constructor(name: string, args: DrTestArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DR_TEST_TYPE, name, {}, opts);
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: DR_LOG_GROUP, retentionInDays: RETENTION.logsDays },
      { parent: this },
    );
    const { role, ready } = serviceRole(this, `${name}-role`, {
      service: 'states.amazonaws.com',
      accountId: args.accountId,
      description: 'DR test: validate and remove the restored database',
      policy: pulumi.all([args.scope, args.validationFunctionArn]).apply(([s, fn]) => JSON.stringify(drStateMachinePolicy(s, fn))),
    });
    const machine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        name: DR_STATE_MACHINE_NAME,
        type: 'STANDARD',
        roleArn: role.arn,
        definition: pulumi.output(args.validationFunctionArn).apply((fn) =>
          JSON.stringify(
            buildDrDefinition({
              validationFunctionArn: fn,
              engine: INFRA.database.engine,
              scaling: { min: args.database.minCapacity, max: args.database.maxCapacity },
            }),
          ),
        ),
        // Events without their data: the inputs hold only ids; the verdict is in DrValidation's log.
        loggingConfiguration: { level: 'ALL', includeExecutionData: false, logDestination: pulumi.interpolate`${this.logGroup.arn}:*` },
        tracingConfiguration: { enabled: true },
      },
      { parent: this, dependsOn: [ready, args.validationFunction] },
    );
    this.createTrigger(name, args, machine);
    this.stateMachineArn = machine.arn;
    this.registerOutputs({ stateMachineArn: this.stateMachineArn });
  }

  private createTrigger(name: string, args: DrTestArgs, machine: aws.sfn.StateMachine): void {
    const rule = new aws.cloudwatch.EventRule(
      `${name}-restore-job`,
      {
        name: `async-ai-pipeline-${args.stage}-dr-test`,
        description: 'AWS Backup restore-testing job ended: validate the restore (monthly DR test)',
        eventPattern: pulumi.output(args.restoreTestingPlanArn).apply((arn) => JSON.stringify(restoreJobEventPattern(arn))),
      },
      { parent: this },
    );
    const events = serviceRole(this, `${name}-events-role`, {
      service: 'events.amazonaws.com',
      accountId: args.accountId,
      description: 'EventBridge: start the DR test only',
      policy: machine.arn.apply((arn) => JSON.stringify(drEventsPolicy(arn))),
    });
    new aws.cloudwatch.EventTarget(
      `${name}-start`,
      {
        rule: rule.name,
        arn: machine.arn,
        roleArn: events.role.arn,
        // A start that failed is retried for the validation window; the restore waits that long.
        retryPolicy: { maximumRetryAttempts: INFRA.scheduleRetryAttempts, maximumEventAgeInSeconds: 3600 },
      },
      { parent: this, dependsOn: [events.ready] },
    );
  }
}
