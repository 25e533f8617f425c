/** GET /v1/processes/{processId} through StatusCheckHandler, on the real database. */
import { randomUUID } from 'node:crypto';
import { DESIGN } from '../../../guide';
import { handler } from '../../../functions/src/handlers/status-check-handler';
import { useWiredDatabase } from '../../helpers/dependencies';
import { API_PROCESS_KEYS, invoke } from '../../helpers/events';
import { newUserId, seedProcess, VALID_RESULTS } from '../../../harness/processes';

const ctx = useWiredDatabase();

const status = (userId: string, processId: string) => invoke(handler, { userId, method: 'GET', path: `/v1/processes/${processId}` });

describe('StatusCheckHandler', () => {
  it.each(['PENDING', 'PROCESSING'] as const)('answers 200 with Retry-After when the process is %s', async (s) => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: s });

    // act
    const res = await status(p.userId, p.id);

    // assess
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatchObject({ processId: p.id, status: s, result: null, error: null, completedAt: null });
    expect(res.headers['Retry-After']).toBe(String(DESIGN.statusRetryAfterSeconds));
  });

  it('answers 200 with the result and no Retry-After when the process is COMPLETED', async () => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: 'COMPLETED', type: 'ACTION_GENERATION' });

    // act
    const res = await status(p.userId, p.id);

    // assess
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([...API_PROCESS_KEYS].sort());
    expect(res.body).toEqual({
      processId: p.id,
      type: 'ACTION_GENERATION',
      status: 'COMPLETED',
      progress: 100,
      result: VALID_RESULTS.ACTION_GENERATION,
      error: null,
      retryCount: 0,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
      completedAt: p.completedAt!.toISOString(),
    });
    expect(res.headers['Retry-After']).toBeUndefined();
  });

  it.each([
    ['FAILED', 'AI_ERROR'],
    ['TIMEOUT', 'TIMEOUT_ERROR'],
  ] as const)('answers 200 with the error code and message when the process is %s', async (s, code) => {
    // prepare
    const p = await seedProcess(ctx.deps.store, { status: s });

    // act
    const res = await status(p.userId, p.id);

    // assess
    expect(res.body).toMatchObject({ status: s, result: null, error: { code, message: expect.any(String) } });
    expect(res.body.error.message.length).toBeGreaterThan(0);
    expect(res.headers['Retry-After']).toBeUndefined();
  });

  it('finds the process when the id is written in upper case', async () => {
    const p = await seedProcess(ctx.deps.store);
    const res = await status(p.userId, p.id.toUpperCase());
    expect(res.body.processId).toBe(p.id);
  });

  it('answers 404 NOT_FOUND, exactly as for a missing process, when the process belongs to another user', async () => {
    // prepare
    const p = await seedProcess(ctx.deps.store);

    // act
    const other = await status(newUserId(), p.id);
    const missing = await status(p.userId, randomUUID());

    // assess
    expect(other.statusCode).toBe(404);
    expect(other.body.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(other.body.error.message).toBe(missing.body.error.message);
    expect(missing.statusCode).toBe(404);
  });

  it.each(['not-a-uuid', '123', "x' OR '1'='1"])('answers 400 VALIDATION_ERROR when the process id is %s', async (id) => {
    const res = await status(newUserId(), encodeURIComponent(id));
    expect(res.statusCode).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });
});
