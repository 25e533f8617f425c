/** How a function's database settings become a `pg` pool configuration, without AWS. */
import { poolConfig } from '../../../../functions/src/runtime/deps';

describe('poolConfig', () => {
  const iam = { kind: 'iam', host: 'aip.cluster-abc.ap-northeast-1.rds.amazonaws.com', port: 5432, database: 'aip', user: 'aip_app' } as const;
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
