/**
 * The escalation table as AWS Systems Manager Incident Manager: a contact per tier (address from
 * secret config), an escalation plan with the guide's stages, and a response plan that critical
 * alarms start. PagerDuty and Slack are reached through the critical topic; Incident Manager adds
 * what the guide asks after 30 minutes: the team lead's phone, then the manager's.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { channelTypeOf } from '../../config/alerting';
import { contactAlias, CRITICAL_IMPACT, escalationStages, responsePlanName, type Responder } from '../../../observability/escalation-stages';

export const ESCALATION_TYPE = 'async-ai-pipeline:observability:Escalation';

export interface EscalationArgs {
  readonly stack: string;
  readonly region: string;
  /** @default true; false when the account's replication set belongs to another stack. */
  readonly createReplicationSet?: boolean;
  readonly addresses: pulumi.Input<Record<Responder, string>>;
}

export class Escalation extends pulumi.ComponentResource {
  readonly responsePlanArn: pulumi.Output<string>;
  readonly escalationPlanArn: pulumi.Output<string>;

  constructor(name: string, args: EscalationArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ESCALATION_TYPE, name, {}, opts);
    // Incident Manager refuses contacts and plans until the account has a replication set.
    const replication = (args.createReplicationSet ?? true)
      ? [new aws.ssmincidents.ReplicationSet(`${name}-replication`, { regions: [{ name: args.region }] }, { parent: this })]
      : [];
    const contacts = this.createContacts(name, args, replication);
    const escalation = this.createEscalationPlan(name, args, contacts, replication);
    const plan = new aws.ssmincidents.ResponsePlan(`${name}-response`, {
      name: responsePlanName(args.stack),
      displayName: `AsyncProcessing ${args.stack} critical alarm`,
      incidentTemplate: {
        title: `AsyncProcessing ${args.stack}: critical alarm`,
        impact: CRITICAL_IMPACT,
        summary: 'A critical alarm of the asynchronous AI pipeline fired. Follow the runbook section linked in the alarm description.',
      },
      engagements: [escalation.arn],
    }, { parent: this, dependsOn: replication });
    this.responsePlanArn = plan.arn;
    this.escalationPlanArn = escalation.arn;
    this.registerOutputs({ responsePlanArn: this.responsePlanArn, escalationPlanArn: this.escalationPlanArn });
  }

  /** One personal contact per tier, engaged on its channel as soon as its stage starts. */
  private createContacts(name: string, args: EscalationArgs, dependsOn: pulumi.Resource[]): Map<Responder, aws.ssmcontacts.Contact> {
    const contacts = new Map<Responder, aws.ssmcontacts.Contact>();
    for (const { responder } of escalationStages()) {
      const contact = new aws.ssmcontacts.Contact(`${name}-${responder}`, {
        alias: contactAlias(args.stack, responder), displayName: `AsyncProcessing ${args.stack} ${responder}`, type: 'PERSONAL',
      }, { parent: this, dependsOn });
      const channel = new aws.ssmcontacts.ContactChannel(`${name}-${responder}-channel`, {
        contactId: contact.arn,
        name: `${responder} ${channelTypeOf(responder).toLowerCase()}`,
        type: channelTypeOf(responder),
        deliveryAddress: { simpleAddress: pulumi.output(args.addresses).apply((a) => a[responder]) },
      }, { parent: this });
      new aws.ssmcontacts.Plan(`${name}-${responder}-engagement`, {
        contactId: contact.arn,
        stages: [{ durationInMinutes: 0, targets: [{ channelTargetInfo: { contactChannelId: channel.arn, retryIntervalInMinutes: 5 } }] }],
      }, { parent: this });
      contacts.set(responder, contact);
    }
    return contacts;
  }

  private createEscalationPlan(name: string, args: EscalationArgs, contacts: Map<Responder, aws.ssmcontacts.Contact>, dependsOn: pulumi.Resource[]) {
    const escalation = new aws.ssmcontacts.Contact(`${name}-escalation`, {
      alias: contactAlias(args.stack, 'escalation'), displayName: `AsyncProcessing ${args.stack} escalation`, type: 'ESCALATION',
    }, { parent: this, dependsOn });
    new aws.ssmcontacts.Plan(`${name}-escalation-plan`, {
      contactId: escalation.arn,
      // isEssential: the tier's acknowledgement stops the escalation.
      stages: escalationStages().map((s) => ({
        durationInMinutes: s.durationInMinutes,
        targets: [{ contactTargetInfo: { contactId: contacts.get(s.responder)!.arn, isEssential: true } }],
      })),
    }, { parent: this });
    return escalation;
  }
}
