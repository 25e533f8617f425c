/**
 * The processing_state schema enforces the guide's lists and the contract's invariants itself,
 * whatever code writes to it.
 */
import { randomUUID } from 'node:crypto';
import { ACTIVE_STATUSES, PROCESS_ERROR_CODES, PROCESS_STATUSES, PROCESS_TYPES, TERMINAL_STATUSES } from '../../../guide';
import { createTestDatabase, type TestDatabase } from '../../../harness/test-database';
import { VALID_INPUTS } from '../../../harness/processes';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

/** Inserts a raw row; `fields` override a valid PENDING row. */
async function insert(fields: Record<string, unknown> = {}): Promise<void> {
  const row: Record<string, unknown> = {
    id: randomUUID(),
    user_id: 'u-schema',
    type: 'SUBGOAL_GENERATION',
    status: 'PENDING',
    input: JSON.stringify(VALID_INPUTS.SUBGOAL_GENERATION),
    ...fields,
  };
  const cols = Object.keys(row);
  await db.pool.query(
    `INSERT INTO processing_state (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row),
  );
}

async function violation(fields: Record<string, unknown>): Promise<{ code?: string; constraint?: string }> {
  try {
    await insert(fields);
  } catch (err) {
    return err as { code?: string; constraint?: string };
  }
  throw new Error(`The row was accepted: ${JSON.stringify(fields)}`);
}

async function constraintDef(name: string): Promise<string> {
  const { rows } = await db.pool.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'processing_state'::regclass AND conname = $1`,
    [name],
  );
  if (!rows[0]) throw new Error(`No constraint ${name}`);
  return rows[0].def;
}

async function indexDef(name: string): Promise<string> {
  const { rows } = await db.pool.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'processing_state' AND indexname = $1`, [name]);
  if (!rows[0]) throw new Error(`No index ${name}`);
  return rows[0].indexdef;
}

/** The quoted literals of a constraint or index definition, in order. */
const literals = (def: string) => [...def.matchAll(/'([A-Z_]+)'::text/g)].map((m) => m[1]);

describe('processing_state schema', () => {
  it.each([
    ['processing_state_status_check', PROCESS_STATUSES],
    ['processing_state_type_check', PROCESS_TYPES],
    ['processing_state_terminal_completed_check', TERMINAL_STATUSES],
  ])("lists exactly the guide's values in %s", async (name, expected) => {
    expect(literals(await constraintDef(name))).toEqual([...expected]);
  });

  it("lists exactly the guide's terminal statuses and process error codes in processing_state_error_check", async () => {
    // act
    const found = literals(await constraintDef('processing_state_error_check'));

    // assess
    expect(found).toEqual(['FAILED', 'TIMEOUT', ...PROCESS_ERROR_CODES]);
  });

  it.each([
    ['processing_state_active_idx', ACTIVE_STATUSES],
    ['processing_state_terminal_completed_idx', TERMINAL_STATUSES],
  ])("indexes exactly the guide's statuses in %s", async (name, expected) => {
    expect(literals(await indexDef(name))).toEqual([...expected]);
  });

  it('has a unique index on (user_id, idempotency_key) when a key is given', async () => {
    expect(await indexDef('processing_state_user_idempotency_key_idx')).toMatch(
      /UNIQUE INDEX .* \(user_id, idempotency_key\) WHERE \(idempotency_key IS NOT NULL\)/,
    );
  });

  describe.each([
    ['an unknown status', { status: 'RUNNING' }, 'processing_state_status_check'],
    ['an unknown type', { type: 'PLAN_GENERATION' }, 'processing_state_type_check'],
    ['progress 101', { progress: 101 }, 'processing_state_progress_check'],
    ['progress -1', { progress: -1 }, 'processing_state_progress_check'],
    ['a terminal status without completed_at', { status: 'COMPLETED', result: '{}' }, 'processing_state_terminal_completed_check'],
    ['an active status with completed_at', { status: 'PROCESSING', completed_at: new Date() }, 'processing_state_terminal_completed_check'],
    ['a result on a failed process', { status: 'FAILED', completed_at: new Date(), result: '{}' }, 'processing_state_result_check'],
    [
      'an error code on a completed process',
      { status: 'COMPLETED', completed_at: new Date(), error_code: 'AI_ERROR' },
      'processing_state_error_check',
    ],
    ['an unknown error code', { status: 'FAILED', completed_at: new Date(), error_code: 'OOPS' }, 'processing_state_error_check'],
    ['a negative retry count', { retry_count: -1 }, 'processing_state_retry_count_check'],
    ['attempt 0', { attempt: 0 }, 'processing_state_attempt_check'],
    ['an idempotency key without a request hash', { idempotency_key: 'k' }, 'processing_state_idempotency_check'],
  ])('a row with %s', (_name, fields, constraint) => {
    it(`is refused by ${constraint}`, async () => {
      expect(await violation(fields)).toMatchObject({ code: '23514', constraint });
    });
  });

  describe.each([
    ['progress 0', { progress: 0 }],
    ['progress 100', { progress: 100 }],
    ['a completed process with its result', { status: 'COMPLETED', progress: 100, completed_at: new Date(), result: '{"subgoals":[]}' }],
    ['a timed-out process with TIMEOUT_ERROR', { status: 'TIMEOUT', completed_at: new Date(), error_code: 'TIMEOUT_ERROR' }],
    ['a cancelled process', { status: 'CANCELLED', completed_at: new Date() }],
  ])('a row with %s', (_name, fields) => {
    it('is accepted', async () => {
      await expect(insert(fields)).resolves.toBeUndefined();
    });
  });

  it('refuses a second process of the same user under the same idempotency key', async () => {
    // prepare
    await insert({ user_id: 'u-key', idempotency_key: 'key-1', request_hash: 'h1' });

    // act
    const err = await violation({ user_id: 'u-key', idempotency_key: 'key-1', request_hash: 'h2' });

    // assess
    expect(err).toMatchObject({ code: '23505', constraint: 'processing_state_user_idempotency_key_idx' });
  });

  it('accepts the same idempotency key for another user, and any number of rows without a key', async () => {
    // prepare
    await insert({ user_id: 'u-key-a', idempotency_key: 'shared', request_hash: 'h' });

    // act + assess
    await expect(insert({ user_id: 'u-key-b', idempotency_key: 'shared', request_hash: 'h' })).resolves.toBeUndefined();
    await expect(insert({ user_id: 'u-key-a' })).resolves.toBeUndefined();
    await expect(insert({ user_id: 'u-key-a' })).resolves.toBeUndefined();
  });

  it('records the applied migration in schema_migrations', async () => {
    const { rows } = await db.pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toContain('0001_processing_state');
  });
});
