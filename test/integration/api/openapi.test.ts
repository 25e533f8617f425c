/**
 * docs/openapi.yaml against the real handlers on a real database: every route of the route
 * table, its success and every error code the document lists for it, answered for real and read
 * against the document (status, body schema, error code, headers); and the request schemas
 * accept and refuse what the handlers do.
 */
import { randomUUID } from 'node:crypto';
import { API, type FunctionKey } from '../../../guide';
import { handler as startHandler } from '../../../functions/src/handlers/async-processing-handler';
import { handler as cancelHandler } from '../../../functions/src/handlers/cancel-handler';
import { handler as retryHandler } from '../../../functions/src/handlers/retry-handler';
import { handler as statusHandler } from '../../../functions/src/handlers/status-check-handler';
import { createPool } from '../../../functions/src/state/pool';
import { ROUTES } from '../../../functions/src/http/route-table';
import { openApiDocument, statusOf } from '../../../infra/specs/openapi';
import { useWiredDatabase, wireDependencies } from '../../helpers/dependencies';
import { invoke, type ApiEventOptions, type ApiHandler, type ParsedResponse } from '../../helpers/events';
import { Contract } from '../../helpers/openapi';
import { failCurrentAttempt, newUserId, seedProcess, startBody } from '../../../harness/processes';

const ctx = useWiredDatabase();
const contract = new Contract(openApiDocument());

const HANDLERS: Partial<Record<FunctionKey, ApiHandler>> = {
  asyncProcessingHandler: startHandler,
  statusCheckHandler: statusHandler,
  retryHandler,
  cancelHandler,
};
const routeOf = (functionKey: FunctionKey) => ROUTES.find((r) => r.functionKey === functionKey)!;
const START = routeOf('asyncProcessingHandler');
const STATUS = routeOf('statusCheckHandler');
const RETRY = routeOf('retryHandler');
const CANCEL = routeOf('cancelHandler');

/** The request of a route for `processId` (the start route has none). */
function request(
  route: (typeof ROUTES)[number],
  userId: string | null,
  processId: string,
  extra: Partial<ApiEventOptions> = {},
): ApiEventOptions {
  const [method, template] = route.routeKey.split(' ') as ['GET' | 'POST', string];
  return { userId, method, path: template.replace('{processId}', processId), ...(route === START ? { body: startBody() } : {}), ...extra };
}

/** Route key → error code or success status → answered. */
const exercised = new Set<string>();

async function answer(route: (typeof ROUTES)[number], opts: ApiEventOptions): Promise<ParsedResponse> {
  const res = await invoke(HANDLERS[route.functionKey]!, opts);
  exercised.add(`${route.routeKey} ${res.body?.error?.code ?? res.statusCode}`);
  return res;
}

function expectContract(route: (typeof ROUTES)[number], res: ParsedResponse, expected: number | string): void {
  expect(typeof expected === 'number' ? res.statusCode : res.body?.error?.code).toBe(expected);
  if (typeof expected === 'string') expect(res.statusCode).toBe(statusOf(expected as never));
  expect(contract.problems(route.routeKey, res)).toEqual([]);
}

describe('docs/openapi.yaml against the handlers', () => {
  describe('successes', () => {
    it('start: 202 with Location, and Retry-After while the process is active', async () => {
      const res = await answer(START, request(START, newUserId(), ''));
      expectContract(START, res, 202);
      expect(res.headers['Retry-After']).toBeDefined();
    });

    it('status: 200 while running (with Retry-After) and once completed (with its result)', async () => {
      const running = await seedProcess(ctx.deps.store, { status: 'PROCESSING' });
      const done = await seedProcess(ctx.deps.store, { status: 'COMPLETED', type: 'TASK_GENERATION' });
      const a = await answer(STATUS, request(STATUS, running.userId, running.id));
      const b = await answer(STATUS, request(STATUS, done.userId, done.id));
      expectContract(STATUS, a, 200);
      expectContract(STATUS, b, 200);
      expect(b.body.result).not.toBeNull();
    });

    it('retry: 202 for a FAILED process', async () => {
      const p = await seedProcess(ctx.deps.store, { status: 'FAILED' });
      expectContract(RETRY, await answer(RETRY, request(RETRY, p.userId, p.id)), 202);
    });

    it('cancel: 200 for a PENDING process, and again once it is CANCELLED', async () => {
      const p = await seedProcess(ctx.deps.store, { status: 'PENDING' });
      expectContract(CANCEL, await answer(CANCEL, request(CANCEL, p.userId, p.id)), 200);
      expectContract(CANCEL, await answer(CANCEL, request(CANCEL, p.userId, p.id)), 200);
    });
  });

  describe.each([START, STATUS, RETRY, CANCEL])('errors every route answers: $routeKey', (route) => {
    const someId = () => randomUUID();

    it('UNAUTHORIZED without a token', async () => {
      expectContract(route, await answer(route, request(route, null, someId())), 'UNAUTHORIZED');
    });

    it('PAYLOAD_TOO_LARGE for a body one byte over the limit', async () => {
      const res = await answer(
        route,
        request(route, newUserId(), someId(), { body: undefined, rawBody: 'x'.repeat(API.maxBodyBytes + 1) }),
      );
      expectContract(route, res, 'PAYLOAD_TOO_LARGE');
    });

    it('VALIDATION_ERROR for a body that is not JSON', async () => {
      const res = await answer(route, request(route, newUserId(), someId(), { body: undefined, rawBody: '{"type":' }));
      expectContract(route, res, 'VALIDATION_ERROR');
    });

    it('RATE_LIMITED past the per-user limit', async () => {
      wireDependencies(ctx.db.pool, { rateLimit: { requests: 1, windowSeconds: 60 } });
      const userId = newUserId();
      await answer(route, request(route, userId, someId()));
      expectContract(route, await answer(route, request(route, userId, someId())), 'RATE_LIMITED');
    });

    it('SERVICE_UNAVAILABLE when the database cannot be reached', async () => {
      const pool = createPool({ connectionString: 'postgres://app:secret@127.0.0.1:1/app', connectionTimeoutMillis: 1000 });
      wireDependencies(pool);
      const res = await answer(route, request(route, newUserId(), someId()));
      await pool.end();
      expectContract(route, res, 'SERVICE_UNAVAILABLE');
    });

    it('INTERNAL_ERROR when a statement fails', async () => {
      const p = await seedProcess(ctx.deps.store, { status: 'FAILED' });
      // A real SQL failure: the table is gone for the duration of the request.
      await ctx.db.pool.query('ALTER TABLE processing_state RENAME TO processing_state_gone');
      try {
        expectContract(route, await answer(route, request(route, p.userId, p.id)), 'INTERNAL_ERROR');
      } finally {
        await ctx.db.pool.query('ALTER TABLE processing_state_gone RENAME TO processing_state');
      }
    });
  });

  describe.each([STATUS, RETRY, CANCEL])('errors of a route with a processId: $routeKey', (route) => {
    it('VALIDATION_ERROR for a processId that is not a UUID', async () => {
      expectContract(route, await answer(route, request(route, newUserId(), 'not-a-uuid')), 'VALIDATION_ERROR');
    });

    it("NOT_FOUND for another user's process", async () => {
      const p = await seedProcess(ctx.deps.store, { status: 'FAILED' });
      expectContract(route, await answer(route, request(route, newUserId(), p.id)), 'NOT_FOUND');
    });
  });

  describe('errors of one route', () => {
    it('start: VALIDATION_ERROR for a body that is not a start request', async () => {
      expectContract(START, await answer(START, request(START, newUserId(), '', { body: { type: 'NOPE' } })), 'VALIDATION_ERROR');
    });

    it('start: IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
      const userId = newUserId();
      const headers = { 'Idempotency-Key': `key-${randomUUID()}` };
      await answer(START, request(START, userId, '', { headers }));
      const res = await answer(START, request(START, userId, '', { headers, body: startBody('TASK_GENERATION') }));
      expectContract(START, res, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('start: SERVICE_UNAVAILABLE when Step Functions cannot be reached', async () => {
      ctx.deps.workflowFake.failNextStarts();
      expectContract(START, await answer(START, request(START, newUserId(), '')), 'SERVICE_UNAVAILABLE');
    });

    it('retry: INVALID_STATE for a PENDING process, RETRY_LIMIT_EXCEEDED past the cap', async () => {
      const pending = await seedProcess(ctx.deps.store, { status: 'PENDING' });
      expectContract(RETRY, await answer(RETRY, request(RETRY, pending.userId, pending.id)), 'INVALID_STATE');
      const p = await seedProcess(ctx.deps.store, { status: 'FAILED' });
      for (let i = 0; i < API.retryCap; i++) {
        await answer(RETRY, request(RETRY, p.userId, p.id));
        await failCurrentAttempt(ctx.deps.store, p.id);
      }
      expectContract(RETRY, await answer(RETRY, request(RETRY, p.userId, p.id)), 'RETRY_LIMIT_EXCEEDED');
    });

    it('cancel: INVALID_STATE for a COMPLETED process', async () => {
      const p = await seedProcess(ctx.deps.store, { status: 'COMPLETED' });
      expectContract(CANCEL, await answer(CANCEL, request(CANCEL, p.userId, p.id)), 'INVALID_STATE');
    });
  });

  it('fails a response that breaks the document', async () => {
    const good = await answer(START, request(START, newUserId(), ''));
    const { Location: _location, ...withoutLocation } = good.headers;
    expect(contract.problems(START.routeKey, { ...good, headers: withoutLocation })).toEqual(['required header location is missing']);
    expect(contract.problems(START.routeKey, { ...good, body: { ...good.body, owner: 'someone' } })).toContain(
      'body must NOT have additional properties',
    );
    expect(contract.problems(START.routeKey, { ...good, headers: { ...good.headers, 'X-Debug': '1' } })).toEqual([
      'header X-Debug is not documented for 202',
    ]);
    expect(contract.problems(START.routeKey, { ...good, statusCode: 200 })).toEqual([
      'status 200 is not documented for POST /v1/processes',
    ]);
    const conflict = { statusCode: 409, headers: {}, body: { error: { code: 'INVALID_STATE', message: 'x', requestId: 'r' } } };
    expect(contract.problems(RETRY.routeKey, conflict)).toEqual([]);
    expect(contract.problems(RETRY.routeKey, { ...conflict, body: { error: { ...conflict.body.error, code: 'NOT_FOUND' } } })).not.toEqual(
      [],
    );
  });

  it('answered, for real, every response the document lists', () => {
    const documented = ROUTES.flatMap((r) => {
      const op = contract.operation(r.routeKey);
      const successes = Object.keys(op.responses)
        .filter((s) => Number(s) < 400)
        .map((s) => `${r.routeKey} ${s}`);
      return [...successes, ...[...contract.errorCodes(r.routeKey).values()].flat().map((code) => `${r.routeKey} ${code}`)];
    });
    expect(documented.filter((d) => !exercised.has(d))).toEqual([]);
    expect([...exercised].filter((e) => !documented.includes(e))).toEqual([]);
  });
});

describe('the request schemas of docs/openapi.yaml', () => {
  const startVerdict = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await invoke(startHandler, { userId: newUserId(), path: `${API.basePath}/processes`, body, headers });
    return res.statusCode === 202 ? 'accepted' : res.statusCode === 400 ? 'refused' : `answered ${res.statusCode}`;
  };
  const documentVerdict = (ok: boolean) => (ok ? 'accepted' : 'refused');
  const goal = { title: 'Run a marathon' };

  it.each([
    ['every type with its input', startBody('SUBGOAL_GENERATION')],
    ['ACTION_GENERATION', startBody('ACTION_GENERATION')],
    ['TASK_GENERATION', startBody('TASK_GENERATION')],
    [
      'a goal with every field',
      { type: 'SUBGOAL_GENERATION', input: { goal: { title: 'x', description: 'd'.repeat(2000), deadline: '2030-12-31' } } },
    ],
    ['a title of 200 characters', { type: 'SUBGOAL_GENERATION', input: { goal: { title: 't'.repeat(200) } } }],
    ['a title of 201 characters', { type: 'SUBGOAL_GENERATION', input: { goal: { title: 't'.repeat(201) } } }],
    ['an empty title', { type: 'SUBGOAL_GENERATION', input: { goal: { title: '' } } }],
    ['a description over 2000 characters', { type: 'SUBGOAL_GENERATION', input: { goal: { title: 'x', description: 'd'.repeat(2001) } } }],
    ['a deadline that is not a date', { type: 'SUBGOAL_GENERATION', input: { goal: { ...goal, deadline: 'next year' } } }],
    ['an unknown type', { type: 'PLAN_GENERATION', input: { goal } }],
    ['the input of another type', { type: 'TASK_GENERATION', input: { goal } }],
    ['an unknown field', { type: 'SUBGOAL_GENERATION', input: { goal }, priority: 'high' }],
    ['an unknown field in the input', { type: 'SUBGOAL_GENERATION', input: { goal: { ...goal, colour: 'red' } } }],
    ['an action kind outside execution/habit', { type: 'TASK_GENERATION', input: { action: { title: 'x', kind: 'chore' } } }],
    ['no input', { type: 'SUBGOAL_GENERATION' }],
    ['not an object', ['SUBGOAL_GENERATION']],
  ])('agree on %s', async (_name, body) => {
    expect(documentVerdict(contract.acceptsBody(START.routeKey, body))).toBe(await startVerdict(body));
  });

  it.each([
    ['a title of spaces only (trimmed before its length is checked)', { type: 'SUBGOAL_GENERATION', input: { goal: { title: '   ' } } }],
    ['an impossible calendar date', { type: 'SUBGOAL_GENERATION', input: { goal: { ...goal, deadline: '2030-02-30' } } }],
  ])('leave to words what JSON Schema cannot say: %s is refused by the API and the schema says so', async (_name, body) => {
    expect(await startVerdict(body)).toBe('refused');
    expect(contract.acceptsBody(START.routeKey, body)).toBe(true);
    expect((contract.doc.components.schemas as Record<string, { description?: string }>).StartRequest!.description).toMatch(
      /trimmed.*real calendar date/,
    );
  });

  it.each([
    ['a UUID-like key', `key-${randomUUID()}`],
    ['255 visible characters', 'k'.repeat(255)],
    ['256 characters', 'k'.repeat(256)],
    ['a key with a space', 'my key'],
    ['a key with a non-ASCII character', 'clé'],
  ])('agree on an Idempotency-Key of %s', async (_name, key) => {
    const verdict = await startVerdict(startBody(), { 'Idempotency-Key': key });
    expect(documentVerdict(contract.acceptsParameter(START.routeKey, 'Idempotency-Key', key))).toBe(verdict);
  });

  it.each([
    ['a UUID', randomUUID(), 'not refused'],
    ['a UUID in capitals', randomUUID().toUpperCase(), 'not refused'],
    ['not a UUID', 'process-1', 'refused'],
  ])('agree on a processId that is %s', async (_name, id, expected) => {
    const res = await invoke(statusHandler, { userId: newUserId(), method: 'GET', path: `${API.basePath}/processes/${id}` });
    expect(res.statusCode === 400 ? 'refused' : 'not refused').toBe(expected);
    expect(contract.acceptsParameter(STATUS.routeKey, 'processId', id) ? 'not refused' : 'refused').toBe(expected);
  });
});
