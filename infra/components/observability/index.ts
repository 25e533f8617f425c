/**
 * Observability as code: paging (PagerDuty), alert routing, the alarm catalog with its composites,
 * metric filters, saved queries and the dashboard of one stack, composed from the resources the
 * other components deployed.
 */
import * as pulumi from '@pulumi/pulumi';
import { logGroupName, type Severity } from '../../../guide';
import { Alarms } from './alarms';
import { Alerting } from './alerting';
import { readAlertingSecrets, readAlertingSettings, type AlertingSecrets, type AlertingSettings } from '../../config/alerting';
import { Dashboard } from './dashboard';
import { IncidentManager } from './incident-manager';
import { MetricFilters } from './metric-filters';
import { Paging } from './paging';
import { alarmCatalog } from '../../../observability/alarms/catalog';
import { metricFilterSpecs } from '../../../observability/metric-filters';
import type { MonitoredResources } from '../../../observability/monitored-resources';
import { SavedQueries } from './queries';

export type { MonitoredResources } from '../../../observability/monitored-resources';

export const OBSERVABILITY_TYPE = 'async-ai-pipeline:observability:Observability';

export interface ObservabilityArgs {
  readonly resources: MonitoredResources<pulumi.Input<string>>;
  /** @default read from `async-ai-pipeline:alerting` and `async-ai-pipeline:pagerDuty` */
  readonly settings?: AlertingSettings;
  /** @default read from the stack's secret config */
  readonly secrets?: AlertingSecrets;
}

export class Observability extends pulumi.ComponentResource {
  /** The alert topics by severity (the budget notifies them too). */
  readonly alertTopicArns: Record<Severity, pulumi.Output<string>>;
  readonly pagerDutyServiceId: pulumi.Output<string>;
  /** Only with alerting.incidentManager.enabled. */
  readonly responsePlanArn?: pulumi.Output<string>;
  /** The topics' resource policies: a budget that notifies a topic is created after them. */
  readonly alertTopicPolicies: pulumi.Resource[];
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(OBSERVABILITY_TYPE, name, {}, opts);
    const { resources } = args;
    const settings = args.settings ?? readAlertingSettings();
    const secrets = args.secrets ?? readAlertingSecrets();

    const paging = new Paging(`${name}-paging`, { stack: resources.stack, settings: settings.pagerDuty }, { parent: this });
    const alerting = new Alerting(
      `${name}-alerting`,
      {
        stack: resources.stack,
        accountId: resources.accountId,
        settings,
        secrets,
        pagerDutyUrl: paging.integrationUrl,
      },
      { parent: this },
    );
    const incidentManager = settings.incidentManager.enabled
      ? new IncidentManager(
          `${name}-incident-manager`,
          {
            stack: resources.stack,
            region: resources.region,
            createReplicationSet: settings.incidentManager.createReplicationSet,
          },
          { parent: this },
        )
      : undefined;
    const catalog = alarmCatalog(resources);
    const alarms = new Alarms(
      `${name}-alarms`,
      {
        specs: catalog.metrics,
        composites: catalog.composites,
        topics: { ...alerting.topicArns, edge: alerting.edgeTopicArn },
        incidentActions: incidentManager ? [incidentManager.responsePlanArn] : [],
        runbookUrl: settings.runbookUrl,
      },
      { parent: this },
    );
    new MetricFilters(`${name}-metric-filters`, { specs: metricFilterSpecs(resources) }, { parent: this });
    new SavedQueries(
      `${name}-queries`,
      {
        logGroupNames: Object.fromEntries(resources.functions.map((f) => [f.key, pulumi.output(f.name).apply(logGroupName)])),
      },
      { parent: this },
    );
    // After the alarms: its alarm widget names them.
    const dashboard = new Dashboard(
      `${name}-dashboard`,
      { resources, runbookUrl: settings.runbookUrl },
      { parent: this, dependsOn: [alarms] },
    );

    this.alertTopicArns = alerting.topicArns;
    this.pagerDutyServiceId = paging.serviceId;
    this.responsePlanArn = incidentManager?.responsePlanArn;
    this.alertTopicPolicies = alerting.topicPolicies;
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({
      alertTopicArns: this.alertTopicArns,
      pagerDutyServiceId: this.pagerDutyServiceId,
      responsePlanArn: this.responsePlanArn,
      dashboardName: this.dashboardName,
    });
  }
}
