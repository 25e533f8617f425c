/**
 * AIGenerationWorker's handler on its own: the error names the state machine matches on, and
 * invocations the state machine can produce besides the happy path (duplicates, stale attempts).
 */
import { randomUUID } from 'node:crypto';
import { API } from '../../../guide';
import { WORKFLOW_ERRORS } from '../../../functions/src/domain/errors';
import { handler as worker, type WorkerEvent } from '../../../functions/src/handlers/ai-generation-worker';
import { createPool } from '../../../functions/src/state/pool';
import { useWiredDatabase, wireDependencies } from '../../helpers/dependencies';
import { gated, ScriptedModel } from '../../helpers/fakes';
import { seedProcess } from '../../../harness/processes';

const ctx = useWiredDatabase();

const event = (p: { id: string; userId: string; type: WorkerEvent['type'] }, action: WorkerEvent['action'], attempt = 1): WorkerEvent => ({
  action,
  processId: p.id,
  userId: p.userId,
  type: p.type,
  attempt,
});

describe('AIGenerationWorker handler', () => {
  it('throws ModelRejected, which the state machine does not retry, when the event is malformed', async () => {
    const bad = { action: 'explode', processId: randomUUID(), type: 'SUBGOAL_GENERATION', attempt: 1 } as unknown as WorkerEvent;
    await expect(worker(bad)).rejects.toMatchObject({ name: WORKFLOW_ERRORS.modelRejected });
  });

  it('throws DatabaseError, which the state machine retries, when the database cannot be reached', async () => {
    // prepare
    const pool = createPool({ connectionString: 'postgres://app:secret@127.0.0.1:1/app', connectionTimeoutMillis: 1000 });
    wireDependencies(pool);

    // act
    const attempt = worker({ action: 'begin', processId: randomUUID(), userId: 'u', type: 'TASK_GENERATION', attempt: 1 });

    // assess
    await expect(attempt).rejects.toMatchObject({ name: WORKFLOW_ERRORS.database });
    await pool.end();
  });

  it('stores a step once and lets both carry on when Lambda runs the same Generate twice at once', async () => {
    // prepare: both model calls answer only once both invocations have read the row
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const deps = wireDependencies(ctx.db.pool, { model: new ScriptedModel([gated(gate), gated(gate)]) });
    const p = await seedProcess(deps.store, { status: 'PENDING' });
    await worker(event(p, 'begin'));

    // act
    const both = Promise.all([worker(event(p, 'generate')), worker(event(p, 'generate'))]);
    while (deps.modelFake.calls.length < 2) await new Promise((r) => setTimeout(r, 5));
    open();
    const states = await both;

    // assess
    expect(states).toEqual([expect.objectContaining({ active: true, step: 1 }), expect.objectContaining({ active: true, step: 1 })]);
    expect((await deps.store.get(p.id))!.partialResult).toHaveLength(1);
  });

  it('discards a Generate of a superseded attempt without calling the model', async () => {
    // prepare: attempt 1 failed and attempt 2 is running
    const p = await seedProcess(ctx.deps.store, { status: 'FAILED' });
    await ctx.deps.store.beginRetry(p.id, p.userId, API.retryCap, new Date());
    await worker(event(p, 'begin', 2));

    // act
    const state = await worker(event(p, 'generate', 1));

    // assess
    expect(state).toEqual({ active: false, status: 'PROCESSING' });
    expect(ctx.deps.modelFake.calls).toEqual([]);
    expect((await ctx.deps.store.get(p.id))!.partialResult).toEqual([]);
  });

  it('leaves a CANCELLED process alone when MarkFailed arrives after the cancel', async () => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: 'CANCELLED' });

    // act
    const state = await worker({ ...event(p, 'fail'), status: 'FAILED', error: { Error: WORKFLOW_ERRORS.modelRejected, Cause: 'x' } });

    // assess
    expect(state).toEqual({ active: false, status: 'CANCELLED' });
    expect(await ctx.deps.store.get(p.id)).toMatchObject({ status: 'CANCELLED', errorCode: null });
  });
});
