/**
 * Paging as code: a PagerDuty service whose escalation policy is the guide's table (on-call at
 * once, team lead after 30 minutes, manager after 60), and its Amazon CloudWatch integration, whose
 * URL the critical topic subscribes. PagerDuty is the only paging engine: an incident opens on the
 * first ALARM, repeats of the same alarm join it while it is open, acknowledging stops the
 * escalation, and the alarm's OK resolves it.
 */
import * as pagerduty from '@pulumi/pagerduty';
import * as pulumi from '@pulumi/pulumi';
import type { AlertingSettings } from '../../config/alerting';
import { pagerDutyIntegrationUrl } from '../../../observability/alert-routing';
import { escalationPolicyName, escalationRules, pagerDutyServiceName } from '../../../observability/escalation-stages';

export const PAGING_TYPE = 'async-ai-pipeline:observability:Paging';

/** PagerDuty's integration type for Amazon CloudWatch (SNS HTTPS deliveries of alarm state changes). */
export const CLOUDWATCH_INTEGRATION = 'aws_cloudwatch_inbound_integration';

export interface PagingArgs {
  readonly stack: string;
  readonly settings: AlertingSettings['pagerDuty'];
}

const TARGET_TYPE = { user: 'user_reference', schedule: 'schedule_reference' } as const;

export class Paging extends pulumi.ComponentResource {
  /** The critical topic's HTTPS subscription endpoint (a secret: it lets anyone open incidents). */
  readonly integrationUrl: pulumi.Output<string>;
  readonly serviceId: pulumi.Output<string>;

  constructor(name: string, args: PagingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PAGING_TYPE, name, {}, opts);
    const policy = new pagerduty.EscalationPolicy(
      `${name}-escalation`,
      {
        name: escalationPolicyName(args.stack),
        description: 'エスカレーション (operations guide): 0–30 min on-call, 30–60 min team lead, after 1 h manager',
        // The guide's table ends with the manager: no loop back to the on-call.
        numLoops: 0,
        rules: escalationRules().map((rule) => {
          const target = args.settings.escalation[rule.responder];
          return { escalationDelayInMinutes: rule.escalationDelayInMinutes, targets: [{ type: TARGET_TYPE[target.type], id: target.id }] };
        }),
      },
      { parent: this },
    );
    const service = new pagerduty.Service(
      `${name}-service`,
      {
        name: pagerDutyServiceName(args.stack),
        description: 'async-ai-pipeline: critical CloudWatch alarms (one composite alarm per incident class)',
        escalationPolicy: policy.id,
        // An acknowledged incident stays with whoever took it; nothing re-triggers it. It resolves when
        // CloudWatch says OK, never by a timer.
        acknowledgementTimeout: 'null',
        autoResolveTimeout: 'null',
        alertCreation: 'create_alerts_and_incidents',
        incidentUrgencyRule: { type: 'constant', urgency: 'high' },
      },
      { parent: this },
    );
    const integration = new pagerduty.ServiceIntegration(
      `${name}-cloudwatch`,
      {
        name: 'Amazon CloudWatch',
        service: service.id,
        type: CLOUDWATCH_INTEGRATION,
      },
      { parent: this },
    );
    this.serviceId = service.id;
    this.integrationUrl = pulumi.secret(
      integration.integrationKey.apply((key) => pagerDutyIntegrationUrl(key, args.settings.serviceRegion)),
    );
    this.registerOutputs({ serviceId: this.serviceId, integrationUrl: this.integrationUrl });
  }
}
