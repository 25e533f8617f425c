import { DESIGN } from '../../../../guide';
import { ConfigError, loadConfig, required } from '../../../../functions/src/runtime/config';

const DB_URL = { DATABASE_URL: 'postgres://app:secret@127.0.0.1:5432/app' };
const DB_IAM = { DB_HOST: 'aip.cluster-abc.ap-northeast-1.rds.amazonaws.com', DB_NAME: 'aip', DB_USER: 'aip_app', DB_IAM_AUTH: 'true' };
const DB_SECRET = {
  DB_HOST: 'aip.cluster-abc.ap-northeast-1.rds.amazonaws.com',
  DB_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db',
};

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('uses the guide-derived defaults when only a database URL is set', () => {
    // act
    const config = loadConfig({ ...DB_URL });

    // assess
    expect(config.database).toEqual({ kind: 'url', url: DB_URL.DATABASE_URL });
    expect(config.stepTimeoutMs).toBe(DESIGN.workflow.stepTimeoutSeconds * 1000);
    expect(config.stateMachineArn).toBeUndefined();
  });

  it('leaves lock waits to the server unless DB_LOCK_TIMEOUT_MS is set, and refuses one that is not a whole number of ms', () => {
    expect(loadConfig({ ...DB_URL }).lockTimeoutMs).toBeUndefined();
    expect(loadConfig({ ...DB_URL, DB_LOCK_TIMEOUT_MS: '33000' }).lockTimeoutMs).toBe(33_000);
    expect(() => loadConfig({ ...DB_URL, DB_LOCK_TIMEOUT_MS: '30s' })).toThrow(/DB_LOCK_TIMEOUT_MS="30s" must be an integer of at least 1/);
  });

  it('reads an RDS-managed secret with TLS on when DB_HOST and DB_SECRET_ARN are set', () => {
    const config = loadConfig({ ...DB_SECRET, DB_PORT: '6543' });
    expect(config.database).toEqual({
      kind: 'secret',
      host: DB_SECRET.DB_HOST,
      port: 6543,
      database: 'postgres',
      secretArn: DB_SECRET.DB_SECRET_ARN,
      ssl: true,
    });
  });

  it('signs in with IAM as DB_USER when DB_IAM_AUTH is true', () => {
    const config = loadConfig({ ...DB_IAM });
    expect(config.database).toEqual({ kind: 'iam', host: DB_IAM.DB_HOST, port: 5432, database: 'aip', user: 'aip_app' });
  });

  it('keeps the secret when DB_IAM_AUTH is false', () => {
    expect(loadConfig({ ...DB_SECRET, DB_USER: 'aip_admin', DB_IAM_AUTH: 'false' }).database.kind).toBe('secret');
  });

  it('shortens the step with AIP_STEP_TIMEOUT_SECONDS, and divides it by a compressed clock', () => {
    expect(loadConfig({ ...DB_URL, AIP_STEP_TIMEOUT_SECONDS: '2' }).stepTimeoutMs).toBe(2000);
    expect(loadConfig({ ...DB_URL, AIP_TIME_SCALE: '60' }).stepTimeoutMs).toBe((DESIGN.workflow.stepTimeoutSeconds * 1000) / 60);
  });

  describe.each([
    ['no database is configured', {}, /DATABASE_URL/],
    ['DB_HOST is set without DB_SECRET_ARN', { DB_HOST: 'db' }, /DATABASE_URL.*DB_SECRET_ARN|DB_SECRET_ARN/],
    ['DB_PORT is not a number', { ...DB_SECRET, DB_PORT: 'five' }, /^DB_PORT="five"/],
    ['DB_IAM_AUTH is not a boolean', { ...DB_IAM, DB_IAM_AUTH: 'yes' }, /^DB_IAM_AUTH="yes" is not true or false/],
    ['DB_IAM_AUTH is true without DB_USER', { ...DB_IAM, DB_USER: undefined }, /^DB_USER is not set/],
    ['DB_IAM_AUTH is true without DB_HOST', { ...DB_IAM, DB_HOST: '' }, /^DB_HOST is not set/],
    [
      'DB_IAM_AUTH is true and DB_SECRET_ARN is set',
      { ...DB_IAM, DB_SECRET_ARN: DB_SECRET.DB_SECRET_ARN },
      /^DB_IAM_AUTH=true and DB_SECRET_ARN are both set/,
    ],
    ['DB_PORT is not a number with IAM auth', { ...DB_IAM, DB_PORT: 'five' }, /^DB_PORT="five"/],
    ['AIP_STEP_TIMEOUT_SECONDS is zero', { ...DB_URL, AIP_STEP_TIMEOUT_SECONDS: '0' }, /^AIP_STEP_TIMEOUT_SECONDS="0"/],
    ['AIP_STEP_TIMEOUT_SECONDS is fractional', { ...DB_URL, AIP_STEP_TIMEOUT_SECONDS: '1.5' }, /^AIP_STEP_TIMEOUT_SECONDS="1.5"/],
    ['BEDROCK_MAX_ATTEMPTS is negative', { ...DB_URL, BEDROCK_MAX_ATTEMPTS: '-1' }, /^BEDROCK_MAX_ATTEMPTS="-1"/],
    ['SFN_ENDPOINT is not a URL', { ...DB_URL, SFN_ENDPOINT: '127.0.0.1 8083' }, /^SFN_ENDPOINT=/],
    ['BEDROCK_ENDPOINT is not a URL', { ...DB_URL, BEDROCK_ENDPOINT: '::nope' }, /^BEDROCK_ENDPOINT=/],
  ])('when %s', (_name, env, variable) => {
    it('throws a ConfigError that names the variable', () => {
      // act
      const err = configError(env);

      // assess
      expect(err.message).toMatch(variable);
      expect(err.name).toBe('ConfigError');
    });
  });
});

describe('required', () => {
  it('names the variable and the fix when the value is missing', () => {
    expect(() => required(undefined, 'STATE_MACHINE_ARN', 'set it to the ARN of AIGenerationStateMachine')).toThrow(
      new ConfigError('STATE_MACHINE_ARN is not set; set it to the ARN of AIGenerationStateMachine'),
    );
  });

  it('returns the value when it is set', () => {
    expect(required('arn:aws:states:x', 'STATE_MACHINE_ARN', 'set it')).toBe('arn:aws:states:x');
  });
});
