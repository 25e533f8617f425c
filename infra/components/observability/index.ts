/**
 * Observability as code: alert routing, escalation, the alarm catalog, saved queries and the
 * dashboard of one stack, composed from the resources the other components deployed.
 */
import * as pulumi from '@pulumi/pulumi';
import { logGroupName, type Severity } from '../../../guide';
import { Alarms } from './alarms';
import { Alerting } from './alerting';
import { readAlertingSecrets, readAlertingSettings, type AlertingSecrets, type AlertingSettings } from '../../config/alerting';
import { Dashboard } from './dashboard';
import { Escalation } from './escalation';
import { alarmSpecs } from '../../../observability/alarms/catalog';
import type { MonitoredResources } from '../../../observability/monitored-resources';
import { SavedQueries } from './queries';

export type { MonitoredResources } from '../../../observability/monitored-resources';

export const OBSERVABILITY_TYPE = 'async-ai-pipeline:observability:Observability';

export interface ObservabilityArgs {
  readonly resources: MonitoredResources<pulumi.Input<string>>;
  /** @default read from `async-ai-pipeline:alerting` */
  readonly settings?: AlertingSettings;
  /** @default read from the stack's secret config */
  readonly secrets?: AlertingSecrets;
}

export class Observability extends pulumi.ComponentResource {
  /** The alert topics by severity (the budget notifies them too). */
  readonly alertTopicArns: Record<Severity, pulumi.Output<string>>;
  /** The topics' resource policies: a budget that notifies a topic is created after them. */
  readonly alertTopicPolicies: pulumi.Resource[];
  /** The key the alert topics are encrypted with: a publisher needs kms:GenerateDataKey on it. */
  readonly alertKeyArn: pulumi.Output<string>;
  readonly responsePlanArn: pulumi.Output<string>;
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(OBSERVABILITY_TYPE, name, {}, opts);
    const { resources } = args;
    const settings = args.settings ?? readAlertingSettings();
    const secrets = args.secrets ?? readAlertingSecrets();

    const alerting = new Alerting(`${name}-alerting`, { stack: resources.stack, accountId: resources.accountId, settings, secrets }, { parent: this });
    const escalation = new Escalation(`${name}-escalation`, {
      stack: resources.stack, region: resources.region, createReplicationSet: settings.createReplicationSet, addresses: secrets.escalationAddresses,
    }, { parent: this });
    const { critical, warning } = alerting.topicArns;
    const alarms = new Alarms(`${name}-alarms`, {
      specs: alarmSpecs(resources),
      alarmActions: { critical: [critical, escalation.responsePlanArn], warning: [warning] },
      okActions: { critical: [critical], warning: [warning] },
      runbookUrl: settings.runbookUrl,
    }, { parent: this });
    new SavedQueries(`${name}-queries`, {
      logGroupNames: resources.functions.map((f) => pulumi.output(f.name).apply(logGroupName)),
    }, { parent: this });
    // After the alarms: its alarm widget names them.
    const dashboard = new Dashboard(`${name}-dashboard`, { resources, runbookUrl: settings.runbookUrl }, { parent: this, dependsOn: [alarms] });

    this.alertTopicArns = alerting.topicArns;
    this.alertTopicPolicies = alerting.topicPolicies;
    this.alertKeyArn = alerting.keyArn;
    this.responsePlanArn = escalation.responsePlanArn;
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ alertTopicArns: this.alertTopicArns, responsePlanArn: this.responsePlanArn, dashboardName: this.dashboardName });
  }
}
