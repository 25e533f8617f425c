/**
 * The queue monitor's reads and writes: QueueDepth / oldest active age, and the sweeper that ends
 * attempts older than the workflow timeout (rows whose execution could not say so itself).
 */
import { DESIGN } from '../../../guide';
import { ProcessingStateService } from '../../../functions/src/state/processing-state-service';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';
import { seedProcess } from '../../../harness/processes';

const NOW = new Date('2026-11-29T03:00:00.000Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const MAX_AGE = DESIGN.workflow.workflowTimeoutSeconds + DESIGN.sweeperGraceSeconds;

let db: TestDatabase;
let store: ProcessingStateService;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new ProcessingStateService(db.pool);
});
beforeEach(() => db.pool.query('TRUNCATE processing_state'));
afterAll(() => db.drop());

describe('ProcessingStateService.queueDepth', () => {
  it('answers zeros when nothing waits or runs', async () => {
    // prepare
    await seedProcess(store, { status: 'COMPLETED', now: ago(3600) });

    // act + assess
    expect(await store.queueDepth(NOW)).toEqual({ pending: 0, processing: 0, oldestActiveAgeSeconds: 0 });
  });

  it('counts waiting and running processes and the age of the oldest when some are active', async () => {
    // prepare
    await seedProcess(store, { status: 'PENDING', now: ago(30) });
    await seedProcess(store, { status: 'PENDING', now: ago(10) });
    await seedProcess(store, { status: 'PROCESSING', now: ago(125) });
    for (const status of ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'] as const) await seedProcess(store, { status, now: ago(9999) });

    // act
    const depth = await store.queueDepth(NOW);

    // assess
    expect(depth).toEqual({ pending: 2, processing: 1, oldestActiveAgeSeconds: 125 });
  });
});

describe('ProcessingStateService.sweepStale', () => {
  it('ends TIMEOUT exactly the active attempts older than the limit and leaves the rest alone', async () => {
    // prepare
    const stalePending = await seedProcess(store, { status: 'PENDING', now: ago(MAX_AGE + 1) });
    const staleRunning = await seedProcess(store, { status: 'PROCESSING', now: ago(MAX_AGE + 600) });
    const young = await seedProcess(store, { status: 'PROCESSING', now: ago(MAX_AGE - 1) });
    const oldDone = await seedProcess(store, { status: 'COMPLETED', now: ago(MAX_AGE * 10) });
    const oldCancelled = await seedProcess(store, { status: 'CANCELLED', now: ago(MAX_AGE * 10) });

    // act
    const swept = await store.sweepStale(MAX_AGE, NOW);

    // assess
    expect(swept.map((p) => p.id).sort()).toEqual([stalePending.id, staleRunning.id].sort());
    for (const p of swept) {
      expect(p).toMatchObject({ status: 'TIMEOUT', errorCode: 'TIMEOUT_ERROR', completedAt: NOW });
    }
    expect((await store.get(young.id))?.status).toBe('PROCESSING');
    expect(await store.get(oldDone.id)).toEqual(oldDone);
    expect(await store.get(oldCancelled.id)).toEqual(oldCancelled);
  });

  it('measures a retried process from the start of its new attempt, not from its creation', async () => {
    // prepare
    const failed = await seedProcess(store, { status: 'FAILED', now: ago(MAX_AGE * 3) });
    const retry = await store.beginRetry(failed.id, failed.userId, 3, ago(60));
    expect(retry.kind).toBe('retried');

    // act
    const swept = await store.sweepStale(MAX_AGE, NOW);

    // assess
    expect(swept).toEqual([]);
    expect((await store.get(failed.id))?.status).toBe('PENDING');
  });

  it('lets a retry restart a swept process, as for any TIMEOUT', async () => {
    // prepare
    const stale = await seedProcess(store, { status: 'PROCESSING', now: ago(MAX_AGE + 5) });
    await store.sweepStale(MAX_AGE, NOW);

    // act
    const retry = await store.beginRetry(stale.id, stale.userId, 3, NOW);

    // assess
    expect(retry).toMatchObject({ kind: 'retried', process: { status: 'PENDING', attempt: 2 } });
  });
});
