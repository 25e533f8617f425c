/**
 * `node --import tsx local/dashboard/model-child.ts <stack> <ids JSON>`: prints the stack's
 * dashboard model (model.ts) as one JSON line. A child of the runtime, because the offline run
 * loads the Pulumi SDK and sets its mocks for the whole process.
 */
import { runOffline } from '../../infra/offline/run';
import { alarmsFromResources } from '../../observability/evaluator';
import type { DashboardBody } from '../../observability/dashboard/body';
import { localDimension, withDimensions, type DashboardModel, type LocalIds } from './model';

const DASHBOARD_TYPE = 'aws:cloudwatch/dashboard:Dashboard';

async function main(stack: string, ids: LocalIds): Promise<DashboardModel> {
  const run = await runOffline(stack);
  const dashboard = run.resources.find((r) => r.type === DASHBOARD_TYPE);
  if (!dashboard) throw new Error(`Stack ${stack} deploys no ${DASHBOARD_TYPE}`);
  const dimension = localDimension(ids);
  const body = withDimensions(JSON.parse(String(dashboard.inputs.dashboardBody)) as DashboardBody, dimension);
  const adapted = alarmsFromResources(run.resources, { dimensionValue: dimension });
  return {
    stack,
    body,
    alarms: adapted.alarms,
    region: adapted.region ?? 'ap-northeast-1',
    accountId: adapted.accountId ?? '000000000000',
  };
}

const [stack = 'prod', ids = '{}'] = process.argv.slice(2);
main(stack, JSON.parse(ids) as LocalIds).then(
  (model) => {
    process.stdout.write(`${JSON.stringify(model)}\n`, () => process.exit(0));
  },
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
