/**
 * Optional (alerting.incidentManager.enabled, off by default): AWS Systems Manager Incident Manager
 * as an incident record. Each incident composite also starts a response plan, which opens an
 * incident with a timeline; it engages nobody, so PagerDuty stays the one engine that escalates.
 * Incident Manager is closed to new customers since 7 November 2025: on an account that has never
 * used it, creating these resources fails.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { CRITICAL_IMPACT, responsePlanName } from '../../../observability/escalation-stages';

export const INCIDENT_MANAGER_TYPE = 'async-ai-pipeline:observability:IncidentManager';

export interface IncidentManagerArgs {
  readonly stack: string;
  readonly region: string;
  /** @default true; false when the account's replication set belongs to another stack. */
  readonly createReplicationSet?: boolean;
}

export class IncidentManager extends pulumi.ComponentResource {
  readonly responsePlanArn: pulumi.Output<string>;

  constructor(name: string, args: IncidentManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(INCIDENT_MANAGER_TYPE, name, {}, opts);
    // Incident Manager refuses response plans until the account has a replication set.
    const replication =
      (args.createReplicationSet ?? true)
        ? [new aws.ssmincidents.ReplicationSet(`${name}-replication`, { regions: [{ name: args.region }] }, { parent: this })]
        : [];
    const plan = new aws.ssmincidents.ResponsePlan(
      `${name}-response`,
      {
        name: responsePlanName(args.stack),
        displayName: `AsyncProcessing ${args.stack} critical incident`,
        incidentTemplate: {
          title: `AsyncProcessing ${args.stack}: critical incident`,
          impact: CRITICAL_IMPACT,
          summary:
            'An incident class of the asynchronous AI pipeline fired; PagerDuty pages and escalates. Follow the runbook section linked in the alarm description.',
        },
      },
      { parent: this, dependsOn: replication },
    );
    this.responsePlanArn = plan.arn;
    this.registerOutputs({ responsePlanArn: this.responsePlanArn });
  }
}
