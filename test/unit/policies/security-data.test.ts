/** Security baseline: encryption at rest, the database off the internet, secrets rotation, tracing. */
import { T, cluster, lambdaFunction, logGroup, stateMachine } from './helpers/happy-path';
import { mutate, resource, violations } from './helpers/policy-harness';

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
  const topic = () => ({ name: 'alerts', kmsMasterKeyId: 'arn:aws:kms:ap-northeast-1:111122223333:key/k' });

  it('passes a KMS-encrypted topic', async () => {
    expect(await violations('sns-encrypted', resource(T.topic, topic()))).toEqual([]);
  });

  it('fails a plain topic', async () => {
    expect(await violations('sns-encrypted', resource(T.topic, mutate(topic(), 'kmsMasterKeyId', undefined)))).toEqual([
      'SNS topic "alerts" is not encrypted at rest (no kmsMasterKeyId).',
    ]);
  });
});

describe('log-group-encryption', () => {
  const keyArn = 'arn:aws:kms:ap-northeast-1:111122223333:key/1234';

  it('passes service encryption by default, and a key ARN', async () => {
    expect(await violations('log-group-encryption', [resource(T.logGroup, logGroup()), resource(T.logGroup, { ...logGroup(), kmsKeyId: keyArn })])).toEqual([]);
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
  const fromLambdas = () => ({ securityGroupId: 'sg-db', ipProtocol: 'tcp', fromPort: 5432, toPort: 5432, referencedSecurityGroupId: 'sg-lambda' });

  it('passes a private instance reached from the functions\' security group', async () => {
    expect(await violations('database-not-public', [resource(T.clusterInstance, instance()), resource(T.ingressRule, fromLambdas())])).toEqual([]);
  });

  it('fails a publicly accessible instance', async () => {
    expect(await violations('database-not-public', resource(T.clusterInstance, mutate(instance(), 'publiclyAccessible', true)))).toEqual([
      'Database instance "db-1" is publicly accessible.',
    ]);
  });

  it('fails the database port open to the internet', async () => {
    const open = { ...fromLambdas(), referencedSecurityGroupId: undefined, cidrIpv4: '0.0.0.0/0' };
    expect(await violations('database-not-public', resource(T.ingressRule, open, 'db-open'))).toEqual(['Ingress rule "db-open" opens tcp/5432 to 0.0.0.0/0.']);
    const all = { type: 'ingress', protocol: '-1', fromPort: 0, toPort: 0, ipv6CidrBlocks: ['::/0'], securityGroupId: 'sg-db' };
    expect(await violations('database-not-public', resource(T.sgRule, all, 'all-open'))).toEqual(['Ingress rule "all-open" opens tcp/5432 to ::/0.']);
  });
});

describe('secrets-rotation (stack)', () => {
  const secretArn = 'arn:aws:secretsmanager:ap-northeast-1:111122223333:secret:api-key-AbC';
  const secret = () => resource(T.secret, { name: 'api-key', arn: secretArn });
  const rotation = (days: number) => resource(T.rotation, { secretId: secretArn, rotationRules: { automaticallyAfterDays: days } });

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
    expect(await violations('step-functions-xray', resource(T.stateMachine, mutate(stateMachine(), 'tracingConfiguration.enabled', false)))).toEqual([
      'State machine "AIGenerationStateMachine" does not trace with X-Ray (tracingConfiguration.enabled).',
    ]);
  });
});
