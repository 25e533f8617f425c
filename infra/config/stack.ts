/**
 * A stack's config (`Pulumi.<stack>.yaml`), typed and validated before any resource exists.
 * `parseStackConfig` is pure (unit-tested without Pulumi); `readStackConfig` feeds it from Pulumi.
 * Numbers of the guide are not config: they come from `guide/`. Config holds what differs per stack.
 */
import * as pulumi from '@pulumi/pulumi';
import { ALARM_POLICY, FUNCTIONS, SLO } from '../../guide';
import { StackConfigError, PROJECT, Reader } from './reader';
import { DEFAULT_TAGS, type TagSettings } from '../specs/conventions';
import { isAdotRegion, type TracingSettings } from '../specs/tracing';

export { StackConfigError, PROJECT };

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** AWS services the functions call, which may get an interface endpoint in the VPC. */
export const INTERFACE_ENDPOINTS = ['bedrock-runtime', 'states', 'secretsmanager'] as const;
export type InterfaceEndpoint = (typeof INTERFACE_ENDPOINTS)[number];

export const CONCURRENCY_LEVELS = ['current', 'target', 'max'] as const;

/** Lambda's default concurrency quota per account and region. */
export const LAMBDA_DEFAULT_CONCURRENCY_QUOTA = 1000;

/** How many functions reserve the API handlers' concurrency (each its own). */
const apiFunctionCount = (): number => Object.values(FUNCTIONS).filter((f) => f.role === 'api').length;

export interface StackConfig {
  readonly stage: Stage;
  /** `aws:region`. */
  readonly region: string;
  /** The only model the worker may call (its IAM policy names it). */
  readonly bedrockModelId: string;
  readonly network: {
    readonly cidrBlock: string;
    /** @default 2; Aurora needs subnets in two AZs. */
    readonly availabilityZones: number;
    readonly natGateways: 'Single' | 'OnePerAz';
    /** @default [] */
    readonly interfaceEndpoints: readonly InterfaceEndpoint[];
  };
  readonly database: {
    readonly engineVersion: string;
    /** Serverless v2 capacity, ACUs. */
    readonly minCapacity: number;
    readonly maxCapacity: number;
    /** Writer plus readers in other AZs. */
    readonly instances: number;
    /** @default false */
    readonly rdsProxy: boolean;
  };
  readonly functions: {
    /** Reserved concurrency of each API handler and of the worker, within the guide's limits. */
    readonly reservedConcurrency: { readonly api: number; readonly worker: number };
    /** @default 0 (none); at most the reserved concurrency. */
    readonly provisionedConcurrency: { readonly api: number; readonly worker: number };
    /**
     * The account's Lambda concurrency quota (Service Quotas → Lambda → Concurrent executions):
     * the unreserved-concurrency alarm judges the pool it leaves after this stack's reservations.
     * @default 1000 (AWS's default quota)
     */
    readonly accountConcurrencyQuota: number;
  };
  readonly api: {
    readonly throttlingRateLimit: number;
    readonly throttlingBurstLimit: number;
    /** An external JWT issuer; when unset a Cognito user pool is created. */
    readonly jwt?: { readonly issuer: string; readonly audience: readonly string[] };
  };
  /** @default PriceClass_200 (includes Japan) */
  readonly priceClass: 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
  /**
   * The stack's own domains (README "Custom domain"). When set, CloudFront serves `name` with its
   * certificate (TLS 1.2+ only) and reaches the API on `apiName`, whose default execute-api endpoint
   * is turned off so that nothing bypasses CloudFront and WAF. @default none (*.cloudfront.net)
   */
  readonly domain?: CustomDomain;
  /**
   * `tracing.adot: true` adds the ADOT Lambda layer to every function so the code's OpenTelemetry
   * spans reach X-Ray (infra/specs/tracing.ts); `tracing.adotLayerArn` names another layer. @default off
   */
  readonly tracing: TracingSettings;
  /** IAM principals that may assume MonitoringRole; @default [] = any principal of this account allowed to. */
  readonly monitoringPrincipalArns: readonly string[];
  // <issue-15: tags and billing>
  /** `tags.service`, `tags.costCentre`: the default tags of every resource (with stack and component). */
  readonly tags: TagSettings;
  /**
   * `budget.bedrockServiceNames`: Cost Explorer service names under which the model is billed
   * besides "Amazon Bedrock" (third-party models bill as "<model> (Amazon Bedrock Edition)").
   * @default the known names of `bedrockModelId` (infra/components/budget.ts)
   */
  readonly bedrockServiceNames?: readonly string[];
  // </issue-15>
}

export interface CustomDomain {
  /** The site and API's public name (a CloudFront alias), e.g. app.example.com. */
  readonly name: string;
  /** ACM certificate for `name`, in us-east-1 (CloudFront takes certificates from there only). */
  readonly certificateArn: string;
  /** The API's own name, CloudFront's origin, e.g. api.example.com. */
  readonly apiName: string;
  /** ACM certificate for `apiName`, in the stack's region (a regional API domain). */
  readonly apiCertificateArn: string;
}

/** The config keys of the custom domain, all set or none. */
export const DOMAIN_KEYS = ['name', 'certificateArn', 'apiName', 'apiCertificateArn'] as const;

const REGION = { pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, what: 'an AWS region such as ap-northeast-1' };
const HOSTNAME = {
  pattern: /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  what: 'a lower-case DNS name such as app.example.com',
};
const acmIn = (region: string) => ({
  pattern: new RegExp(`^arn:aws[\\w-]*:acm:${region}:\\d{12}:certificate/[\\w-]+$`),
  what: `an ACM certificate ARN in ${region} (arn:aws:acm:${region}:<account>:certificate/<id>)`,
});
const MODEL = { pattern: /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/, what: 'a Bedrock model or inference profile id' };
const CIDR = { pattern: /^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-4])$/, what: 'an IPv4 CIDR from /16 to /24' };
const VERSION = { pattern: /^\d+\.\d+$/, what: 'an Aurora PostgreSQL version such as 16.6' };
const HTTPS = { pattern: /^https:\/\/[^\s]+$/, what: 'an https:// issuer URL' };
const IAM_ARN = /^arn:aws[\w-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/;

/** A concurrency setting: a level of the guide's table or a number up to its upper limit. */
function concurrency(r: Reader, path: string, limits: { current: number; target: number; max: number }): number {
  const v = r.get(path);
  if (typeof v === 'string' && (CONCURRENCY_LEVELS as readonly string[]).includes(v)) return limits[v as keyof typeof limits];
  return r.number(path, { min: 1, max: limits.max, step: 1 });
}

export function parseStackConfig(raw: Readonly<Record<string, unknown>>, stackName: string): StackConfig {
  const r = new Reader(raw);
  const stage = r.oneOf('stage', STAGES);
  if ((STAGES as readonly string[]).includes(stackName) && stage !== stackName) {
    r.fail('stage', `is ${stage} but the stack is ${stackName}`, stackName);
  }
  const region = r.string('aws:region', 'ap-northeast-1', REGION);
  const bedrockModelId = r.string('bedrockModelId', 'anthropic.claude-3-haiku-20240307-v1:0', MODEL);

  const endpoints = r.stringList(
    'network.interfaceEndpoints',
    `'[${INTERFACE_ENDPOINTS.join(',')}]'`,
    (s) => (INTERFACE_ENDPOINTS as readonly string[]).includes(s),
    `services among ${INTERFACE_ENDPOINTS.join(', ')}`,
  );
  const network = {
    cidrBlock: r.string('network.cidrBlock', '10.40.0.0/16', CIDR),
    availabilityZones: r.number('network.availabilityZones', { min: 2, max: 3, step: 1 }, 2),
    natGateways: r.oneOf('network.natGateways', ['Single', 'OnePerAz'] as const),
    interfaceEndpoints: endpoints as InterfaceEndpoint[],
  };

  const database = {
    engineVersion: r.string('database.engineVersion', '16.6', VERSION),
    minCapacity: r.number('database.minCapacity', { min: 0, max: 256, step: 0.5, unit: 'ACUs' }),
    maxCapacity: r.number('database.maxCapacity', { min: 1, max: 256, step: 0.5, unit: 'ACUs' }),
    instances: r.number('database.instances', { min: 1, max: 3, step: 1 }),
    rdsProxy: r.boolean('database.rdsProxy', false),
  };
  if (database.maxCapacity < database.minCapacity) {
    r.fail(
      'database.maxCapacity',
      `(${database.maxCapacity}) is below database.minCapacity (${database.minCapacity})`,
      String(database.minCapacity),
    );
  }
  if (stage === 'prod' && database.minCapacity === 0) {
    r.fail(
      'database.minCapacity',
      `is 0 in prod: a paused database takes seconds to resume, which breaks the start API's p95 < ${SLO.startApiP95Ms} ms`,
      '0.5',
    );
  }

  const reservedConcurrency = {
    api: concurrency(r, 'functions.reservedConcurrency.api', FUNCTIONS.asyncProcessingHandler.reservedConcurrency),
    worker: concurrency(r, 'functions.reservedConcurrency.worker', FUNCTIONS.aiGenerationWorker.reservedConcurrency),
  };
  const provisionedConcurrency = {
    api: r.number('functions.provisionedConcurrency.api', { min: 0, max: reservedConcurrency.api, step: 1 }, 0),
    worker: r.number('functions.provisionedConcurrency.worker', { min: 0, max: reservedConcurrency.worker, step: 1 }, 0),
  };
  const accountConcurrencyQuota = r.number(
    'functions.accountConcurrencyQuota',
    { min: 1, max: 1_000_000, step: 1 },
    LAMBDA_DEFAULT_CONCURRENCY_QUOTA,
  );
  const reserved = apiFunctionCount() * reservedConcurrency.api + reservedConcurrency.worker;
  if (accountConcurrencyQuota - reserved < ALARM_POLICY.lambda.accountConcurrency.minUnreserved) {
    r.fail(
      'functions.accountConcurrencyQuota',
      `(${accountConcurrencyQuota}) leaves ${accountConcurrencyQuota - reserved} unreserved after this stack's ${reserved} reserved; Lambda keeps at least ${ALARM_POLICY.lambda.accountConcurrency.minUnreserved}. Request a higher quota, then set it`,
      String(reserved + ALARM_POLICY.lambda.accountConcurrency.minUnreserved),
    );
  }

  const issuer = r.optionalString('api.jwtIssuer', 'https://issuer.example.com/', HTTPS);
  const audience = r.stringList('api.jwtAudience', `'["my-client-id"]'`);
  if ((issuer === undefined) !== (audience.length === 0)) {
    r.fail(
      issuer === undefined ? 'api.jwtIssuer' : 'api.jwtAudience',
      'must be set together with its partner (issuer and audience), or neither for a Cognito user pool',
      issuer === undefined ? 'https://issuer.example.com/' : `'["my-client-id"]'`,
    );
  }
  const api = {
    throttlingRateLimit: r.number('api.throttlingRateLimit', { min: 1, max: 10_000, unit: 'requests/s' }),
    throttlingBurstLimit: r.number('api.throttlingBurstLimit', { min: 1, max: 5_000, step: 1, unit: 'requests' }),
    ...(issuer && audience.length > 0 ? { jwt: { issuer, audience } } : {}),
  };

  const domain = customDomain(r, region);
  const tracing = tracingSettings(r, region);

  const config: Omit<StackConfig, 'tags' | 'bedrockServiceNames'> = {
    stage,
    region,
    bedrockModelId,
    network,
    database,
    ...(domain ? { domain } : {}),
    functions: { reservedConcurrency, provisionedConcurrency, accountConcurrencyQuota },
    api,
    tracing,
    priceClass: r.oneOf('priceClass', ['PriceClass_200', 'PriceClass_100', 'PriceClass_All'] as const, 'PriceClass_200'),
    monitoringPrincipalArns: r.stringList(
      'monitoringPrincipalArns',
      `'["arn:aws:iam::111122223333:role/Operators"]'`,
      (s) => IAM_ARN.test(s),
      'IAM role, user or root ARNs',
    ),
  };
  // <issue-15: tags and billing>
  const TAG = { pattern: /^[\w .:/=+@-]{1,256}$/, what: 'a tag value (letters, digits, spaces and _.:/=+-@, up to 256)' };
  const tags: TagSettings = {
    service: r.get('tags.service') === undefined ? DEFAULT_TAGS.service : r.string('tags.service', 'async-ai-pipeline', TAG),
    costCentre: r.get('tags.costCentre') === undefined ? DEFAULT_TAGS.costCentre : r.string('tags.costCentre', 'CC-1234', TAG),
  };
  const serviceNames = r.stringList('budget.bedrockServiceNames', `'["Claude 3 Haiku (Amazon Bedrock Edition)"]'`);
  // </issue-15>
  if (r.problems.length > 0) throw new StackConfigError(r.problems);
  return { ...config, tags, ...(serviceNames.length > 0 ? { bedrockServiceNames: serviceNames } : {}) };
}

const LAYER_ARN = (region: string) => ({
  pattern: new RegExp(`^arn:aws[\\w-]*:lambda:${region}:\\d{12}:layer:[\\w-]+:\\d+$`),
  what: `a Lambda layer version ARN in ${region} (arn:aws:lambda:${region}:<account>:layer:<name>:<version>)`,
});

/** ADOT on or off; a layer of one's own where AWS publishes none (or to pin another release). */
function tracingSettings(r: Reader, region: string): TracingSettings {
  const adot = r.boolean('tracing.adot', false);
  const adotLayerArn = r.optionalString(
    'tracing.adotLayerArn',
    `arn:aws:lambda:${region}:111122223333:layer:my-otel-layer:1`,
    LAYER_ARN(region),
  );
  if (adot && adotLayerArn === undefined && !isAdotRegion(region)) {
    r.fail(
      'tracing.adotLayerArn',
      `is needed: AWS publishes no ADOT layer in ${region}`,
      `arn:aws:lambda:${region}:111122223333:layer:my-otel-layer:1`,
    );
  }
  return { adot, ...(adotLayerArn ? { adotLayerArn } : {}) };
}

/** The custom domain: every key or none; certificates where the services take them. */
function customDomain(r: Reader, region: string): CustomDomain | undefined {
  if (DOMAIN_KEYS.every((k) => r.get(`domain.${k}`) === undefined)) return undefined;
  const domain: CustomDomain = {
    name: r.string('domain.name', 'app.example.com', HOSTNAME),
    certificateArn: r.string('domain.certificateArn', 'arn:aws:acm:us-east-1:111122223333:certificate/<id>', acmIn('us-east-1')),
    apiName: r.string('domain.apiName', 'api.example.com', HOSTNAME),
    apiCertificateArn: r.string('domain.apiCertificateArn', `arn:aws:acm:${region}:111122223333:certificate/<id>`, acmIn(region)),
  };
  if (domain.name !== '' && domain.name === domain.apiName)
    r.fail(
      'domain.apiName',
      `is the same as domain.name (${domain.name}): the API needs a name of its own, CloudFront's origin`,
      `api.${domain.name}`,
    );
  return domain;
}

/** The raw values Pulumi holds for these keys of each namespace, objects parsed. */
export function rawConfigOf(keysByNamespace: readonly (readonly [string, readonly string[]])[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [ns, keys] of keysByNamespace) {
    const cfg = new pulumi.Config(ns);
    for (const key of keys) {
      const v = cfg.get(key);
      if (v === undefined) continue;
      try {
        raw[`${ns}:${key}`] = /^[[{]/.test(v.trim()) ? JSON.parse(v) : v;
      } catch {
        raw[`${ns}:${key}`] = v;
      }
    }
  }
  return raw;
}

/** The raw values Pulumi holds for this project and `aws:region`, objects parsed. */
export const rawPulumiConfig = (): Record<string, unknown> =>
  rawConfigOf([
    [
      PROJECT,
      [
        'stage',
        'bedrockModelId',
        'network',
        'database',
        'functions',
        'api',
        'priceClass',
        'monitoringPrincipalArns',
        'tags',
        'budget',
        'domain',
        'tracing',
      ],
    ],
    ['aws', ['region']],
  ]);

export const readStackConfig = (): StackConfig => parseStackConfig(rawPulumiConfig(), pulumi.getStack());
