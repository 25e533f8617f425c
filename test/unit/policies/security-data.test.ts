/** Security baseline: encryption at rest and key rotation, the database's TLS, auth and logs, the network, secrets rotation, tracing. */
import { T, auroraSet, cluster, lambdaFunction, logGroup, policyDocument, stateMachine } from './helpers/happy-path';
import { computed, mutate, resource, violations } from './helpers/policy-harness';

describe('aurora-encrypted', () => {
  it('passes an encrypted cluster', async () => {
    expect(await violations('aurora-encrypted', resource(T.cluster, cluster()))).toEqual([]);
  });

  it('fails an unencrypted one', async () => {
    expect(await violations('aurora-encrypted', resource(T.cluster, mutate(cluster(), 'storageEncrypted', undefined)))).toEqual([
      'Aurora cluster "async-ai-pipeline-prod" is not encrypted at rest (storageEncrypted).',
    ]);
  });
});

describe('sns-encrypted', () => {
  const topic = () => ({ name: 'alerts', kmsMasterKeyId: computed('arn:aws:kms:ap-northeast-1:111122223333:key/k') });

  it("passes a topic encrypted with the stack's key (unknown at preview)", async () => {
    expect(await violations('sns-encrypted', resource(T.topic, topic()))).toEqual([]);
  });

  it('fails a plain topic', async () => {
    expect(await violations('sns-encrypted', resource(T.topic, mutate(topic(), 'kmsMasterKeyId', undefined)))).toEqual([
      'SNS topic "alerts" is not encrypted at rest: set kmsMasterKeyId to a customer-managed KMS key.',
    ]);
  });

  it('fails the AWS-managed SNS key, which alarms cannot publish with', async () => {
    expect(await violations('sns-encrypted', resource(T.topic, mutate(topic(), 'kmsMasterKeyId', 'alias/aws/sns')))).toEqual([
      'SNS topic "alerts" is encrypted with the AWS-managed key alias/aws/sns, whose policy lets neither CloudWatch alarms nor Budgets publish: use a customer-managed key that allows them.',
    ]);
  });
});

describe('kms-key-rotation', () => {
  const key = () => ({
    description: 'alerts',
    enableKeyRotation: true,
    policy: policyDocument({
      Sid: 'Account',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'kms:*',
      Resource: '*',
    }),
  });

  it('passes a rotating key administered by its account', async () => {
    expect(await violations('kms-key-rotation', resource(T.kmsKey, key()))).toEqual([]);
  });

  it('fails a key that never rotates', async () => {
    expect(await violations('kms-key-rotation', resource(T.kmsKey, mutate(key(), 'enableKeyRotation', undefined)))).toEqual([
      'KMS key "alerts" never rotates its key material: set enableKeyRotation true (yearly by default).',
    ]);
  });

  it('fails a key policy open to anyone', async () => {
    const open = {
      ...key(),
      policy: policyDocument({ Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }),
    };
    expect(await violations('kms-key-rotation', resource(T.kmsKey, open))).toEqual([
      'KMS key "alerts" key policy statement "Anyone" lets anyone (Principal "*") kms:Decrypt with no condition naming who (aws:PrincipalOrgID, aws:SourceArn, aws:SourceAccount, …).',
    ]);
  });
});

describe('aurora-tls-iam-logs (stack)', () => {
  it('passes IAM authentication, forced TLS and the PostgreSQL log export', async () => {
    expect(await violations('aurora-tls-iam-logs', auroraSet().all)).toEqual([]);
  });

  it('fails a parameter group that no longer forces TLS', async () => {
    const set = auroraSet();
    const params = resource(T.parameterGroup, { ...set.params.inputs, parameters: [{ name: 'rds.force_ssl', value: '0' }] }, 'params');
    const db = resource(T.cluster, cluster(), 'cluster', { deps: { dbClusterParameterGroupName: [params] } });
    expect(await violations('aurora-tls-iam-logs', [params, db])).toEqual([
      'Aurora cluster "async-ai-pipeline-prod" uses parameter group "aip-params", which does not set rds.force_ssl=1: plaintext connections would be accepted.',
    ]);
  });

  it('fails IAM authentication off and no log export', async () => {
    const set = auroraSet();
    const c = mutate(mutate(cluster(), 'iamDatabaseAuthenticationEnabled', false), 'enabledCloudwatchLogsExports', []);
    expect(
      await violations('aurora-tls-iam-logs', [
        set.params,
        resource(T.cluster, c, 'cluster', { deps: { dbClusterParameterGroupName: [set.params] } }),
      ]),
    ).toEqual([
      'Aurora cluster "async-ai-pipeline-prod" has IAM database authentication off: set iamDatabaseAuthenticationEnabled true (the functions sign in with IAM tokens).',
      'Aurora cluster "async-ai-pipeline-prod" exports no postgresql log to CloudWatch: set enabledCloudwatchLogsExports ["postgresql"].',
    ]);
  });
});

describe('rds-proxy-tls', () => {
  const proxy = () => ({
    name: 'db-proxy',
    engineFamily: 'POSTGRESQL',
    requireTls: true,
    roleArn: computed('arn:aws:iam::111122223333:role/p'),
  });

  it('passes a proxy that requires TLS', async () => {
    expect(await violations('rds-proxy-tls', resource(T.proxy, proxy()))).toEqual([]);
  });

  it('fails a proxy without TLS, and one that logs SQL', async () => {
    expect(await violations('rds-proxy-tls', resource(T.proxy, { ...proxy(), requireTls: false, debugLogging: true }))).toEqual([
      'RDS Proxy "db-proxy" accepts connections without TLS (requireTls false): set requireTls true.',
      'RDS Proxy "db-proxy" logs every SQL statement with its data (debugLogging): turn it off.',
    ]);
  });
});

describe('log-group-encryption', () => {
  const keyArn = 'arn:aws:kms:ap-northeast-1:111122223333:key/1234';

  it('passes service encryption by default, and a key ARN', async () => {
    expect(
      await violations('log-group-encryption', [
        resource(T.logGroup, logGroup()),
        resource(T.logGroup, { ...logGroup(), kmsKeyId: keyArn }),
      ]),
    ).toEqual([]);
  });

  it('fails a key named by alias', async () => {
    expect(await violations('log-group-encryption', resource(T.logGroup, { ...logGroup(), kmsKeyId: 'alias/logs' }))).toEqual([
      'Log group /aws/lambda/async-processing-handler names its KMS key "alias/logs"; CloudWatch Logs needs the key\'s ARN (arn:aws:kms:<region>:<account>:key/<id>).',
    ]);
  });

  it('fails a group without a customer key where requireKms is configured', async () => {
    expect(await violations('log-group-encryption', resource(T.logGroup, logGroup()), { requireKms: true })).toEqual([
      'Log group /aws/lambda/async-processing-handler is not encrypted with a customer-managed KMS key (kmsKeyId).',
    ]);
  });
});

describe('s3-encryption', () => {
  const sse = (sseAlgorithm: string) => ({ bucket: 'archive', rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm } }] });

  it('passes AES256 by default and aws:kms where KMS is required', async () => {
    expect(await violations('s3-encryption', resource(T.sse, sse('AES256')))).toEqual([]);
    expect(await violations('s3-encryption', resource(T.sse, sse('aws:kms')), { requireKms: true })).toEqual([]);
  });

  it('fails an unknown algorithm', async () => {
    expect(await violations('s3-encryption', resource(T.sse, sse('none')))).toEqual([
      'Encryption of S3 bucket "archive" uses "none"; expected one of AES256, aws:kms, aws:kms:dsse.',
    ]);
  });

  it('fails SSE-S3 where KMS is required', async () => {
    expect(await violations('s3-encryption', resource(T.sse, sse('AES256')), { requireKms: true })).toEqual([
      'Encryption of S3 bucket "archive" uses AES256; this stack requires a KMS key (aws:kms).',
    ]);
  });
});

describe('database-not-public', () => {
  const instance = () => ({ identifier: 'db-1', instanceClass: 'db.serverless', publiclyAccessible: false });
  const fromLambdas = () => ({
    securityGroupId: 'sg-db',
    ipProtocol: 'tcp',
    fromPort: 5432,
    toPort: 5432,
    referencedSecurityGroupId: 'sg-lambda',
  });

  it("passes a private instance reached from the functions' security group", async () => {
    expect(
      await violations('database-not-public', [resource(T.clusterInstance, instance()), resource(T.ingressRule, fromLambdas())]),
    ).toEqual([]);
  });

  it('fails a publicly accessible instance', async () => {
    expect(await violations('database-not-public', resource(T.clusterInstance, mutate(instance(), 'publiclyAccessible', true)))).toEqual([
      'Database instance "db-1" is publicly accessible: set publiclyAccessible false.',
    ]);
  });

  it('fails the database port open to the internet', async () => {
    const open = { ...fromLambdas(), referencedSecurityGroupId: undefined, cidrIpv4: '0.0.0.0/0' };
    expect(await violations('database-not-public', resource(T.ingressRule, open, 'db-open'))).toEqual([
      'Ingress rule "db-open" opens tcp/5432 to 0.0.0.0/0; the database admits the functions\' security group only (referencedSecurityGroupId).',
    ]);
    const all = { type: 'ingress', protocol: '-1', fromPort: 0, toPort: 0, ipv6CidrBlocks: ['::/0'], securityGroupId: 'sg-db' };
    expect(await violations('database-not-public', resource(T.sgRule, all, 'all-open'))).toEqual([
      'Ingress rule "all-open" opens tcp/5432 to ::/0; the database admits the functions\' security group only (referencedSecurityGroupId).',
    ]);
  });

  it("fails the database port open to a private range instead of the functions' group", async () => {
    const vpc = { ...fromLambdas(), referencedSecurityGroupId: undefined, cidrIpv4: '10.0.0.0/8' };
    expect(await violations('database-not-public', resource(T.ingressRule, vpc, 'db-vpc'))).toEqual([
      'Ingress rule "db-vpc" opens tcp/5432 to 10.0.0.0/8; the database admits the functions\' security group only (referencedSecurityGroupId).',
    ]);
  });
});

describe('no-world-ingress', () => {
  const https = () => ({
    securityGroupId: computed('sg-endpoints'),
    ipProtocol: 'tcp',
    fromPort: 443,
    toPort: 443,
    referencedSecurityGroupId: computed('sg-lambda'),
  });

  it('passes ingress from a security group', async () => {
    expect(await violations('no-world-ingress', resource(T.ingressRule, https()))).toEqual([]);
  });

  it('fails the internet on any port, whichever resource type holds the rule', async () => {
    expect(
      await violations('no-world-ingress', [
        resource(T.ingressRule, { ...https(), referencedSecurityGroupId: undefined, cidrIpv4: '0.0.0.0/0' }, 'https-open'),
        resource(
          T.securityGroup,
          { name: 'ssh', ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }] },
          'ssh',
        ),
      ]),
    ).toEqual([
      'Ingress rule "https-open" admits 0.0.0.0/0 on tcp/443: admit a security group or a narrow range instead.',
      'Security group "ssh" admits 0.0.0.0/0 on tcp/22: admit a security group or a narrow range instead.',
    ]);
  });

  it('fails a range wider than a /8, and passes a private /16', async () => {
    expect(
      await violations('no-world-ingress', [
        resource(T.ingressRule, { ...https(), referencedSecurityGroupId: undefined, cidrIpv4: '0.0.0.0/1' }, 'half'),
        resource(T.ingressRule, { ...https(), referencedSecurityGroupId: undefined, cidrIpv4: '10.50.0.0/16' }, 'vpc'),
      ]),
    ).toEqual(['Ingress rule "half" admits 0.0.0.0/1 on tcp/443: admit a security group or a narrow range instead.']);
  });
});

describe('secrets-rotation (stack)', () => {
  const secretArn = 'arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:api-key-AbC';
  const secret = () => resource(T.secret, { name: 'api-key', arn: computed(secretArn) }, 'api-key');
  const rotation = (days: number) =>
    resource(T.rotation, { secretId: computed(secretArn), rotationRules: { automaticallyAfterDays: days } }, 'rotation', {
      deps: { secretId: [secret()] },
    });

  it('passes a rotated secret and an RDS-managed master password', async () => {
    expect(await violations('secrets-rotation', [secret(), rotation(30), resource(T.cluster, cluster())])).toEqual([]);
  });

  it('fails a secret that never rotates', async () => {
    expect(await violations('secrets-rotation', [secret()])).toEqual(['Secret "api-key" never rotates: add a SecretRotation.']);
  });

  it('fails rotation slower than configured (prod 30 days), passes it where allowed (dev 90)', async () => {
    expect(await violations('secrets-rotation', [secret(), rotation(60)], { maxRotationDays: 30 })).toEqual([
      'Secret "api-key" rotates every 60 days; this stack allows at most 30.',
    ]);
    expect(await violations('secrets-rotation', [secret(), rotation(60)], { maxRotationDays: 90 })).toEqual([]);
  });

  it('fails a master password written in the program', async () => {
    const c = mutate(mutate(cluster(), 'manageMasterUserPassword', undefined), 'masterPassword', 'hunter2hunter2');
    expect(await violations('secrets-rotation', resource(T.cluster, c))).toEqual([
      'Database "async-ai-pipeline-prod" takes its master password from the program (masterPassword): set manageMasterUserPassword so RDS keeps and rotates it.',
    ]);
  });
});

describe('lambda-xray-tracing and step-functions-xray', () => {
  it('pass active tracing', async () => {
    expect(await violations('lambda-xray-tracing', resource(T.function, lambdaFunction()))).toEqual([]);
    expect(await violations('step-functions-xray', resource(T.stateMachine, stateMachine()))).toEqual([]);
  });

  it('fail a function left at PassThrough', async () => {
    expect(await violations('lambda-xray-tracing', resource(T.function, mutate(lambdaFunction(), 'tracingConfig', undefined)))).toEqual([
      'Lambda "async-processing-handler" has X-Ray tracing PassThrough; set tracingConfig.mode Active.',
    ]);
  });

  it('fail a state machine without tracing', async () => {
    expect(
      await violations('step-functions-xray', resource(T.stateMachine, mutate(stateMachine(), 'tracingConfiguration.enabled', false))),
    ).toEqual(['State machine "AIGenerationStateMachine" does not trace with X-Ray (tracingConfiguration.enabled).']);
  });
});
