/**
 * The monthly disaster-recovery test (災害復旧手順のテスト), as data: the state machine that AWS
 * Backup's restore-testing event starts, and the IAM policies of its roles. The flow:
 *
 *   restore job COMPLETED ──► scale the restored cluster for Serverless v2 ──► add an instance
 *   (AWS Backup restores the cluster only) ──► wait until it is available ──► DrValidation compares
 *   it with the source and publishes restore time / recovery point age ──► remove the instance
 *   ──► tell AWS Backup the verdict (it then deletes the restored cluster) ──► after the validation
 *   window, delete the cluster if it is somehow still there: nothing is left billing.
 *   restore job FAILED/ABORTED, or any step failing ──► DrValidation records the failure (metrics)
 *   ──► remove the instance if any ──► verdict FAILED.
 *
 * AWS SDK integrations take and return the SDK's member names with the first letter upper-cased
 * (Java SDK v2 naming: `DbClusterIdentifier`, `DbInstances`), not the API reference's `DB…`.
 */
import { BACKUP, DR, FUNCTIONS } from '../../guide';
import { LOG_DELIVERY_ACTIONS, policy, type PolicyDocument, type Statement } from './policy-documents';
import type { AccountScope } from './arns';

export const DR_STATE_MACHINE_NAME = 'AsyncProcessingDrTest';

export interface DrDefinitionArgs {
  readonly validationFunctionArn: string;
  readonly engine: string;
  /** Serverless v2 capacity of the restored cluster (the stack's own). */
  readonly scaling: { readonly min: number; readonly max: number };
}

/** Polls of the added instance: together they may take the whole RTO, not more. */
export const maxInstancePolls = (): number => Math.floor((BACKUP.rtoHours * 3600) / DR.pollSeconds);

/**
 * AWS Backup keeps the restore this long for validation, then deletes it: the RTO (a validation
 * that takes longer has failed anyway) plus an hour for the test to remove its instance first.
 */
export const validationWindowHours = (): number => BACKUP.rtoHours + 1;

const sdk = (service: string, action: string) => `arn:aws:states:::aws-sdk:${service}:${action}`;
/** Every Task has a timeout (a hung API call ends the step, not the month): API calls are quick, the check takes its Lambda timeout. */
const API_TIMEOUT_SECONDS = 60;
const VALIDATE_TIMEOUT_SECONDS = FUNCTIONS.drValidation.timeoutSeconds + 60;
/** The whole test: the RTO for the restore and its check, the validation window, an hour of slack. */
export const drTimeoutSeconds = (): number => (BACKUP.rtoHours + validationWindowHours() + 1) * 3600;
const RETRY_API = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 }];
const RETRY_LAMBDA = [
  {
    ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
    IntervalSeconds: 2,
    MaxAttempts: 3,
    BackoffRate: 2,
  },
];
const onError = (next: string) => [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: next }];

export function buildDrDefinition(args: DrDefinitionArgs): Record<string, unknown> {
  const cluster = { 'DbClusterIdentifier.$': '$.dr.clusterId' };
  const instance = { 'DbInstanceIdentifier.$': '$.dr.instanceId' };
  const invoke = (payload: Record<string, unknown>) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: args.validationFunctionArn, Payload: payload },
    TimeoutSeconds: VALIDATE_TIMEOUT_SECONDS,
    ResultSelector: { 'status.$': '$.Payload.status', 'message.$': '$.Payload.message' },
    ResultPath: '$.validation',
    Retry: RETRY_LAMBDA,
  });
  const verdict = (next: string) => ({
    Type: 'Task',
    TimeoutSeconds: API_TIMEOUT_SECONDS,
    Resource: sdk('backup', 'putRestoreValidationResult'),
    Parameters: {
      'RestoreJobId.$': '$.detail.restoreJobId',
      'ValidationStatus.$': '$.validation.status',
      'ValidationStatusMessage.$': '$.validation.message',
    },
    ResultPath: null,
    Retry: RETRY_API,
    Next: next,
  });
  return {
    Comment: 'Monthly DR test: validate the restore AWS Backup made, measure RTO/RPO, remove what it created',
    TimeoutSeconds: drTimeoutSeconds(),
    StartAt: 'RestoreCompleted',
    States: {
      RestoreCompleted: {
        Type: 'Choice',
        Choices: [{ Variable: '$.detail.status', StringEquals: 'COMPLETED', Next: 'Prepare' }],
        Default: 'RecordRestoreFailure',
      },
      RecordRestoreFailure: {
        ...invoke({
          action: 'record-failure',
          'restoreJobId.$': '$.detail.restoreJobId',
          'reason.$': "States.Format('restore job ended {}', $.detail.status)",
        }),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.recordError', Next: 'RestoreFailureFallback' }],
        Next: 'ReportRestoreFailure',
      },
      RestoreFailureFallback: {
        Type: 'Pass',
        Parameters: { status: 'FAILED', 'message.$': "States.Format('restore job ended {}', $.detail.status)" },
        ResultPath: '$.validation',
        Next: 'ReportRestoreFailure',
      },
      ReportRestoreFailure: verdict('TestFailed'),
      Prepare: {
        Type: 'Pass',
        // arn:aws:rds:<region>:<account>:cluster:<id> → <id>; an instance id unique to this test.
        Parameters: {
          'clusterId.$': "States.ArrayGetItem(States.StringSplit($.detail.createdResourceArn, ':'), 6)",
          'instanceId.$': `States.Format('${DR.instanceIdPrefix}{}', States.ArrayGetItem(States.StringSplit(States.UUID(), '-'), 0))`,
          polls: 0,
        },
        ResultPath: '$.dr',
        Next: 'ScaleRestoredCluster',
      },
      ScaleRestoredCluster: {
        Type: 'Task',
        TimeoutSeconds: API_TIMEOUT_SECONDS,
        Resource: sdk('rds', 'modifyDBCluster'),
        Parameters: {
          ...cluster,
          ServerlessV2ScalingConfiguration: { MinCapacity: args.scaling.min, MaxCapacity: args.scaling.max },
          ApplyImmediately: true,
        },
        ResultPath: null,
        Retry: RETRY_API,
        Catch: onError('RecordFailure'),
        Next: 'AddInstance',
      },
      AddInstance: {
        Type: 'Task',
        TimeoutSeconds: API_TIMEOUT_SECONDS,
        Resource: sdk('rds', 'createDBInstance'),
        Parameters: { ...cluster, ...instance, DbInstanceClass: 'db.serverless', Engine: args.engine, PubliclyAccessible: false },
        ResultPath: null,
        Retry: RETRY_API,
        Catch: onError('RecordFailure'),
        Next: 'WaitForInstance',
      },
      WaitForInstance: { Type: 'Wait', Seconds: DR.pollSeconds, Next: 'CheckInstance' },
      CheckInstance: {
        Type: 'Task',
        TimeoutSeconds: API_TIMEOUT_SECONDS,
        Resource: sdk('rds', 'describeDBInstances'),
        Parameters: instance,
        ResultSelector: { 'status.$': '$.DbInstances[0].DbInstanceStatus' },
        ResultPath: '$.instance',
        Retry: RETRY_API,
        Catch: onError('RecordFailure'),
        Next: 'InstanceAvailable',
      },
      InstanceAvailable: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.instance.status', StringEquals: 'available', Next: 'DescribeRestoredCluster' },
          { Variable: '$.dr.polls', NumericGreaterThanEquals: maxInstancePolls(), Next: 'InstanceNeverAvailable' },
        ],
        Default: 'CountPoll',
      },
      CountPoll: {
        Type: 'Pass',
        Parameters: { 'clusterId.$': '$.dr.clusterId', 'instanceId.$': '$.dr.instanceId', 'polls.$': 'States.MathAdd($.dr.polls, 1)' },
        ResultPath: '$.dr',
        Next: 'WaitForInstance',
      },
      InstanceNeverAvailable: {
        Type: 'Pass',
        Parameters: {
          Error: 'InstanceNotAvailable',
          Cause: `the restored cluster's instance was not available within the RTO (${BACKUP.rtoHours} h)`,
        },
        ResultPath: '$.error',
        Next: 'RecordFailure',
      },
      DescribeRestoredCluster: {
        Type: 'Task',
        TimeoutSeconds: API_TIMEOUT_SECONDS,
        Resource: sdk('rds', 'describeDBClusters'),
        Parameters: cluster,
        ResultSelector: { 'host.$': '$.DbClusters[0].Endpoint', 'port.$': '$.DbClusters[0].Port' },
        ResultPath: '$.restored',
        Retry: RETRY_API,
        Catch: onError('RecordFailure'),
        Next: 'Validate',
      },
      Validate: {
        ...invoke({ action: 'validate', 'restoreJobId.$': '$.detail.restoreJobId', 'restored.$': '$.restored' }),
        Catch: onError('RecordFailure'),
        Next: 'RemoveInstance',
      },
      RemoveInstance: {
        Type: 'Task',
        TimeoutSeconds: API_TIMEOUT_SECONDS,
        Resource: sdk('rds', 'deleteDBInstance'),
        Parameters: { ...instance, SkipFinalSnapshot: true },
        ResultPath: null,
        Retry: RETRY_API,
        Catch: onError('RecordFailure'),
        Next: 'ReportVerdict',
      },
      ReportVerdict: verdict('WaitForBackupCleanup'),
      RecordFailure: {
        ...invoke({
          action: 'record-failure',
          'restoreJobId.$': '$.detail.restoreJobId',
          'reason.$': "States.Format('{}: {}', $.error.Error, $.error.Cause)",
        }),
        // Recording is best effort: the verdict and the clean-up must happen anyway.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.recordError', Next: 'FailedVerdictFallback' }],
        Next: 'RemoveInstanceAfterFailure',
      },
      FailedVerdictFallback: {
        Type: 'Pass',
        Parameters: { status: 'FAILED', 'message.$': "States.Format('DR test did not complete: {}', $.error.Error)" },
        ResultPath: '$.validation',
        Next: 'RemoveInstanceAfterFailure',
      },
      RemoveInstanceAfterFailure: {
        Type: 'Task',
        TimeoutSeconds: API_TIMEOUT_SECONDS,
        Resource: sdk('rds', 'deleteDBInstance'),
        Parameters: { ...instance, SkipFinalSnapshot: true },
        ResultPath: null,
        Retry: [{ ErrorEquals: ['Rds.DbInstanceNotFoundException'], MaxAttempts: 0 }, ...RETRY_API],
        // No instance (the failure came before AddInstance): nothing to remove.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'ReportFailure' }],
        Next: 'ReportFailure',
      },
      ReportFailure: verdict('WaitForBackupCleanup'),
      WaitForBackupCleanup: { Type: 'Wait', Seconds: validationWindowHours() * 3600, Next: 'RestoredClusterLeft' },
      RestoredClusterLeft: {
        Type: 'Task',
        TimeoutSeconds: API_TIMEOUT_SECONDS,
        Resource: sdk('rds', 'describeDBClusters'),
        Parameters: cluster,
        ResultSelector: { 'status.$': '$.DbClusters[0].Status' },
        ResultPath: '$.leftover',
        // Not found: AWS Backup deleted it, as it should.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Outcome' }],
        Next: 'StillThere',
      },
      StillThere: {
        Type: 'Choice',
        Choices: [{ Variable: '$.leftover.status', StringEquals: 'deleting', Next: 'Outcome' }],
        Default: 'DeleteLeftoverCluster',
      },
      DeleteLeftoverCluster: {
        Type: 'Task',
        TimeoutSeconds: API_TIMEOUT_SECONDS,
        Resource: sdk('rds', 'deleteDBCluster'),
        Parameters: { ...cluster, SkipFinalSnapshot: true },
        ResultPath: null,
        Retry: RETRY_API,
        Next: 'LeftoverDeleted',
      },
      LeftoverDeleted: {
        Type: 'Fail',
        Error: 'RestoredClusterLeftBehind',
        Cause: 'AWS Backup had not deleted the restored cluster after its validation window; the test deleted it',
      },
      Outcome: {
        Type: 'Choice',
        Choices: [{ Variable: '$.validation.status', StringEquals: 'SUCCESSFUL', Next: 'TestPassed' }],
        Default: 'TestFailed',
      },
      TestPassed: { Type: 'Succeed' },
      TestFailed: {
        Type: 'Fail',
        Error: 'DrTestFailed',
        Cause: 'See the DrValidation log and AWS Backup’s validation status of the restore job',
      },
    },
  };
}

const allow = (Sid: string, Action: string[], Resource: string[]): Statement => ({ Sid, Effect: 'Allow', Action, Resource });

/** Restored clusters and the test's instances only: never the stack's own database. */
export function drResourceArns(s: AccountScope) {
  const rds = `arn:${s.partition}:rds:${s.region}:${s.accountId}`;
  return { restoredClusters: `${rds}:cluster:${DR.restoredClusterPrefix}*`, testInstances: `${rds}:db:${DR.instanceIdPrefix}*` };
}

/** The DR test state machine's role. */
export function drStateMachinePolicy(s: AccountScope, validationFunctionArn: string): PolicyDocument {
  const { restoredClusters, testInstances } = drResourceArns(s);
  return policy(
    allow('ManageRestoredClusters', ['rds:ModifyDBCluster', 'rds:DescribeDBClusters', 'rds:DeleteDBCluster'], [restoredClusters]),
    // CreateDBInstance is authorized on the new instance and on the cluster it joins.
    allow('AddTestInstance', ['rds:CreateDBInstance'], [testInstances, restoredClusters]),
    allow('ManageTestInstances', ['rds:DescribeDBInstances', 'rds:DeleteDBInstance'], [testInstances]),
    allow('InvokeDrValidation', ['lambda:InvokeFunction'], [validationFunctionArn, `${validationFunctionArn}:*`]),
    // Restore jobs are not an IAM resource type: AWS Backup scopes this action to `*` only.
    allow('ReportRestoreValidationUnscopedByAws', ['backup:PutRestoreValidationResult'], ['*']),
    allow(
      'XRayUnscopedByAws',
      ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      ['*'],
    ),
    allow('LogDeliveryUnscopedByAws', [...LOG_DELIVERY_ACTIONS], ['*']),
  );
}

/** DrValidation's extra permission besides the database admin's (read the restore job's times). */
export const describeRestoreJobStatement = (): Statement => allow('ReadRestoreJobsUnscopedByAws', ['backup:DescribeRestoreJob'], ['*']);

/** EventBridge's role: start the DR test only. */
export const drEventsPolicy = (stateMachineArn: string): PolicyDocument =>
  policy(allow('StartDrTestOnly', ['states:StartExecution'], [stateMachineArn]));
