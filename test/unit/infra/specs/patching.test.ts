/**
 * The monthly patch run (セキュリティパッチの適用): on the first Sunday after the backup it applies
 * the database's pending security maintenance, and leaves engine upgrades to the stack config.
 */
import '../../../../local/polyfills';
// The package's types are written for ESM; Jest loads its CommonJS build (as the workflow tests do).
// @ts-expect-error TS1479
import { StateMachine } from 'aws-local-stepfunctions';
import { BACKUP, INFRA } from '../../../../guide';
import { buildPatchDefinition, PATCH_ACTIONS } from '../../../../infra/specs/patching';
import { patchSlotJst, rdsWindows } from '../../../../infra/specs/schedules';
import { named, runStacks } from '../helpers/stacks';

const aslValidator = require('asl-validator') as (
  definition: unknown,
  opts?: { checkPaths?: boolean; checkArn?: boolean },
) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

const CLUSTER = 'async-ai-pipeline-prod';
const definition = buildPatchDefinition(CLUSTER);

async function runWith(pending: { ResourceIdentifier: string; PendingMaintenanceActionDetails: { Action: string }[] }[]) {
  const listed: unknown[] = [];
  const applied: unknown[] = [];
  const exec = new StateMachine(JSON.parse(JSON.stringify(definition))).run(
    {},
    {
      overrides: {
        taskResourceLocalHandlers: {
          ListPending: async (input: unknown) => {
            listed.push(input);
            return { PendingMaintenanceActions: pending };
          },
          Apply: async (input: any) => {
            applied.push(input);
            return { ResourcePendingMaintenanceActions: { ResourceIdentifier: input.ResourceIdentifier } };
          },
        },
      },
    },
  );
  await exec.result;
  return { listed, applied };
}

describe('Monthly patching', () => {
  it('passes asl-validator with path and ARN checks', () => {
    const { isValid, errorsText } = aslValidator(JSON.parse(JSON.stringify(definition)), { checkPaths: true, checkArn: true });
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('applies the pending system and OS updates of the cluster and its instances at once, and no engine upgrade', async () => {
    const cluster = `arn:aws:rds:ap-northeast-1:123456789012:cluster:${CLUSTER}`;
    const instance = 'arn:aws:rds:ap-northeast-1:123456789012:db:database-instance-1-abc';
    const { listed, applied } = await runWith([
      { ResourceIdentifier: cluster, PendingMaintenanceActionDetails: [{ Action: 'db-upgrade' }, { Action: 'system-update' }] },
      { ResourceIdentifier: instance, PendingMaintenanceActionDetails: [{ Action: 'os-upgrade' }] },
    ]);

    expect(listed).toEqual([{ Filters: [{ Name: 'db-cluster-id', Values: [CLUSTER] }] }]);
    expect(applied).toEqual([
      { ResourceIdentifier: cluster, ApplyAction: 'system-update', OptInType: 'immediate' },
      { ResourceIdentifier: instance, ApplyAction: 'os-upgrade', OptInType: 'immediate' },
    ]);
    expect(PATCH_ACTIONS).not.toContain('db-upgrade');
  });

  it('does nothing when nothing is pending', async () => {
    expect((await runWith([])).applied).toEqual([]);
  });

  it("starts on the first Sunday right after the backup, where RDS's own weekly window opens", async () => {
    const { prod } = await runStacks();
    const schedule = named(prod, 'aws:scheduler/schedule:Schedule', 'maintenance-monthly-patching').inputs;
    expect(patchSlotJst()).toEqual({ hour: BACKUP.startJst.hour, minute: BACKUP.startJst.minute + INFRA.database.windowMinutes });
    expect(schedule).toMatchObject({
      scheduleExpression: 'cron(30 3 ? * SUN#1 *)',
      scheduleExpressionTimezone: 'Asia/Tokyo',
      target: {
        arn: 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:AsyncProcessingMonthlyPatch',
        retryPolicy: { maximumEventAgeInSeconds: 150 * 60 },
      },
    });
    expect(rdsWindows().maintenance).toBe('sat:18:30-sat:19:00');
    const instances = prod.resources.filter((r) => r.type === 'aws:rds/clusterInstance:ClusterInstance');
    expect(instances.map((i) => i.inputs.autoMinorVersionUpgrade)).toEqual(instances.map(() => false));
  });
});
