/**
 * Monthly patching (セキュリティパッチの適用, first Sunday): RDS's maintenance window can only name a
 * weekday, so the program applies the database's pending security maintenance itself, from the
 * guide's monthly window. A state machine lists the cluster's and its instances' pending actions
 * and applies the patch kinds immediately; engine version upgrades (`db-upgrade`) are not among
 * them: they change `engineVersion`, which the stack config owns (database.engineVersion).
 */
import type { AccountScope } from './arns';
import { LOG_DELIVERY_ACTIONS, policy, type PolicyDocument } from './policy-documents';

export const PATCH_STATE_MACHINE_NAME = 'AsyncProcessingMonthlyPatch';

/** RDS maintenance actions that are the guide's security patches. */
export const PATCH_ACTIONS = ['system-update', 'os-upgrade'] as const;

const API_TIMEOUT_SECONDS = 60;
const RETRY = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 }];

/** The run must end inside the monthly window (02:00–06:00 JST); applying only starts the work. */
export const PATCH_TIMEOUT_SECONDS = 30 * 60;

/** A Map state over `itemsPath`, one item at a time, its states run inline; the first is where it starts. */
const inlineMap = (itemsPath: string, itemSelector: Record<string, string>, states: Record<string, unknown>) => ({
  Type: 'Map',
  ItemsPath: itemsPath,
  MaxConcurrency: 1,
  ItemSelector: itemSelector,
  ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: Object.keys(states)[0], States: states },
  End: true,
});

export function buildPatchDefinition(clusterIdentifier: string): Record<string, unknown> {
  return {
    Comment: "Monthly window: apply the database cluster's pending security maintenance now",
    TimeoutSeconds: PATCH_TIMEOUT_SECONDS,
    StartAt: 'ListPending',
    States: {
      // SDK integrations use the SDK's member names (`PendingMaintenanceActions`, `ResourceIdentifier`).
      ListPending: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:rds:describePendingMaintenanceActions',
        TimeoutSeconds: API_TIMEOUT_SECONDS,
        Parameters: { Filters: [{ Name: 'db-cluster-id', Values: [clusterIdentifier] }] },
        ResultSelector: { 'resources.$': '$.PendingMaintenanceActions' },
        Retry: RETRY,
        Next: 'EachResource',
      },
      // One resource, then one action at a time: RDS refuses a second action while one is being applied.
      EachResource: inlineMap(
        '$.resources',
        { 'resource.$': '$$.Map.Item.Value.ResourceIdentifier', 'actions.$': '$$.Map.Item.Value.PendingMaintenanceActionDetails' },
        {
          EachAction: inlineMap(
            '$.actions',
            { 'resource.$': '$.resource', 'action.$': '$$.Map.Item.Value.Action' },
            {
              IsSecurityPatch: {
                Type: 'Choice',
                Choices: PATCH_ACTIONS.map((a) => ({ Variable: '$.action', StringEquals: a, Next: 'Apply' })),
                Default: 'LeaveToConfig',
              },
              Apply: {
                Type: 'Task',
                Resource: 'arn:aws:states:::aws-sdk:rds:applyPendingMaintenanceAction',
                TimeoutSeconds: API_TIMEOUT_SECONDS,
                Parameters: { 'ResourceIdentifier.$': '$.resource', 'ApplyAction.$': '$.action', OptInType: 'immediate' },
                ResultSelector: { 'applied.$': '$.ResourcePendingMaintenanceActions.ResourceIdentifier' },
                Retry: RETRY,
                End: true,
              },
              LeaveToConfig: { Type: 'Pass', Result: { skipped: true }, End: true },
            },
          ),
        },
      ),
    },
  };
}

/** The patch run's role: the one cluster and its instances (Pulumi names them `database-instance-…`). */
export function patchPolicy(s: AccountScope, clusterIdentifier: string): PolicyDocument {
  const rds = `arn:${s.partition}:rds:${s.region}:${s.accountId}`;
  const resources = [`${rds}:cluster:${clusterIdentifier}`, `${rds}:db:database-instance-*`];
  return policy(
    {
      Sid: 'ApplyPendingMaintenanceOfThisDatabase',
      Effect: 'Allow',
      Action: ['rds:DescribePendingMaintenanceActions', 'rds:ApplyPendingMaintenanceAction'],
      Resource: resources,
    },
    {
      Sid: 'LogDeliveryUnscopedByAws',
      Effect: 'Allow',
      Action: [...LOG_DELIVERY_ACTIONS],
      Resource: ['*'],
    },
    {
      Sid: 'XRayUnscopedByAws',
      Effect: 'Allow',
      Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      Resource: ['*'],
    },
  );
}

/** EventBridge Scheduler's role for the patch run: start it, nothing else. */
export const startPatchPolicy = (stateMachineArn: string): PolicyDocument =>
  policy({ Sid: 'StartMonthlyPatchOnly', Effect: 'Allow', Action: ['states:StartExecution'], Resource: [stateMachineArn] });
