/**
 * AsyncProcessingDrTest's branches, run by aws-local-stepfunctions with AWS replaced per Task:
 * a passing restore, a restore that fails validation, a failed restore job, an instance that never
 * becomes available, and a restored cluster AWS Backup left behind. Every branch must report a
 * verdict to AWS Backup and remove what the test created.
 */
import '../../../../local/polyfills';
// The package is ESM with a CommonJS build; Jest loads the latter (as the workflow tests do).
// @ts-expect-error TS1479
import { StateMachine } from 'aws-local-stepfunctions';
import { BACKUP, DR, FUNCTIONS } from '../../../../guide';
import { buildDrDefinition, drTimeoutSeconds, maxInstancePolls, validationWindowHours } from '../../../../infra/specs/dr';
import { restoreJobEventPattern } from '../../../../infra/components/dr-test';

// asl-validator 4 ships no type declarations.
const aslValidator = require('asl-validator') as (
  definition: unknown,
  opts?: { checkPaths?: boolean; checkArn?: boolean },
) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

const FN = `arn:aws:lambda:ap-northeast-1:123456789012:function:${FUNCTIONS.drValidation.name}`;
const CLUSTER = 'awsbackup-restore-test-abc123';
const definition = buildDrDefinition({ validationFunctionArn: FN, engine: 'aurora-postgresql', scaling: { min: 0.5, max: 8 } });
type AnyState = Record<string, any>;
const states = definition.States as Record<string, AnyState>;

const event = (status: string) => ({
  version: '0',
  source: 'aws.backup',
  'detail-type': 'Restore Job State Change',
  detail: {
    restoreJobId: 'job-1',
    status,
    createdResourceArn: `arn:aws:rds:ap-northeast-1:123456789012:cluster:${CLUSTER}`,
    restoreTestingPlanArn: 'arn:plan',
  },
});

class NotFound extends Error {
  override name = 'Rds.DbClusterNotFoundException';
}

interface Script {
  /** How many CheckInstance answers are "creating" before "available" (Infinity: never). */
  creatingPolls?: number;
  validation?: 'SUCCESSFUL' | 'FAILED';
  /** What DescribeDBClusters answers after the validation window. */
  leftover?: 'gone' | 'available';
}

async function run(status: string, script: Script = {}) {
  const calls: { state: string; input: any }[] = [];
  let polls = 0;
  const answer: Record<string, (input: any) => unknown> = {
    ScaleRestoredCluster: () => ({}),
    AddInstance: () => ({}),
    CheckInstance: () => ({ DbInstances: [{ DbInstanceStatus: polls++ < (script.creatingPolls ?? 1) ? 'creating' : 'available' }] }),
    DescribeRestoredCluster: () => ({
      DbClusters: [{ Endpoint: `${CLUSTER}.cluster-x.ap-northeast-1.rds.amazonaws.com`, Port: 5432, Status: 'available' }],
    }),
    Validate: () => ({ Payload: { status: script.validation ?? 'SUCCESSFUL', message: 'ok' } }),
    RecordFailure: (i) => ({ Payload: { status: 'FAILED', message: `DR test did not complete: ${i.Payload.reason}` } }),
    RecordRestoreFailure: (i) => ({ Payload: { status: 'FAILED', message: `DR test did not complete: ${i.Payload.reason}` } }),
    RemoveInstance: () => ({}),
    RemoveInstanceAfterFailure: () => ({}),
    ReportVerdict: () => ({}),
    ReportFailure: () => ({}),
    ReportRestoreFailure: () => ({}),
    RestoredClusterLeft: () => {
      if ((script.leftover ?? 'gone') === 'gone') throw new NotFound('DBCluster not found');
      return { DbClusters: [{ Status: 'available' }] };
    },
    DeleteLeftoverCluster: () => ({}),
  };
  const handlers = Object.fromEntries(
    Object.entries(answer).map(([state, fn]) => [
      state,
      async (input: any) => {
        calls.push({ state, input });
        return fn(input) as any;
      },
    ]),
  );
  const waits = Object.fromEntries(
    Object.entries(states)
      .filter(([, s]) => s.Type === 'Wait')
      .map(([n]) => [n, 0]),
  );
  const retries = Object.fromEntries(Object.keys(answer).map((n) => [n, 0]));
  const exec = new StateMachine(JSON.parse(JSON.stringify(definition))).run(event(status), {
    overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waits, retryIntervalOverrides: retries },
  });
  let failure: { name: string } | undefined;
  for await (const e of exec.eventLogs as AsyncIterable<{ type: string; Error?: string }>) {
    if (e.type === 'ExecutionFailed') failure = { name: e.Error ?? 'unknown' };
  }
  const output = await exec.result.catch(() => undefined);
  const of = (state: string) => calls.filter((c) => c.state === state).map((c) => c.input);
  return { output, error: failure, calls, of, visited: calls.map((c) => c.state) };
}

describe('AsyncProcessingDrTest definition', () => {
  it('passes asl-validator with path and ARN checks', () => {
    const { isValid, errorsText } = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('bounds the whole test and every Task in time (the policy pack requires it)', () => {
    expect(definition.TimeoutSeconds).toBe(drTimeoutSeconds());
    const untimed = Object.entries(states)
      .filter(([, s]) => s.Type === 'Task' && !(s.TimeoutSeconds > 0))
      .map(([n]) => n);
    expect(untimed).toEqual([]);
    // Waiting for the instance may take the RTO at most; then the validation window and an hour.
    expect(maxInstancePolls() * DR.pollSeconds).toBe(BACKUP.rtoHours * 3600);
    expect(drTimeoutSeconds()).toBe((BACKUP.rtoHours + validationWindowHours() + 1) * 3600);
  });

  it('is started by the restore jobs of its own restore-testing plan only', () => {
    expect(restoreJobEventPattern('arn:plan')).toEqual({
      source: ['aws.backup'],
      'detail-type': ['Restore Job State Change'],
      detail: { status: ['COMPLETED', 'FAILED', 'ABORTED'], restoreTestingPlanArn: ['arn:plan'] },
    });
  });
});

describe('AsyncProcessingDrTest branches', () => {
  it('validates a completed restore on an instance it adds, removes the instance, reports SUCCESSFUL and passes', async () => {
    const r = await run('COMPLETED', { creatingPolls: 2 });

    expect(r.error).toBeUndefined();
    expect(r.of('ScaleRestoredCluster')).toEqual([
      { DbClusterIdentifier: CLUSTER, ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 8 }, ApplyImmediately: true },
    ]);
    const [added] = r.of('AddInstance');
    expect(added).toMatchObject({ DbClusterIdentifier: CLUSTER, DbInstanceClass: 'db.serverless', Engine: 'aurora-postgresql' });
    expect(added.DbInstanceIdentifier).toMatch(new RegExp(`^${DR.instanceIdPrefix}[0-9a-f]{8}$`));
    expect(r.of('CheckInstance')).toHaveLength(3);
    expect(r.of('Validate')[0].Payload).toEqual({
      action: 'validate',
      restoreJobId: 'job-1',
      restored: { host: `${CLUSTER}.cluster-x.ap-northeast-1.rds.amazonaws.com`, port: 5432 },
    });
    expect(r.of('RemoveInstance')).toEqual([{ DbInstanceIdentifier: added.DbInstanceIdentifier, SkipFinalSnapshot: true }]);
    expect(r.of('ReportVerdict')).toEqual([{ RestoreJobId: 'job-1', ValidationStatus: 'SUCCESSFUL', ValidationStatusMessage: 'ok' }]);
    // Reported only after the instance is on its way out, so AWS Backup can delete the cluster.
    expect(r.visited.indexOf('RemoveInstance')).toBeLessThan(r.visited.indexOf('ReportVerdict'));
    expect(r.visited).toContain('RestoredClusterLeft');
    expect(r.visited).not.toContain('DeleteLeftoverCluster');
  });

  it('reports FAILED and fails when the restore does not match the source, and still removes its instance', async () => {
    const r = await run('COMPLETED', { validation: 'FAILED' });

    expect(r.error?.name).toBe('DrTestFailed');
    expect(r.of('RemoveInstance')).toHaveLength(1);
    expect(r.of('ReportVerdict')[0].ValidationStatus).toBe('FAILED');
  });

  it('records a failed restore job (metrics) and reports it, without touching RDS', async () => {
    const r = await run('FAILED');

    expect(r.error?.name).toBe('DrTestFailed');
    expect(r.of('RecordRestoreFailure')[0].Payload).toEqual({
      action: 'record-failure',
      restoreJobId: 'job-1',
      reason: 'restore job ended FAILED',
    });
    expect(r.of('ReportRestoreFailure')[0]).toMatchObject({ RestoreJobId: 'job-1', ValidationStatus: 'FAILED' });
    expect(r.visited.filter((s) => /Instance|Cluster/.test(s))).toEqual([]);
  });

  it('gives up on an instance that is not available within the RTO: records the failure, removes the instance, reports FAILED', async () => {
    const r = await run('COMPLETED', { creatingPolls: Number.POSITIVE_INFINITY });

    expect(r.error?.name).toBe('DrTestFailed');
    expect(r.of('CheckInstance')).toHaveLength(maxInstancePolls() + 1);
    expect(r.of('RecordFailure')[0].Payload.reason).toMatch(/^InstanceNotAvailable: .*within the RTO \(4 h\)$/);
    expect(r.of('RemoveInstanceAfterFailure')).toHaveLength(1);
    expect(r.of('ReportFailure')[0].ValidationStatus).toBe('FAILED');
    expect(r.visited).not.toContain('Validate');
  });

  it('deletes a restored cluster AWS Backup left after the validation window, and fails so someone looks', async () => {
    const r = await run('COMPLETED', { leftover: 'available' });

    expect(r.of('DeleteLeftoverCluster')).toEqual([{ DbClusterIdentifier: CLUSTER, SkipFinalSnapshot: true }]);
    expect(r.error?.name).toBe('RestoredClusterLeftBehind');
  });
});
