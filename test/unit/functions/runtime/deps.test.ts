/** How a function's settings become its clients, without AWS. */
import { WORKFLOW_ERRORS } from '../../../../functions/src/domain/errors';
import { loadConfig, modelRequestTimeoutMs } from '../../../../functions/src/runtime/config';
import { buildDependencies, poolConfig } from '../../../../functions/src/runtime/deps';
import { startLocalBedrock } from '../../../../local/bedrock-server';

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

describe('the Bedrock model client', () => {
  const STEP_SECONDS = 5;

  it('fails a model call that never answers, after all SDK attempts, with ModelUnavailable before the step would time out', async () => {
    // prepare: the local Bedrock endpoint hangs on every call; a 5 s step with 2 SDK attempts (the step's
    // margin beyond the model calls' share stays above a contended machine's scheduling delays)
    const bedrock = await startLocalBedrock();
    bedrock.faults.set({ mode: 'timeout', count: 10 });
    const config = loadConfig({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      BEDROCK_ENDPOINT: bedrock.endpoint,
      BEDROCK_MODEL_ID: 'local-model',
      AWS_REGION: 'ap-northeast-1',
      AIP_STEP_TIMEOUT_SECONDS: String(STEP_SECONDS),
      BEDROCK_MAX_ATTEMPTS: '2',
    });
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    const deps = await buildDependencies(config);
    const started = Date.now();

    try {
      // act
      const call = deps.model().generate({ system: 's', prompt: 'p', maxTokens: 10 });

      // assess
      await expect(call).rejects.toMatchObject({ name: WORKFLOW_ERRORS.modelUnavailable });
      expect(Date.now() - started).toBeLessThan(STEP_SECONDS * 1000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2 * modelRequestTimeoutMs(STEP_SECONDS, 2));
      expect(bedrock.faults.calls).toBe(2);
    } finally {
      process.env = saved;
      await deps.pool.end();
      await bedrock.close();
    }
  });
});
