/** How a function's settings become its clients, without AWS. */
import { DESIGN } from '../../../../guide';
import { buildSlicePrompt } from '../../../../functions/src/ai/prompts';
import { VALID_INPUTS } from '../../../../harness/processes';
import { WORKFLOW_ERRORS } from '../../../../functions/src/domain/errors';
import { loadConfig } from '../../../../functions/src/runtime/config';
import { buildDependencies, poolConfig, type Dependencies } from '../../../../functions/src/runtime/deps';
import { modelDeadline } from '../../../../functions/src/usecases/worker';
import { startLocalBedrock, type LocalBedrock } from '../../../../local/bedrock-server';

describe('poolConfig', () => {
  const iam = {
    kind: 'iam',
    host: 'aip.cluster-abc.ap-northeast-1.rds.amazonaws.com',
    port: 5432,
    database: 'aip',
    user: 'aip_app',
  } as const;
  const saved = { ...process.env };
  beforeEach(() => {
    // Signing is local: any credentials produce a token, none is sent anywhere.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: '' });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('passes a database URL through', async () => {
    expect(await poolConfig({ kind: 'url', url: 'postgres://u:p@h/db' }, undefined)).toEqual({ connectionString: 'postgres://u:p@h/db' });
  });

  it('signs in with a fresh IAM token per connection over verified TLS when the database uses IAM auth', async () => {
    // act
    const config = await poolConfig(iam, 'ap-northeast-1');
    const password = config.password as () => Promise<string>;
    const [first, second] = [await password(), await password()];

    // assess
    expect(config).toMatchObject({ host: iam.host, port: 5432, database: 'aip', user: 'aip_app', ssl: { rejectUnauthorized: true } });
    expect(typeof config.password).toBe('function');
    expect(first.startsWith(`${iam.host}:5432/?`)).toBe(true);
    const query = new URLSearchParams(first.slice(first.indexOf('?') + 1));
    expect(query.get('Action')).toBe('connect');
    expect(query.get('DBUser')).toBe('aip_app');
    expect(query.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/ap-northeast-1\/rds-db\/aws4_request$/);
    expect(query.get('X-Amz-Expires')).toBe('900');
    expect(second).toMatch(/^aip\.cluster-abc/);
  });
});

describe("the Bedrock model client, against the step's deadline", () => {
  // A 3 s step with the SDK's default 2 attempts: the call may use the step less its outcome margin.
  const STEP_MS = 3_000;
  const BUDGET_MS = STEP_MS * (1 - DESIGN.workflow.outcomeMarginShareOfStep);
  let bedrock: LocalBedrock;
  let deps: Dependencies;
  const saved = { ...process.env };

  beforeEach(async () => {
    bedrock = await startLocalBedrock();
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    deps = await buildDependencies(
      loadConfig({
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        BEDROCK_ENDPOINT: bedrock.endpoint,
        BEDROCK_MODEL_ID: 'local-model',
        AWS_REGION: 'ap-northeast-1',
        AIP_STEP_TIMEOUT_SECONDS: String(STEP_MS / 1000),
        BEDROCK_MAX_ATTEMPTS: '2',
      }),
    );
  });
  afterEach(async () => {
    process.env = { ...saved };
    await deps.pool.end();
    await bedrock.close();
  });

  /** One model call as a step starting now makes it; resolves with how it ended and when. */
  async function call(): Promise<{ outcome: unknown; tookMs: number }> {
    const started = Date.now();
    const outcome = await deps
      .model()
      .generate(buildSlicePrompt('SUBGOAL_GENERATION', VALID_INPUTS.SUBGOAL_GENERATION, 0, []), {
        deadline: modelDeadline(started, deps.stepTimeoutMs),
      })
      .catch((err: unknown) => err);
    return { outcome, tookMs: Date.now() - started };
  }

  it('lets a slow answer use most of the step: a slice the step allows is never cut short', async () => {
    // prepare: slower than any share of the step split over the attempts, within the step's budget
    bedrock.faults.set({ mode: 'none', latencyMs: Math.round(BUDGET_MS * 0.8) });

    // act
    const { outcome } = await call();

    // assess
    expect(outcome).toEqual(expect.any(String));
    expect(bedrock.faults.calls).toBe(1);
  });

  it("gives up a call that never answers at the step's deadline, with StepTimedOut, before the step itself times out", async () => {
    // prepare
    bedrock.faults.set({ mode: 'timeout', count: 10 });

    // act
    const { outcome, tookMs } = await call();

    // assess: one attempt waited for the whole budget; none was started after it
    expect(outcome).toMatchObject({ name: WORKFLOW_ERRORS.stepTimedOut });
    expect(tookMs).toBeGreaterThanOrEqual(BUDGET_MS - 5);
    expect(tookMs).toBeLessThan(STEP_MS);
    expect(bedrock.faults.calls).toBe(1);
  });

  it('retries quick throttling within the step and then hands it to the workflow as ModelThrottled', async () => {
    // prepare
    bedrock.faults.set({ mode: 'throttle', count: 10 });

    // act
    const { outcome, tookMs } = await call();

    // assess: both SDK attempts, far inside the budget (the workflow's own retries back off from here)
    expect(outcome).toMatchObject({ name: WORKFLOW_ERRORS.modelThrottled });
    expect(bedrock.faults.calls).toBe(2);
    expect(tookMs).toBeLessThan(BUDGET_MS / 2);
  });

  it('shares the deadline between the attempts: a slow throttle and its retry outlast the step, which ends StepTimedOut', async () => {
    // prepare: each attempt waits 60 % of the budget and is then throttled
    bedrock.faults.set({ mode: 'throttle', count: 10, latencyMs: Math.round(BUDGET_MS * 0.6) });

    // act
    const { outcome, tookMs } = await call();

    // assess: the second attempt was cut at the deadline, not given a budget of its own
    expect(outcome).toMatchObject({ name: WORKFLOW_ERRORS.stepTimedOut });
    expect(bedrock.faults.calls).toBe(2);
    expect(tookMs).toBeGreaterThanOrEqual(BUDGET_MS - 5);
    expect(tookMs).toBeLessThan(STEP_MS);
  });
});
