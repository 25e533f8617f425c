/** POST /v1/processes through AsyncProcessingHandler, on the real database, Step Functions faked. */
import { API, DESIGN, PROCESS_TYPES, type ProcessType } from '../../../guide';
import { handler } from '../../../functions/src/handlers/async-processing-handler';
import { useWiredDatabase } from '../../helpers/dependencies';
import { API_PROCESS_KEYS, invoke } from '../../helpers/events';
import { EXECUTION_ARN_PREFIX } from '../../helpers/fakes';
import { newUserId, seedProcess, startBody, VALID_INPUTS } from '../../../harness/processes';

const ctx = useWiredDatabase();

const start = (userId: string, body: unknown, headers: Record<string, string> = {}) =>
  invoke(handler, { userId, path: '/v1/processes', body, headers });
const rowsOf = async (userId: string) => (await ctx.db.pool.query('SELECT * FROM processing_state WHERE user_id = $1', [userId])).rows;

describe('AsyncProcessingHandler', () => {
  describe.each(PROCESS_TYPES)('when a valid %s request comes', (type) => {
    it('answers 202 with the PENDING process, its Location, and starts one execution', async () => {
      // prepare
      const userId = newUserId();

      // act
      const res = await start(userId, startBody(type));

      // assess
      expect(res.statusCode).toBe(202);
      expect(Object.keys(res.body).sort()).toEqual([...API_PROCESS_KEYS].sort());
      expect(res.body).toMatchObject({ type, status: 'PENDING', progress: 0, result: null, error: null, retryCount: 0, completedAt: null });
      const { processId } = res.body;
      expect(res.headers.Location).toBe(`${API.basePath}/processes/${processId}`);
      expect(res.headers['Retry-After']).toBe(String(DESIGN.statusRetryAfterSeconds));
      expect(ctx.deps.workflowFake.starts).toEqual([{ executionName: `${processId}-a1`, input: { processId, userId, type, attempt: 1 } }]);
      const [row] = await rowsOf(userId);
      expect(row).toMatchObject({
        id: processId,
        status: 'PENDING',
        attempt: 1,
        input: VALID_INPUTS[type],
        execution_arn: `${EXECUTION_ARN_PREFIX}${processId}-a1`,
      });
    });
  });

  it('returns the same process and starts nothing more when the same Idempotency-Key and body come again', async () => {
    // prepare
    const userId = newUserId();
    const first = await start(userId, startBody(), { 'Idempotency-Key': 'k-1' });

    // act: the same body with its keys in another order
    const { input, type } = startBody();
    const second = await start(userId, { input, type }, { 'idempotency-key': 'k-1' });

    // assess
    expect(second.statusCode).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(second.headers.Location).toBe(first.headers.Location);
    expect(ctx.deps.workflowFake.starts).toHaveLength(1);
    expect(await rowsOf(userId)).toHaveLength(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED and keeps the first process when the same key comes with another body', async () => {
    // prepare
    const userId = newUserId();
    await start(userId, startBody('SUBGOAL_GENERATION'), { 'Idempotency-Key': 'k-2' });

    // act
    const res = await start(userId, startBody('TASK_GENERATION'), { 'Idempotency-Key': 'k-2' });

    // assess
    expect(res.statusCode).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await rowsOf(userId)).toHaveLength(1);
    expect(ctx.deps.workflowFake.starts).toHaveLength(1);
  });

  it('creates one process and one execution when 10 duplicates arrive at once', async () => {
    // prepare
    const userId = newUserId();

    // act
    const responses = await Promise.all(Array.from({ length: 10 }, () => start(userId, startBody(), { 'Idempotency-Key': 'k-burst' })));

    // assess: a duplicate that finds no execution recorded yet starts the same name again, which Step Functions answers with the same execution
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(202));
    const [row, ...others] = await rowsOf(userId);
    expect(others).toEqual([]);
    expect(new Set(responses.map((r) => r.body.processId))).toEqual(new Set([row.id]));
    expect(new Set(ctx.deps.workflowFake.starts.map((s) => s.executionName))).toEqual(new Set([`${row.id}-a1`]));
    expect(row.execution_arn).toBe(`${EXECUTION_ARN_PREFIX}${row.id}-a1`);
  });

  describe("when the first request's workflow start was lost (it died between the insert and StartExecution)", () => {
    it('starts the workflow under the same execution name when the client sends the request again', async () => {
      // prepare: the row the first request committed, no execution recorded
      const userId = newUserId();
      const lost = await seedProcess(ctx.deps.store, { userId, withExecution: false, idempotencyKey: 'k-lost' });

      // act
      const res = await start(userId, startBody(), { 'Idempotency-Key': 'k-lost' });

      // assess
      expect(res.statusCode).toBe(202);
      expect(res.body).toMatchObject({ processId: lost.id, status: 'PENDING' });
      expect(ctx.deps.workflowFake.starts).toEqual([
        { executionName: `${lost.id}-a1`, input: { processId: lost.id, userId, type: 'SUBGOAL_GENERATION', attempt: 1 } },
      ]);
      expect(await rowsOf(userId)).toMatchObject([{ id: lost.id, execution_arn: `${EXECUTION_ARN_PREFIX}${lost.id}-a1` }]);
    });

    it('ends the process the way its execution ended when that execution ran without recording anything', async () => {
      // prepare: the execution started, could not reach the database, and ended
      const userId = newUserId();
      const lost = await seedProcess(ctx.deps.store, { userId, withExecution: false, idempotencyKey: 'k-ended' });
      ctx.deps.workflowFake.setExecution(`${EXECUTION_ARN_PREFIX}${lost.id}-a1`, { status: 'FAILED', error: 'DatabaseError' });

      // act
      const res = await start(userId, startBody(), { 'Idempotency-Key': 'k-ended' });

      // assess
      expect(res.statusCode).toBe(202);
      expect(res.body).toMatchObject({ processId: lost.id, status: 'FAILED', error: { code: 'DATABASE_ERROR' } });
      expect(ctx.deps.workflowFake.starts).toEqual([]);
    });

    it('answers 503 and keeps nothing when Step Functions cannot be reached for the repeat either', async () => {
      // prepare
      const userId = newUserId();
      await seedProcess(ctx.deps.store, { userId, withExecution: false, idempotencyKey: 'k-down' });
      ctx.deps.workflowFake.failNextStarts(1);

      // act
      const res = await start(userId, startBody(), { 'Idempotency-Key': 'k-down' });

      // assess
      expect(res.statusCode).toBe(503);
      expect(await rowsOf(userId)).toEqual([]);
    });
  });

  describe('when Step Functions cannot be reached', () => {
    it('answers 503 SERVICE_UNAVAILABLE with Retry-After and keeps no process', async () => {
      // prepare
      const userId = newUserId();
      ctx.deps.workflowFake.failNextStarts(1);

      // act
      const res = await start(userId, startBody(), { 'Idempotency-Key': 'k-503' });

      // assess
      expect(res.statusCode).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(Number(res.headers['Retry-After'])).toBeGreaterThan(0);
      expect(await rowsOf(userId)).toEqual([]);
    });

    it('starts the process when the client tries again with the same Idempotency-Key', async () => {
      // prepare
      const userId = newUserId();
      ctx.deps.workflowFake.failNextStarts(1);
      await start(userId, startBody(), { 'Idempotency-Key': 'k-again' });

      // act
      const res = await start(userId, startBody(), { 'Idempotency-Key': 'k-again' });

      // assess
      expect(res.statusCode).toBe(202);
      expect(ctx.deps.workflowFake.starts).toHaveLength(1);
      expect((await rowsOf(userId)).map((r) => r.id)).toEqual([res.body.processId]);
    });
  });

  it('answers 500 INTERNAL_ERROR and keeps no process when starting the workflow fails unexpectedly', async () => {
    // prepare
    const userId = newUserId();
    ctx.deps.workflowFake.failNextStarts(1, () => new TypeError('cannot read properties of undefined'));

    // act
    const res = await start(userId, startBody());

    // assess
    expect(res.statusCode).toBe(500);
    expect(res.body.error).toMatchObject({ code: 'INTERNAL_ERROR', message: 'An internal error occurred' });
    expect(await rowsOf(userId)).toEqual([]);
  });

  describe.each<[string, unknown]>([
    ['no body', undefined],
    ['an unknown type', { type: 'PLAN_GENERATION', input: VALID_INPUTS.SUBGOAL_GENERATION }],
    ['no input', { type: 'SUBGOAL_GENERATION' }],
    ['an input of another type', { type: 'ACTION_GENERATION', input: VALID_INPUTS.TASK_GENERATION }],
    ['an empty goal title', { type: 'SUBGOAL_GENERATION', input: { goal: { title: '' } } }],
    ['an impossible deadline', { type: 'SUBGOAL_GENERATION', input: { goal: { title: 't', deadline: '2027-13-01' } } }],
    ['an extra field', { ...startBody(), callbackUrl: 'https://example.com' }],
    ['an array body', [startBody()]],
  ])('when the request has %s', (_name, body) => {
    it('answers 400 VALIDATION_ERROR and creates nothing', async () => {
      // prepare
      const userId = newUserId();

      // act
      const res = await start(userId, body);

      // assess
      expect(res.statusCode).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', requestId: expect.any(String) });
      expect(await rowsOf(userId)).toEqual([]);
      expect(ctx.deps.workflowFake.starts).toEqual([]);
    });
  });

  it('answers 400 VALIDATION_ERROR when the body is not JSON', async () => {
    const res = await invoke(handler, { userId: newUserId(), path: '/v1/processes', rawBody: '{"type": "SUBGOAL_GENERATION", ' });
    expect(res.statusCode).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it.each([
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not visible ASCII', 'キー'],
    ['blank', ' '],
  ])('answers 400 VALIDATION_ERROR when the Idempotency-Key is %s', async (_name, key) => {
    const res = await start(newUserId(), startBody(), { 'Idempotency-Key': key });
    expect(res.statusCode).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
  });

  describe('with a body at the 16 KiB limit', () => {
    // A valid-looking body padded with a description to an exact size.
    const bodyOfSize = (bytes: number) => {
      const base = JSON.stringify({ type: 'SUBGOAL_GENERATION', input: { goal: { title: 't', description: '' } } });
      return base.replace('"description":""', `"description":"${'x'.repeat(bytes - base.length)}"`);
    };

    it('answers 413 PAYLOAD_TOO_LARGE and creates nothing when the body is one byte over', async () => {
      // prepare
      const userId = newUserId();
      const raw = bodyOfSize(API.maxBodyBytes + 1);

      // act
      const res = await invoke(handler, { userId, path: '/v1/processes', rawBody: raw });

      // assess
      expect(Buffer.byteLength(raw)).toBe(API.maxBodyBytes + 1);
      expect(res.statusCode).toBe(413);
      expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(await rowsOf(userId)).toEqual([]);
    });

    it('counts bytes, not characters, when the body is base64-encoded multi-byte text', async () => {
      // prepare: 6000 three-byte characters are 18000 bytes
      const raw = JSON.stringify({ type: 'SUBGOAL_GENERATION', input: { goal: { title: 't', description: 'あ'.repeat(6000) } } });

      // act
      const res = await invoke(handler, {
        userId: newUserId(),
        path: '/v1/processes',
        rawBody: Buffer.from(raw).toString('base64'),
        isBase64Encoded: true,
      });

      // assess
      expect(res.statusCode).toBe(413);
    });

    it('reads the body (and validates it) when it is exactly 16 KiB', async () => {
      // act
      const res = await invoke(handler, { userId: newUserId(), path: '/v1/processes', rawBody: bodyOfSize(API.maxBodyBytes) });

      // assess: too long a description for the schema, but not too large for the API
      expect(res.statusCode).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    });
  });

  describe.each([
    ['a NUL character', 'Run a marathon\u0000'],
    ['an unpaired high surrogate', 'Run a marathon \ud800'],
    ['an unpaired low surrogate', '\udc00 Run a marathon'],
  ])('when an input string holds %s', (_name, bad) => {
    const FIELDS: [string, ProcessType, Record<string, unknown>][] = [
      ['input.goal.title', 'SUBGOAL_GENERATION', { goal: { title: bad } }],
      ['input.goal.description', 'SUBGOAL_GENERATION', { goal: { title: 'Run', description: bad } }],
      ['input.subgoal.title', 'ACTION_GENERATION', { goal: { title: 'Run' }, subgoal: { title: bad } }],
      ['input.subgoal.description', 'ACTION_GENERATION', { goal: { title: 'Run' }, subgoal: { title: 'Endurance', description: bad } }],
      ['input.action.title', 'TASK_GENERATION', { action: { title: bad } }],
      ['input.action.description', 'TASK_GENERATION', { action: { title: 'Run', description: bad } }],
    ];

    it.each(FIELDS)('answers 400 VALIDATION_ERROR naming %s, and stores nothing', async (field, type, input) => {
      // prepare
      const userId = newUserId();

      // act
      const res = await start(userId, { type, input });

      // assess
      expect(res.statusCode).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.message).toContain(field);
      expect(res.body.error.message).toMatch(/NUL|surrogate/);
      expect(await rowsOf(userId)).toHaveLength(0);
    });
  });

  it('accepts and stores a title of 200 emoji (characters outside the BMP are whole pairs)', async () => {
    const userId = newUserId();

    const res = await start(userId, startBody('SUBGOAL_GENERATION', { goal: { title: '😀'.repeat(200) } }));

    expect(res.statusCode).toBe(202);
    expect((await rowsOf(userId))[0].input.goal.title).toBe('😀'.repeat(200));
  });
});
