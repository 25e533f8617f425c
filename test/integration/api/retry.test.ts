/** POST /v1/processes/{processId}/retry through RetryHandler, on the real database. */
import { randomUUID } from 'node:crypto';
import { API } from '../../../guide';
import { handler } from '../../../functions/src/handlers/retry-handler';
import { useWiredDatabase } from '../../helpers/dependencies';
import { invoke } from '../../helpers/events';
import { EXECUTION_ARN_PREFIX } from '../../helpers/fakes';
import { failCurrentAttempt, newUserId, seedProcess } from '../../../harness/processes';

const ctx = useWiredDatabase();

const retry = (userId: string, processId: string) => invoke(handler, { userId, path: `/v1/processes/${processId}/retry` });

describe('RetryHandler', () => {
  it.each(['FAILED', 'TIMEOUT'] as const)('answers 202 and starts attempt 2 in a new execution when the process is %s', async (s) => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: s, type: 'TASK_GENERATION' });

    // act
    const res = await retry(p.userId, p.id);

    // assess
    expect(res.statusCode).toBe(202);
    expect(res.body).toMatchObject({
      processId: p.id,
      status: 'PENDING',
      progress: 0,
      retryCount: 1,
      result: null,
      error: null,
      completedAt: null,
    });
    expect(res.headers.Location).toBe(`${API.basePath}/processes/${p.id}`);
    expect(ctx.deps.workflowFake.starts).toEqual([
      { executionName: `${p.id}-a2`, input: { processId: p.id, userId: p.userId, type: 'TASK_GENERATION', attempt: 2 } },
    ]);
    expect(await ctx.row(p.id)).toMatchObject({
      attempt: 2,
      retry_count: 1,
      execution_arn: `${EXECUTION_ARN_PREFIX}${p.id}-a2`,
      error_code: null,
    });
  });

  it.each(['PENDING', 'PROCESSING', 'COMPLETED', 'CANCELLED'] as const)(
    'answers 409 INVALID_STATE and changes nothing when the process is %s',
    async (s) => {
      // prepare
      const p = await seedProcess(ctx.deps.store, { status: s });
      const before = await ctx.row(p.id);

      // act
      const res = await retry(p.userId, p.id);

      // assess
      expect(res.statusCode).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'INVALID_STATE' });
      expect(await ctx.row(p.id)).toEqual(before);
      expect(ctx.deps.workflowFake.starts).toEqual([]);
    },
  );

  it('starts the new attempt when its start was lost and the client asks for the retry again', async () => {
    // prepare: a retry that died after the new attempt was written, before StartExecution
    const p = await seedProcess(ctx.deps.store, { status: 'FAILED', type: 'TASK_GENERATION' });
    expect(await ctx.deps.store.beginRetry(p.id, p.userId, API.retryCap, new Date())).toMatchObject({ kind: 'retried' });

    // act
    const res = await retry(p.userId, p.id);

    // assess
    expect(res.statusCode).toBe(202);
    expect(res.body).toMatchObject({ processId: p.id, status: 'PENDING', retryCount: 1 });
    expect(ctx.deps.workflowFake.starts).toEqual([
      { executionName: `${p.id}-a2`, input: { processId: p.id, userId: p.userId, type: 'TASK_GENERATION', attempt: 2 } },
    ]);
    expect(await ctx.row(p.id)).toMatchObject({ attempt: 2, retry_count: 1, execution_arn: `${EXECUTION_ARN_PREFIX}${p.id}-a2` });
  });

  it('answers 202 with the process ended as its execution ended when a concurrent retry comes after that execution already ran', async () => {
    // prepare: another retry began attempt 2 and its execution ran and ended before recording its start
    const p = await seedProcess(ctx.deps.store, { status: 'FAILED' });
    await ctx.deps.store.beginRetry(p.id, p.userId, API.retryCap, new Date());
    ctx.deps.workflowFake.setExecution(`${EXECUTION_ARN_PREFIX}${p.id}-a2`, { status: 'FAILED', error: 'ModelOutputInvalid' });

    // act
    const res = await retry(p.userId, p.id);

    // assess
    expect(res.statusCode).toBe(202);
    expect(res.body).toMatchObject({ processId: p.id, status: 'FAILED', retryCount: 1, error: { code: 'VALIDATION_ERROR' } });
    expect(ctx.deps.workflowFake.starts).toEqual([]);
  });

  it(`answers 409 RETRY_LIMIT_EXCEEDED when the process was already retried ${API.retryCap} times`, async () => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: 'FAILED' });
    for (let i = 1; i <= API.retryCap; i++) {
      const ok = await retry(p.userId, p.id);
      expect(ok).toMatchObject({ statusCode: 202, body: { retryCount: i } });
      await failCurrentAttempt(ctx.deps.store, p.id);
    }

    // act
    const res = await retry(p.userId, p.id);

    // assess
    expect(res.statusCode).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'RETRY_LIMIT_EXCEEDED' });
    expect(await ctx.row(p.id)).toMatchObject({ status: 'FAILED', retry_count: API.retryCap, attempt: API.retryCap + 1 });
    expect(ctx.deps.workflowFake.starts).toHaveLength(API.retryCap);
  });

  describe('when Step Functions cannot be reached', () => {
    it('answers 503 SERVICE_UNAVAILABLE and puts the process back exactly as it was, the retry not counted', async () => {
      // prepare
      const p = await seedProcess(ctx.deps.store, { status: 'TIMEOUT' });
      const before = await ctx.row(p.id);
      ctx.deps.workflowFake.failNextStarts(1);

      // act
      const res = await retry(p.userId, p.id);

      // assess
      expect(res.statusCode).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(Number(res.headers['Retry-After'])).toBeGreaterThan(0);
      const { updated_at: _after, ...after } = await ctx.row(p.id);
      const { updated_at: _before, ...expected } = before;
      expect(after).toEqual(expected);
    });

    it('lets the client retry again and counts only the retry that started', async () => {
      // prepare
      const p = await seedProcess(ctx.deps.store, { status: 'FAILED' });
      ctx.deps.workflowFake.failNextStarts(2);
      await retry(p.userId, p.id);
      await retry(p.userId, p.id);

      // act
      const res = await retry(p.userId, p.id);

      // assess
      expect(res).toMatchObject({ statusCode: 202, body: { retryCount: 1, status: 'PENDING' } });
      expect(await ctx.row(p.id)).toMatchObject({ attempt: 2, retry_count: 1 });
    });
  });

  it('answers 404 NOT_FOUND and changes nothing when the process belongs to another user', async () => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: 'FAILED' });
    const before = await ctx.row(p.id);

    // act
    const res = await retry(newUserId(), p.id);

    // assess
    expect(res.statusCode).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect(await ctx.row(p.id)).toEqual(before);
  });

  it('answers 404 NOT_FOUND when the process does not exist', async () => {
    expect((await retry(newUserId(), randomUUID())).statusCode).toBe(404);
  });

  it('answers 400 VALIDATION_ERROR when the process id is not a UUID', async () => {
    const res = await retry(newUserId(), 'abc');
    expect(res.statusCode).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });
});
