/** RDS IAM tokens, signed here, are the tokens AWS's own signer (`@aws-sdk/rds-signer`) makes. */
import { Signer } from '@aws-sdk/rds-signer';
import { RdsIamTokens, TOKEN_LIFETIME_SECONDS } from '../../../../functions/src/adapters/rds-iam-token';
import { environmentCredentials } from '../../../../functions/src/adapters/aws-signing';

const AT = new Date('2026-11-29T03:04:05.000Z');
const TARGET = { hostname: 'aip.cluster-abc.ap-northeast-1.rds.amazonaws.com', port: 5432, username: 'aip_app', region: 'ap-northeast-1' };

describe('RdsIamTokens', () => {
  afterEach(() => jest.useRealTimers());

  it.each([
    [
      'role credentials with a session token',
      { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY', sessionToken: 'IQoJb3JpZ2luX2VjE+/=abc' },
      TARGET,
    ],
    [
      'long-term keys, another port and region',
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      { ...TARGET, port: 6543, region: 'us-east-1' },
    ],
    [
      'a user name that needs escaping',
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      { ...TARGET, username: "app user+ops/1!'()*" },
    ],
  ])('signs the same token as @aws-sdk/rds-signer for %s', async (_name, credentials, target) => {
    // prepare: both sign at the same instant
    jest.useFakeTimers({ now: AT, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const reference = new Signer({ ...target, credentials });

    // act
    const ours = await new RdsIamTokens(target, credentials).token(AT);

    // assess
    expect(ours).toBe(await reference.getAuthToken());
  });

  it('signs for 15 minutes with the connect action and the database user', async () => {
    const token = await new RdsIamTokens(TARGET, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }).token(AT);
    const query = new URLSearchParams(token.slice(token.indexOf('?') + 1));
    expect(token.startsWith(`${TARGET.hostname}:5432/?`)).toBe(true);
    expect(Object.fromEntries(query)).toMatchObject({
      Action: 'connect',
      DBUser: 'aip_app',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Date': '20261129T030405Z',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261129/ap-northeast-1/rds-db/aws4_request',
      'X-Amz-Expires': String(TOKEN_LIFETIME_SECONDS),
      'X-Amz-SignedHeaders': 'host',
    });
  });

  it('takes the execution role from the environment as Lambda sets it, and nothing when it is not set', () => {
    expect(environmentCredentials({ AWS_ACCESS_KEY_ID: 'ASIA1', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' })).toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: 's',
      sessionToken: 't',
    });
    expect(environmentCredentials({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: '' })).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 's',
    });
    expect(environmentCredentials({ AWS_ACCESS_KEY_ID: 'AKID' })).toBeUndefined();
  });
});
