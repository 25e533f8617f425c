/** Security baseline: nothing public (Lambda, SNS, S3), no secret in a function's environment, supported runtimes, MFA, `protect` on state. */
import { runPolicies } from '../../../policies/lib/engine';
import { policyNamed } from '../../../policies/rules';
import { RUNTIME_DEPRECATION } from '../../../policies/rules/security/runtimes';
import { ACCOUNT, T, bucketSet, cluster, lambdaFunction, policyDocument, userPool } from './helpers/happy-path';
import { computed, mutate, resource, violations } from './helpers/policy-harness';

describe('lambda-not-public', () => {
  const permission = () => ({
    action: 'lambda:InvokeFunction',
    principal: 'apigateway.amazonaws.com',
    function: 'async-processing-handler',
    sourceArn: computed(`arn:aws:execute-api:ap-northeast-1:${ACCOUNT}:api1/*/POST/v1/processes`),
  });

  it('passes API Gateway invoking from its own API, and a function URL behind IAM', async () => {
    expect(
      await violations('lambda-not-public', [
        resource(T.permission, permission(), 'invoke'),
        resource(T.functionUrl, { functionName: 'queue-monitor', authorizationType: 'AWS_IAM' }, 'url'),
      ]),
    ).toEqual([]);
  });

  it('fails a public function URL', async () => {
    expect(
      await violations(
        'lambda-not-public',
        resource(T.functionUrl, { functionName: 'status-check-handler', authorizationType: 'NONE' }, 'url'),
      ),
    ).toEqual([
      'Function URL "url" of status-check-handler has authorization NONE: anyone on the internet can invoke it, past the JWT authorizer and WAF; set authorizationType AWS_IAM or remove it.',
    ]);
  });

  it('fails a permission without a source, one for any source, and one for anyone', async () => {
    expect(
      await violations('lambda-not-public', [
        resource(T.permission, mutate(permission(), 'sourceArn', undefined), 'no-source'),
        resource(T.permission, mutate(permission(), 'sourceArn', 'arn:aws:execute-api:ap-northeast-1:*:*'), 'any-source'),
        resource(T.permission, mutate(permission(), 'principal', '*'), 'anyone'),
      ]),
    ).toEqual([
      'Lambda permission "no-source" lets apigateway.amazonaws.com invoke the function on behalf of any account: set sourceArn to the calling resource\'s ARN.',
      'Lambda permission "any-source" lets apigateway.amazonaws.com invoke the function from "arn:aws:execute-api:ap-northeast-1:*:*", which names no single resource of one account: set sourceArn to the calling resource\'s ARN.',
      'Lambda permission "anyone" lets anyone (principal "*") lambda:InvokeFunction: name the service or account that calls the function.',
    ]);
  });
});

describe('sns-topic-not-public', () => {
  const topicPolicy = (statement: object) =>
    resource(T.topicPolicy, { arn: computed('arn:aws:sns:x'), policy: policyDocument(statement) }, 'critical-policy');
  const publish = {
    Sid: 'Alarms',
    Effect: 'Allow',
    Principal: { Service: ['cloudwatch.amazonaws.com'] },
    Action: 'sns:Publish',
    Resource: 'arn:aws:sns:ap-northeast-1:111122223333:critical',
  };

  it('passes alarms of this account publishing', async () => {
    expect(
      await violations('sns-topic-not-public', topicPolicy({ ...publish, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } })),
    ).toEqual([]);
  });

  it('fails a policy open to anyone', async () => {
    expect(await violations('sns-topic-not-public', topicPolicy({ ...publish, Sid: 'Anyone', Principal: '*' }))).toEqual([
      'Topic policy "critical-policy" statement "Anyone" lets anyone (Principal "*") sns:Publish with no condition naming who (aws:PrincipalOrgID, aws:SourceArn, aws:SourceAccount, …).',
    ]);
  });

  it('fails a subscription over plain HTTP', async () => {
    expect(
      await violations(
        'sns-topic-not-public',
        resource(T.subscription, { topic: computed('arn:aws:sns:x'), protocol: 'http', endpoint: 'http://hooks.example.com/' }, 'hook'),
      ),
    ).toEqual(['Topic subscription "hook" delivers alerts over plain HTTP: use an https endpoint.']);
  });

  it('fails a service publishing for any account', async () => {
    expect(await violations('sns-topic-not-public', topicPolicy(publish))).toEqual([
      'Topic policy "critical-policy" statement "Alarms" lets cloudwatch.amazonaws.com sns:Publish on behalf of any account: add a condition on aws:SourceArn or aws:SourceAccount.',
    ]);
  });
});

describe('s3-not-public (stack)', () => {
  it('passes a blocked bucket read by one distribution (its policy unknown at preview)', async () => {
    expect(await violations('s3-not-public', bucketSet().all)).toEqual([]);
  });

  it('fails a bucket without a public access block', async () => {
    const set = bucketSet();
    expect(await violations('s3-not-public', [set.bucket])).toEqual([
      'S3 bucket "site" has no public access block: add an aws.s3.BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets true.',
    ]);
  });

  it('fails a public access block with a setting off', async () => {
    const set = bucketSet();
    const block = resource(T.publicAccessBlock, { ...set.block.inputs, restrictPublicBuckets: false }, 'site-private', {
      deps: { bucket: [set.bucket] },
    });
    expect(await violations('s3-not-public', [set.bucket, block])).toEqual([
      'S3 bucket "site" public access block leaves restrictPublicBuckets off: set all four true.',
    ]);
  });

  it('fails a public bucket policy, and a public ACL', async () => {
    const set = bucketSet();
    const policy = resource(
      T.bucketPolicy,
      {
        bucket: 'site',
        policy: policyDocument({ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }),
      },
      'site-policy',
    );
    const acl = resource(T.bucketAcl, { bucket: 'site', acl: 'public-read' }, 'site-acl');
    expect(await violations('s3-not-public', [set.bucket, set.block, policy, acl])).toEqual([
      'Bucket policy of S3 bucket "site" statement "Public" lets anyone (Principal "*") s3:GetObject with no condition naming who (aws:PrincipalOrgID, aws:SourceArn, aws:SourceAccount, …).',
      'Bucket ACL "site-acl" grants public-read: use bucket policies and keep objects private (BucketOwnerEnforced).',
    ]);
  });
});

describe('lambda-env-no-secrets', () => {
  it('passes a secret passed by its ARN (computed at preview)', async () => {
    expect(await violations('lambda-env-no-secrets', resource(T.function, lambdaFunction()))).toEqual([]);
  });

  it('fails a password in the environment, whatever its value', async () => {
    expect(
      await violations(
        'lambda-env-no-secrets',
        resource(T.function, mutate(lambdaFunction(), 'environment.variables.DB_PASSWORD', 'hunter2hunter2')),
      ),
    ).toEqual([
      'Lambda "async-processing-handler" passes a secret in environment variable DB_PASSWORD: keep it in Secrets Manager and pass its ARN instead (e.g. DB_PASSWORD_SECRET_ARN).',
    ]);
  });

  it('fails a value that is a secret whatever the variable is called', async () => {
    const fn = mutate(lambdaFunction(), 'environment.variables.DATABASE_URL', 'postgres://aip_admin:s3cret@db.example.com:5432/aip');
    expect(await violations('lambda-env-no-secrets', resource(T.function, fn))).toEqual([
      'Lambda "async-processing-handler" has a URL with a password in it in environment variable DATABASE_URL: keep it in Secrets Manager and pass the secret\'s ARN.',
    ]);
  });
});

describe('lambda-env-no-secrets: values that are secrets', () => {
  it.each([
    ['SLACK_WEBHOOK_URL', 'https://hooks.slack.com/services/T0000/B0000/abcdefghijklmnop', 'a Slack webhook URL'],
    ['ALERT_HOOK', 'https://events.pagerduty.com/integration/abcdef0123456789/enqueue', 'a PagerDuty integration URL'],
    ['REPORT_URL', 'https://reports.example.com/upload?token=abcdef0123456789', 'a URL with a credential in its query'],
    ['AWS_KEY_ID', 'AKIAABCDEFGHIJKLMNOP', 'an AWS access key id'],
  ])('fails %s', async (key, value, what) => {
    expect(
      await violations('lambda-env-no-secrets', resource(T.function, mutate(lambdaFunction(), `environment.variables.${key}`, value))),
    ).toEqual([
      `Lambda "async-processing-handler" has ${what} in environment variable ${key}: keep it in Secrets Manager and pass the secret's ARN.`,
    ]);
  });

  it('fails a short secret name (DB_PASS)', async () => {
    expect(
      await violations('lambda-env-no-secrets', resource(T.function, mutate(lambdaFunction(), 'environment.variables.DB_PASS', 'x'))),
    ).toEqual([
      'Lambda "async-processing-handler" passes a secret in environment variable DB_PASS: keep it in Secrets Manager and pass its ARN instead (e.g. DB_PASS_SECRET_ARN).',
    ]);
  });
});

describe('lambda-runtime-supported', () => {
  it("passes the program's runtime", async () => {
    expect(await violations('lambda-runtime-supported', resource(T.function, lambdaFunction()))).toEqual([]);
  });

  it('fails a deprecated runtime', async () => {
    expect(await violations('lambda-runtime-supported', resource(T.function, mutate(lambdaFunction(), 'runtime', 'nodejs16.x')))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Lambda "async-processing-handler" runs on nodejs16\\.x, deprecated by AWS since ${RUNTIME_DEPRECATION['nodejs16.x']}: move to a supported runtime \\(nodejs`,
        ),
      ),
    ]);
  });

  it('fails a runtime the pack does not know', async () => {
    expect(await violations('lambda-runtime-supported', resource(T.function, mutate(lambdaFunction(), 'runtime', 'nodejs99.x')))).toEqual([
      'Lambda "async-processing-handler" runs on nodejs99.x, which is not a Lambda runtime this pack knows: use a supported one, or add it with its deprecation date to policies/rules/security/runtimes.ts.',
    ]);
  });
});

describe('cognito-mfa', () => {
  it('passes MFA offered with an authenticator app', async () => {
    expect(await violations('cognito-mfa', resource(T.userPool, userPool()))).toEqual([]);
  });

  it('fails MFA turned off', async () => {
    expect(await violations('cognito-mfa', resource(T.userPool, mutate(userPool(), 'mfaConfiguration', 'OFF')))).toEqual([
      'Cognito user pool "users" has MFA OFF; this stack requires at least OPTIONAL: set mfaConfiguration OPTIONAL with softwareTokenMfaConfiguration { enabled: true }.',
    ]);
  });

  it('fails optional MFA where the stack requires it, and MFA without a factor', async () => {
    expect(await violations('cognito-mfa', resource(T.userPool, userPool()), { minimum: 'ON' })).toEqual([
      'Cognito user pool "users" has MFA OPTIONAL; this stack requires at least ON: set mfaConfiguration ON with softwareTokenMfaConfiguration { enabled: true }.',
    ]);
    expect(await violations('cognito-mfa', resource(T.userPool, mutate(userPool(), 'softwareTokenMfaConfiguration', undefined)))).toEqual([
      'Cognito user pool "users" has MFA OPTIONAL but no second factor to use: set softwareTokenMfaConfiguration { enabled: true }.',
    ]);
  });
});

describe('protect-stateful', () => {
  it('passes a protected database and ignores stateless resources', async () => {
    expect(
      await violations('protect-stateful', [
        resource(T.cluster, cluster(), 'database-cluster', { protect: true }),
        resource(T.function, lambdaFunction()),
      ]),
    ).toEqual([]);
  });

  it('fails a user pool and a bucket without protect', async () => {
    expect(await violations('protect-stateful', [resource(T.userPool, userPool(), 'api-users'), bucketSet('archive').bucket])).toEqual([
      'UserPool "api-users" holds state but is not protected: add `protect: true` to its resource options (for prod).',
      'Bucket "archive" holds state but is not protected: add `protect: true` to its resource options (for prod).',
    ]);
  });

  it('checks only the configured types, and nothing where disabled (dev)', async () => {
    const pool = resource(T.userPool, userPool(), 'api-users');
    expect(await violations('protect-stateful', pool, { resourceTypes: ['aws:rds/cluster:Cluster'] })).toEqual([]);
    expect(await runPolicies([policyNamed('protect-stateful')], [pool], { 'protect-stateful': 'disabled' })).toEqual([]);
  });
});
