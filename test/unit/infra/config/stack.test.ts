/** Stack config validation, without Pulumi: every mistake names the key and the fix. */
import { FUNCTIONS, SLO } from '../../../../guide';
import { StackConfigError, parseStackConfig, type StackConfig } from '../../../../infra/config/stack';
import { readFileSync } from 'node:fs';
import { rawStackConfig, stackConfigPath } from '../../../../infra/config/stack-file';

const P = 'async-ai-pipeline';
const WORKER_MAX = FUNCTIONS.aiGenerationWorker.reservedConcurrency.max;
const API_MAX = FUNCTIONS.asyncProcessingHandler.reservedConcurrency.max;

/** A valid dev config (as Pulumi hands it over: objects parsed, scalars as strings or numbers). */
function validRaw(): Record<string, unknown> {
  return {
    'aws:region': 'ap-northeast-1',
    [`${P}:stage`]: 'dev',
    [`${P}:bedrockModelId`]: 'anthropic.claude-3-haiku-20240307-v1:0',
    [`${P}:network`]: { cidrBlock: '10.40.0.0/16', natGateways: 'Single' },
    [`${P}:database`]: { engineVersion: '16.6', minCapacity: 0.5, maxCapacity: 2, instances: 1 },
    [`${P}:functions`]: { reservedConcurrency: { api: 5, worker: 2 } },
    [`${P}:api`]: { throttlingRateLimit: 10, throttlingBurstLimit: 20 },
  };
}

function problems(raw: Record<string, unknown>, stack = 'dev'): string[] {
  try {
    parseStackConfig(raw, stack);
  } catch (err) {
    if (err instanceof StackConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

const withPath = (path: string, value: unknown) => {
  const raw = validRaw();
  const [top, ...rest] = path.split('.');
  const key = top!.includes(':') ? top! : `${P}:${top}`;
  if (rest.length === 0) raw[key] = value;
  else {
    const obj = structuredClone((raw[key] ?? {}) as Record<string, any>);
    let cur = obj;
    for (const p of rest.slice(0, -1)) cur = cur[p] ??= {};
    if (value === undefined) delete cur[rest[rest.length - 1]!];
    else cur[rest[rest.length - 1]!] = value;
    raw[key] = obj;
  }
  return raw;
};

const DOMAIN = {
  name: 'app.example.com',
  certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/abc',
  apiName: 'api.example.com',
  apiCertificateArn: 'arn:aws:acm:ap-northeast-1:111122223333:certificate/def',
};

describe('parseStackConfig: the custom domain', () => {
  it('has none by default, and reads all four keys', () => {
    expect(parseStackConfig(validRaw(), 'dev').domain).toBeUndefined();
    expect(parseStackConfig(withPath('domain', DOMAIN), 'dev').domain).toEqual(DOMAIN);
  });

  it('names each missing key when only part of the domain is set', () => {
    expect(problems(withPath('domain', { name: DOMAIN.name, certificateArn: DOMAIN.certificateArn }))).toEqual([
      `${P}:domain.apiName is not set. Fix: pulumi config set --path domain.apiName api.example.com`,
      `${P}:domain.apiCertificateArn is not set. Fix: pulumi config set --path domain.apiCertificateArn arn:aws:acm:ap-northeast-1:111122223333:certificate/<id>`,
    ]);
  });

  it("refuses a CloudFront certificate outside us-east-1 and an API certificate outside the stack's region", () => {
    const swapped = { ...DOMAIN, certificateArn: DOMAIN.apiCertificateArn, apiCertificateArn: DOMAIN.certificateArn };
    expect(problems(withPath('domain', swapped))).toEqual([
      `${P}:domain.certificateArn must be an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>), got "${DOMAIN.apiCertificateArn}". Fix: pulumi config set --path domain.certificateArn arn:aws:acm:us-east-1:111122223333:certificate/<id>`,
      `${P}:domain.apiCertificateArn must be an ACM certificate ARN in ap-northeast-1 (arn:aws:acm:ap-northeast-1:<account>:certificate/<id>), got "${DOMAIN.certificateArn}". Fix: pulumi config set --path domain.apiCertificateArn arn:aws:acm:ap-northeast-1:111122223333:certificate/<id>`,
    ]);
  });

  it('refuses a name that is not a DNS name, and one name for both', () => {
    expect(problems(withPath('domain', { ...DOMAIN, name: 'https://App.example.com' }))).toEqual([
      `${P}:domain.name must be a lower-case DNS name such as app.example.com, got "https://App.example.com". Fix: pulumi config set --path domain.name app.example.com`,
    ]);
    expect(problems(withPath('domain', { ...DOMAIN, apiName: DOMAIN.name }))).toEqual([
      `${P}:domain.apiName is the same as domain.name (app.example.com): the API needs a name of its own, CloudFront's origin. Fix: pulumi config set --path domain.apiName api.app.example.com`,
    ]);
  });
});

describe('parseStackConfig', () => {
  it('applies the documented defaults when optional keys are unset', () => {
    const c = parseStackConfig(validRaw(), 'dev');
    expect(c.network).toMatchObject({ availabilityZones: 2, interfaceEndpoints: [] });
    expect(c.database.rdsProxy).toBe(false);
    expect(c.functions.provisionedConcurrency).toEqual({ api: 0, worker: 0 });
    expect(c.priceClass).toBe('PriceClass_200');
    expect(c.api.jwt).toBeUndefined();
    expect(c.monitoringPrincipalArns).toEqual([]);
  });

  it('reads numbers given as strings, as `pulumi config set --path` may store them', () => {
    const c = parseStackConfig(withPath('database.maxCapacity', '4'), 'dev');
    expect(c.database.maxCapacity).toBe(4);
  });

  it.each([
    ['current', FUNCTIONS.asyncProcessingHandler.reservedConcurrency.current, FUNCTIONS.aiGenerationWorker.reservedConcurrency.current],
    ['target', FUNCTIONS.asyncProcessingHandler.reservedConcurrency.target, FUNCTIONS.aiGenerationWorker.reservedConcurrency.target],
    ['max', FUNCTIONS.asyncProcessingHandler.reservedConcurrency.max, FUNCTIONS.aiGenerationWorker.reservedConcurrency.max],
  ])('maps reserved concurrency level %s to the guide table', (level, api, worker) => {
    // The guide's upper limits reserve more than Lambda's default quota: such an account has a larger one.
    const c = parseStackConfig(
      withPath('functions', { reservedConcurrency: { api: level, worker: level }, accountConcurrencyQuota: 10_000 }),
      'dev',
    );
    expect(c.functions.reservedConcurrency).toEqual({ api, worker });
  });

  it('refuses reservations that leave the account fewer than 100 unreserved executions, naming the quota key', () => {
    const reserved = 4 * FUNCTIONS.asyncProcessingHandler.reservedConcurrency.max + FUNCTIONS.aiGenerationWorker.reservedConcurrency.max;
    expect(() => parseStackConfig(withPath('functions.reservedConcurrency', { api: 'max', worker: 'max' }), 'dev')).toThrow(
      `async-ai-pipeline:functions.accountConcurrencyQuota (1000) leaves ${1000 - reserved} unreserved after this stack's ${reserved} reserved; Lambda keeps at least 100. Request a higher quota, then set it. Fix: pulumi config set --path functions.accountConcurrencyQuota ${reserved + 100}`,
    );
    expect(parseStackConfig(withPath('functions.accountConcurrencyQuota', 3000), 'dev').functions.accountConcurrencyQuota).toBe(3000);
  });

  it.each<[string, string, unknown, RegExp]>([
    ['missing region', 'aws:region', undefined, /^aws:region is not set\. Fix: pulumi config set aws:region ap-northeast-1$/],
    ['bad region', 'aws:region', 'tokyo', /aws:region must be an AWS region/],
    ['unknown stage', 'stage', 'staging', /async-ai-pipeline:stage must be one of dev, prod.*Fix: pulumi config set stage dev/],
    ['bad model id', 'bedrockModelId', 'claude', /bedrockModelId must be a Bedrock model/],
    ['bad CIDR', 'network.cidrBlock', '10.0.0.0/8', /network\.cidrBlock must be an IPv4 CIDR from \/16 to \/24.*--path network\.cidrBlock/],
    ['unknown NAT strategy', 'network.natGateways', 'None', /network\.natGateways must be one of Single, OnePerAz/],
    [
      'unknown endpoint',
      'network.interfaceEndpoints',
      ['s3'],
      /network\.interfaceEndpoints must be a list of services among bedrock-runtime/,
    ],
    [
      'capacity off the 0.5 grid',
      'database.minCapacity',
      0.7,
      /database\.minCapacity must be a number from 0 to 256 ACUs in steps of 0\.5; got 0\.7/,
    ],
    ['too many instances', 'database.instances', 4, /database\.instances must be a number from 1 to 3/],
    ['bad version', 'database.engineVersion', '16', /database\.engineVersion must be an Aurora PostgreSQL version/],
    ['non-boolean proxy', 'database.rdsProxy', 'yes', /database\.rdsProxy must be true or false/],
    [
      'worker concurrency over the guide max',
      'functions.reservedConcurrency.worker',
      WORKER_MAX + 1,
      new RegExp(`functions\\.reservedConcurrency\\.worker must be a number from 1 to ${WORKER_MAX}`),
    ],
    [
      'handler concurrency over the guide max',
      'functions.reservedConcurrency.api',
      API_MAX + 1,
      new RegExp(`functions\\.reservedConcurrency\\.api must be a number from 1 to ${API_MAX}`),
    ],
    [
      'provisioned over reserved',
      'functions.provisionedConcurrency.api',
      6,
      /functions\.provisionedConcurrency\.api must be a number from 0 to 5/,
    ],
    [
      'missing throttling',
      'api.throttlingRateLimit',
      undefined,
      /api\.throttlingRateLimit must be a number from 1 to 10000 requests\/s; it is not set/,
    ],
    ['issuer without audience', 'api.jwtIssuer', 'https://issuer.example.com/', /api\.jwtAudience must be set together with its partner/],
    [
      'monitoring principal not an IAM ARN',
      'monitoringPrincipalArns',
      ['ops'],
      /monitoringPrincipalArns must be a list of IAM role, user or root ARNs/,
    ],
  ])('rejects %s, naming the key and the fix', (_, path, value, message) => {
    const found = problems(withPath(path, value));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
    expect(found[0]).toContain('Fix: pulumi config set');
  });

  it('rejects a maximum capacity below the minimum', () => {
    const raw = withPath('database', { engineVersion: '16.6', minCapacity: 4, maxCapacity: 2, instances: 1 });
    expect(problems(raw)).toEqual([expect.stringMatching(/database\.maxCapacity \(2\) is below database\.minCapacity \(4\)/)]);
  });

  it('refuses a pausing database in prod, citing the start API SLO', () => {
    const raw = withPath('database.minCapacity', 0);
    raw[`${P}:stage`] = 'prod';
    expect(problems(raw, 'prod')).toEqual([expect.stringMatching(new RegExp(`minCapacity is 0 in prod.*p95 < ${SLO.startApiP95Ms} ms`))]);
    expect(problems(withPath('database.minCapacity', 0), 'dev')).toEqual([]);
  });

  it('refuses a stage that contradicts the stack name', () => {
    expect(problems(validRaw(), 'prod')).toEqual([expect.stringMatching(/stage is dev but the stack is prod.*set stage prod/)]);
  });

  it('reports every problem of a stack at once', () => {
    const raw = withPath('database.instances', 0);
    delete raw[`${P}:bedrockModelId`];
    const err = (() => {
      try {
        parseStackConfig(raw, 'dev');
      } catch (e) {
        return e as StackConfigError;
      }
      throw new Error('expected a StackConfigError');
    })();
    expect(err.problems).toHaveLength(2);
    expect(err.message).toMatch(/^Stack config is invalid:\n {2}- /);
  });

  it('takes an external issuer and audience instead of Cognito', () => {
    const raw = withPath('api.jwtIssuer', 'https://login.example.com/');
    const c = parseStackConfig(withPathOn(raw, 'api.jwtAudience', ['web']), 'dev');
    expect(c.api.jwt).toEqual({ issuer: 'https://login.example.com/', audience: ['web'] });
  });
});

function withPathOn(raw: Record<string, unknown>, path: string, value: unknown) {
  const [top, key] = path.split('.');
  raw[`${P}:${top}`] = { ...(raw[`${P}:${top}`] as object), [key!]: value };
  return raw;
}

describe('the committed stack files', () => {
  const parsed = (stack: string): StackConfig => {
    const raw = rawStackConfig(stack);
    return parseStackConfig(raw, stack);
  };

  it.each(['dev', 'prod'])('Pulumi.%s.yaml is valid', (stack) => {
    expect(parsed(stack).stage).toBe(stack);
  });

  it('sizes prod above dev and at the guide capacity plan', () => {
    const dev = parsed('dev');
    const prod = parsed('prod');
    expect(prod.database.maxCapacity).toBeGreaterThan(dev.database.maxCapacity);
    expect(prod.functions.reservedConcurrency).toEqual({
      api: FUNCTIONS.asyncProcessingHandler.reservedConcurrency.current,
      worker: FUNCTIONS.aiGenerationWorker.reservedConcurrency.current,
    });
    expect(dev.functions.reservedConcurrency.api).toBeLessThan(prod.functions.reservedConcurrency.api);
  });

  it.each(['dev', 'prod'])('Pulumi.%s.yaml holds no secrets, account ids or e-mail addresses', (stack) => {
    const text = readFileSync(stackConfigPath(stack), 'utf8');
    expect(text).not.toMatch(/\d{12}/);
    expect(text).not.toMatch(/@[a-z0-9-]+\.[a-z]/i);
    expect(text).not.toMatch(/secure:/);
  });
});
