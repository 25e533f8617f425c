/**
 * Workflow: AIGenerationStateMachine from the same ASL the local runtime runs
 * (`functions/src/workflow/definition.ts`), Standard type (90-day execution history, the guide's
 * Step Functions履歴), every event logged to its own log group, X-Ray tracing on.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { RETENTION, STATE_MACHINE_NAME } from '../../guide';
import { buildDefinition } from '../../functions/src/workflow/definition';

export const WORKFLOW_TYPE = 'async-ai-pipeline:infra:Workflow';

/** The `/aws/vendedlogs/` prefix lets one CloudWatch Logs resource policy (size-limited) cover service log delivery. */
export const STATE_MACHINE_LOG_GROUP = `/aws/vendedlogs/states/${STATE_MACHINE_NAME}`;

export interface WorkflowArgs {
  /** The worker the Task states invoke (its alias when provisioned concurrency is on). */
  readonly workerArn: pulumi.Input<string>;
  /**
   * The worker function: its ARN is built from its name (known at preview, so the policy pack can
   * check the definition), so nothing else makes the state machine wait for it.
   */
  readonly worker: pulumi.Resource;
  readonly roleArn: pulumi.Input<string>;
  /** The role's policy: Step Functions checks at creation that the role may deliver logs. */
  readonly rolePolicy: pulumi.Resource;
}

export class Workflow extends pulumi.ComponentResource {
  readonly stateMachineArn: pulumi.Output<string>;
  readonly stateMachineName = STATE_MACHINE_NAME;
  readonly logGroupName = STATE_MACHINE_LOG_GROUP;
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: WorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super(WORKFLOW_TYPE, name, {}, opts);
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: STATE_MACHINE_LOG_GROUP,
        retentionInDays: RETENTION.logsDays,
      },
      { parent: this },
    );
    const machine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        name: STATE_MACHINE_NAME,
        type: 'STANDARD',
        roleArn: args.roleArn,
        definition: pulumi.output(args.workerArn).apply((workerArn) => JSON.stringify(buildDefinition({ workerArn }))),
        // Every event, without its data: inputs and outputs hold the users' goals and generated plans,
        // which the 90-day execution history keeps (Step Functions履歴); logs and their archive need not.
        loggingConfiguration: { level: 'ALL', includeExecutionData: false, logDestination: pulumi.interpolate`${logs.arn}:*` },
        tracingConfiguration: { enabled: true },
      },
      { parent: this, dependsOn: [args.rolePolicy, args.worker] },
    );
    this.logGroup = logs;
    this.stateMachineArn = machine.arn;
    this.registerOutputs({ stateMachineArn: this.stateMachineArn });
  }
}
