/**
 * The queue monitor brings every accepted process back to running instead of leaving it to the
 * sweeper (DESIGN.reconcile): lost starts are started, executions Step Functions does not know
 * are started again under the same name, and processes whose execution ended without saying so
 * end the way it ended. On the real database; Step Functions is the recording fake.
 */
import { API, DESIGN } from '../../../guide';
import { createObserver } from '../../../functions/src/observability/observer';
import { monitorQueue, recordMaintenance } from '../../../functions/src/usecases/maintenance';
import { ENDED_BY_EXECUTION_MESSAGE } from '../../../functions/src/usecases/attempts';
import { useWiredDatabase } from '../../helpers/dependencies';
import { EXECUTION_ARN_PREFIX, ManualClock } from '../../helpers/fakes';
import { seedProcess } from '../../../harness/processes';

const ctx = useWiredDatabase();
const QUIET_S = DESIGN.queueMonitorEveryMinutes * 60;
const GRACE_S = DESIGN.reconcile.unstartedAfterSeconds;

let clock: ManualClock;
beforeEach(async () => {
  await ctx.db.pool.query('TRUNCATE processing_state');
  clock = new ManualClock();
});

const ago = (seconds: number) => new Date(clock.now().getTime() - seconds * 1000);
const arnOf = (id: string, attempt = 1) => `${EXECUTION_ARN_PREFIX}${id}-a${attempt}`;
const monitor = () =>
  monitorQueue({ store: ctx.deps.store, clock, observer: createObserver({ job: 'test' }), workflow: ctx.deps.workflowFake });

describe('queue monitor: processes whose workflow start was lost', () => {
  it(`starts a PENDING process with no recorded execution once it is older than ${GRACE_S} s, and not before`, async () => {
    // prepare
    const lost = await seedProcess(ctx.deps.store, { withExecution: false, now: ago(GRACE_S + 1) });
    const young = await seedProcess(ctx.deps.store, { withExecution: false, now: ago(GRACE_S - 1) });

    // act
    const report = await monitor();

    // assess
    expect(report.started).toEqual([lost.id]);
    expect(ctx.deps.workflowFake.starts).toEqual([
      { executionName: `${lost.id}-a1`, input: { processId: lost.id, userId: lost.userId, type: lost.type, attempt: 1 } },
    ]);
    expect(await ctx.row(lost.id)).toMatchObject({ status: 'PENDING', execution_arn: arnOf(lost.id) });
    expect(await ctx.row(young.id)).toMatchObject({ status: 'PENDING', execution_arn: null });
  });

  it('starts the new attempt of a retry whose start was lost', async () => {
    // prepare
    const failed = await seedProcess(ctx.deps.store, { status: 'FAILED', now: ago(600) });
    await ctx.deps.store.beginRetry(failed.id, failed.userId, API.retryCap, ago(GRACE_S + 1));

    // act
    const report = await monitor();

    // assess
    expect(report.started).toEqual([failed.id]);
    expect(await ctx.row(failed.id)).toMatchObject({ attempt: 2, execution_arn: arnOf(failed.id, 2) });
  });

  it('tries again on the next run when Step Functions cannot be reached', async () => {
    // prepare
    const lost = await seedProcess(ctx.deps.store, { withExecution: false, now: ago(GRACE_S + 1) });
    ctx.deps.workflowFake.failNextStarts(1);

    // act
    const first = await monitor();
    const second = await monitor();

    // assess
    expect(first).toMatchObject({ started: [], deferred: 1 });
    expect(second).toMatchObject({ started: [lost.id], deferred: 0 });
  });
});

describe('queue monitor: quiet processes whose execution is not running', () => {
  it('starts again, under the same name, an attempt whose execution Step Functions does not know', async () => {
    // prepare: the row says the execution exists; Step Functions (the local store) lost it
    const p = await seedProcess(ctx.deps.store, { status: 'PROCESSING', now: ago(QUIET_S + 1) });

    // act
    const report = await monitor();

    // assess
    expect(report.restarted).toEqual([p.id]);
    expect(ctx.deps.workflowFake.starts.map((s) => s.executionName)).toEqual([`${p.id}-a1`]);
    expect(await ctx.deps.workflowFake.describe(arnOf(p.id))).toEqual({ status: 'RUNNING' });
    expect((await ctx.row(p.id)).status).toBe('PROCESSING');
  });

  it.each([
    [{ status: 'FAILED', error: 'DatabaseError' } as const, 'FAILED', 'DATABASE_ERROR'],
    [{ status: 'TIMED_OUT', error: 'States.Timeout' } as const, 'TIMEOUT', 'TIMEOUT_ERROR'],
    [{ status: 'ABORTED' } as const, 'FAILED', 'AI_ERROR'],
  ])('ends the process when its execution ended %j without recording the outcome', async (execution, status, code) => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: 'PROCESSING', now: ago(QUIET_S + 1) });
    ctx.deps.workflowFake.setExecution(p.executionArn!, execution);

    // act
    const report = await monitor();

    // assess
    expect(report.ended).toEqual([p.id]);
    const row = await ctx.row(p.id);
    expect(row).toMatchObject({ status, error_code: code });
    expect(row.error_message).toContain(ENDED_BY_EXECUTION_MESSAGE);
    expect(ctx.deps.workflowFake.starts).toEqual([]);
  });

  it('leaves alone a quiet process whose execution is running, and one that wrote recently', async () => {
    // prepare
    const quiet = await seedProcess(ctx.deps.store, { status: 'PROCESSING', now: ago(QUIET_S + 1) });
    ctx.deps.workflowFake.setExecution(quiet.executionArn!, { status: 'RUNNING' });
    const busy = await seedProcess(ctx.deps.store, { status: 'PROCESSING', now: ago(QUIET_S - 1) });

    // act
    const report = await monitor();

    // assess
    expect(report).toMatchObject({ started: [], restarted: [], ended: [], swept: [] });
    expect((await ctx.row(quiet.id)).status).toBe('PROCESSING');
    expect((await ctx.row(busy.id)).status).toBe('PROCESSING');
  });

  it('leaves the sweeper the processes past the workflow timeout, and looks at nothing it swept', async () => {
    // prepare
    const old = await seedProcess(ctx.deps.store, {
      status: 'PROCESSING',
      now: ago(DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds + 1),
    });

    // act
    const report = await monitor();

    // assess
    expect(report).toMatchObject({ swept: [old.id], restarted: [], ended: [] });
    expect((await ctx.row(old.id)).status).toBe('TIMEOUT');
  });
});

/** The queue monitor's metrics, in the order it records them. */
function recordingObserver() {
  const recorded: { metric: string; value: number; dimension?: string }[] = [];
  const observer = createObserver({ job: 'test' });
  observer.metrics = {
    add: (metric, value) => recorded.push({ metric, value }),
    addWith: (metric, value, d) => recorded.push({ metric, value, dimension: `${d.name}=${d.value}` }),
    flush: () => undefined,
  };
  return { observer, recorded };
}

describe('queue monitor: what the alarms read', () => {
  beforeEach(async () => {
    await ctx.db.pool.query('TRUNCATE maintenance_runs');
  });

  it('publishes the oldest active age as it found it, before the sweep ends that process, and how many it swept', async () => {
    // prepare: one process past every timeout (the sweep ends it), and none other active
    const pastAll = DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds + 60;
    const old = await seedProcess(ctx.deps.store, { status: 'PROCESSING', now: ago(pastAll) });
    const { observer, recorded } = recordingObserver();

    // act
    const report = await monitorQueue({ store: ctx.deps.store, clock, observer, workflow: ctx.deps.workflowFake });

    // assess: the age the stuck-process alarm reads saw it; the swept count says it was ended
    expect(report.swept).toEqual([old.id]);
    const metrics = recorded.filter((r) => !r.dimension).map((r) => r.metric);
    expect(metrics.indexOf('oldestActiveAge')).toBeLessThan(metrics.indexOf('swept'));
    expect(recorded.find((r) => r.metric === 'oldestActiveAge')!.value).toBeGreaterThanOrEqual(pastAll);
    expect(recorded.find((r) => r.metric === 'swept')!.value).toBe(1);
  });

  it('publishes a swept count of 0 every minute, so the alarm sees data', async () => {
    const { observer, recorded } = recordingObserver();
    await monitorQueue({ store: ctx.deps.store, clock, observer, workflow: ctx.deps.workflowFake });
    expect(recorded.filter((r) => r.metric === 'swept')).toEqual([{ metric: 'swept', value: 0 }]);
  });

  it('still publishes depth and age when the sweep fails', async () => {
    const { observer, recorded } = recordingObserver();
    const store = Object.create(ctx.deps.store, {
      sweepStale: {
        value: async () => {
          throw new Error('lock timeout');
        },
      },
    });
    await monitorQueue({ store, clock, observer, workflow: ctx.deps.workflowFake });
    expect(recorded.map((r) => r.metric)).toEqual(expect.arrayContaining(['queueDepth', 'oldestActiveAge', 'swept']));
  });

  it("publishes each maintenance task's heartbeat: 0 until its due time, then the seconds past it, until a success moves it on", async () => {
    // prepare: the tasks are seen for the first time (a new stack): due at the end of their next window
    const heartbeats = ctx.deps.maintenance;
    const overdue = async () => {
      const { observer, recorded } = recordingObserver();
      await monitorQueue({ store: ctx.deps.store, clock, observer, workflow: ctx.deps.workflowFake, heartbeats });
      return Object.fromEntries(recorded.filter((r) => r.metric === 'maintenanceOverdue').map((r) => [r.dimension, r.value]));
    };

    // act + assess
    expect(await overdue()).toEqual({ 'task=weekly-maintenance': 0, 'task=monthly-maintenance': 0 });
    const [weekly] = await heartbeats.runs(['weekly-maintenance'], () => clock.now());
    clock.advance(weekly!.dueAt.getTime() - clock.now().getTime() + 600_000);
    expect((await overdue())['task=weekly-maintenance']).toBe(600);
    await recordMaintenance({ clock, observer: recordingObserver().observer, heartbeats }, 'weekly-maintenance');
    expect((await overdue())['task=weekly-maintenance']).toBe(0);
  });
});
