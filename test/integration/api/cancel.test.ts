/** POST /v1/processes/{processId}/cancel through CancelHandler, on the real database. */
import { randomUUID } from 'node:crypto';
import { handler } from '../../../functions/src/handlers/cancel-handler';
import { useWiredDatabase } from '../../helpers/dependencies';
import { invoke } from '../../helpers/events';
import { newUserId, seedProcess } from '../../../harness/processes';

const ctx = useWiredDatabase();

const cancel = (userId: string, processId: string) => invoke(handler, { userId, path: `/v1/processes/${processId}/cancel` });

describe('CancelHandler', () => {
  it.each(['PENDING', 'PROCESSING'] as const)('answers 200 CANCELLED and stops the execution when the process is %s', async (s) => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: s });

    // act
    const res = await cancel(p.userId, p.id);

    // assess
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ processId: p.id, status: 'CANCELLED', completedAt: expect.any(String) });
    expect(res.headers['Retry-After']).toBeUndefined();
    expect(ctx.deps.workflowFake.stops).toEqual([{ executionArn: p.executionArn, cause: expect.any(String) }]);
    expect((await ctx.row(p.id)).status).toBe('CANCELLED');
  });

  it('answers 200 CANCELLED without calling Step Functions when no execution was recorded yet', async () => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: 'PENDING', withExecution: false });

    // act
    const res = await cancel(p.userId, p.id);

    // assess
    expect(res.body.status).toBe('CANCELLED');
    expect(ctx.deps.workflowFake.stops).toEqual([]);
  });

  it('still answers 200 CANCELLED when StopExecution fails, since the database decides', async () => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: 'PROCESSING' });
    ctx.deps.workflowFake.failNextStops(1);

    // act
    const res = await cancel(p.userId, p.id);

    // assess
    expect(res.statusCode).toBe(200);
    expect((await ctx.row(p.id)).status).toBe('CANCELLED');
  });

  it('answers 200 with the process and changes nothing when it is already CANCELLED', async () => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: 'CANCELLED' });
    const before = await ctx.row(p.id);

    // act
    const res = await cancel(p.userId, p.id);

    // assess
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ processId: p.id, status: 'CANCELLED', completedAt: before.completed_at.toISOString() });
    expect(await ctx.row(p.id)).toEqual(before);
    expect(ctx.deps.workflowFake.stops).toEqual([]);
  });

  it.each(['COMPLETED', 'FAILED', 'TIMEOUT'] as const)(
    'answers 409 INVALID_STATE and changes nothing when the process is %s',
    async (s) => {
      // prepare
      const p = await seedProcess(ctx.deps.store, { status: s });
      const before = await ctx.row(p.id);

      // act
      const res = await cancel(p.userId, p.id);

      // assess
      expect(res.statusCode).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'INVALID_STATE' });
      expect(await ctx.row(p.id)).toEqual(before);
    },
  );

  it('answers 404 NOT_FOUND and leaves the process running when it belongs to another user', async () => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: 'PROCESSING' });

    // act
    const res = await cancel(newUserId(), p.id);

    // assess
    expect(res.statusCode).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect((await ctx.row(p.id)).status).toBe('PROCESSING');
    expect(ctx.deps.workflowFake.stops).toEqual([]);
  });

  it('answers 404 NOT_FOUND when the process does not exist', async () => {
    expect((await cancel(newUserId(), randomUUID())).statusCode).toBe(404);
  });

  it('answers 400 VALIDATION_ERROR when the process id is not a UUID', async () => {
    expect((await cancel(newUserId(), 'nope')).body.error.code).toBe('VALIDATION_ERROR');
  });
});
