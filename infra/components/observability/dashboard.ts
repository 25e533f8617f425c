/**
 * AsyncProcessing-Dashboard deployed: the body comes from dashboards/ (the same function that
 * writes the reviewed JSON), filled with the stack's real identifiers once they are known.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { buildDashboard } from '../../../observability/dashboard/body';
import { DASHBOARD_NAME } from '../../../guide';
import { alarmCatalog } from '../../../observability/alarms/catalog';
import type { MonitoredResources } from '../../../observability/monitored-resources';

export const DASHBOARD_TYPE = 'async-ai-pipeline:observability:Dashboard';

export interface DashboardArgs {
  readonly resources: MonitoredResources<pulumi.Input<string>>;
  readonly runbookUrl: string;
}

export function dashboardBody(resources: MonitoredResources<pulumi.Input<string>>, runbookUrl: string): pulumi.Output<string> {
  return pulumi.output(resources).apply((r) => {
    const plain = r as unknown as MonitoredResources;
    const catalog = alarmCatalog(plain);
    return JSON.stringify(buildDashboard(plain, catalog.metrics, runbookUrl, catalog.composites));
  });
}

export class Dashboard extends pulumi.ComponentResource {
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DASHBOARD_TYPE, name, {}, opts);
    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: DASHBOARD_NAME,
        dashboardBody: dashboardBody(args.resources, args.runbookUrl),
      },
      { parent: this },
    );
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName });
  }
}
