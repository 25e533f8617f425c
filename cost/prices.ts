/**
 * AWS's public on-demand prices, written once. Each price says where it comes from, the region it
 * is for and the day it was taken. `confirmed` means the number was read on the AWS pricing page
 * (or a page quoting it for that region) on that day; `estimate` means it could not be confirmed
 * for the region and is the best figure known: check it on the linked page before relying on it.
 *
 * Free tiers are left out on purpose: a production budget must hold without them, and they are
 * small at the traffic this model is for. Tiered prices use their first tier (the model's traffic
 * stays inside it; see `firstTierLimit`).
 */

export type PriceStatus = 'confirmed' | 'estimate';

export interface Price {
  readonly usd: number;
  /** What one `usd` buys. */
  readonly per: string;
  readonly region: 'ap-northeast-1' | 'us-east-1' | 'global' | 'Japan edge';
  readonly source: string;
  readonly taken: string;
  readonly status: PriceStatus;
  /** Why it is an estimate, or what else matters. */
  readonly note?: string;
}

/** The day every price below was looked up. */
export const PRICES_TAKEN = '2026-12-07';

const p = (usd: number, per: string, region: Price['region'], source: string, status: PriceStatus, note?: string): Price => ({
  usd,
  per,
  region,
  source,
  taken: PRICES_TAKEN,
  status,
  ...(note ? { note } : {}),
});

const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const SFN = 'https://aws.amazon.com/step-functions/pricing/';
const BEDROCK = 'https://aws.amazon.com/bedrock/pricing/';
const AURORA = 'https://aws.amazon.com/rds/aurora/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const APIGW = 'https://aws.amazon.com/api-gateway/pricing/';
const CLOUDFRONT = 'https://aws.amazon.com/cloudfront/pricing/';
const WAF = 'https://aws.amazon.com/waf/pricing/';
const VPC = 'https://aws.amazon.com/vpc/pricing/';
const PRIVATELINK = 'https://aws.amazon.com/privatelink/pricing/';

export const PRICES = {
  // AWS Lambda (arm64, the architecture INFRA.lambda.architecture sets).
  lambdaRequests: p(
    0.2,
    '1M requests',
    'ap-northeast-1',
    LAMBDA,
    'estimate',
    'the same in every commercial region on the page; Tokyo not read on the day',
  ),
  lambdaArmGbSecond: p(
    0.0000133334,
    'GB-second (arm64, first 7.5 billion GB-s a month)',
    'ap-northeast-1',
    LAMBDA,
    'estimate',
    'arm64 first tier as on the page for US regions; the tier bounds are from the tiered-pricing announcement (aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/)',
  ),

  // AWS Step Functions, standard workflows.
  sfnTransitions: p(
    0.025,
    '1 000 state transitions',
    'ap-northeast-1',
    SFN,
    'confirmed',
    'Asia Pacific (Tokyo) row of the state-transitions table; each retry is one more transition',
  ),

  // Amazon Bedrock, on-demand, the stacks' model (anthropic.claude-3-haiku-20240307-v1:0).
  bedrockHaikuInput: p(
    0.00025,
    '1 000 input tokens',
    'ap-northeast-1',
    BEDROCK,
    'estimate',
    'Claude 3 Haiku list price ($0.25 per million); Tokyo in-region price not confirmed',
  ),
  bedrockHaikuOutput: p(
    0.00125,
    '1 000 output tokens',
    'ap-northeast-1',
    BEDROCK,
    'estimate',
    'Claude 3 Haiku list price ($1.25 per million); Tokyo in-region price not confirmed',
  ),

  // Amazon Aurora PostgreSQL, Serverless v2, Aurora Standard (pay-per-request I/O).
  auroraAcuHour: p(
    0.15,
    'ACU-hour (Serverless v2, Aurora Standard)',
    'ap-northeast-1',
    AURORA,
    'confirmed',
    'quoted for ap-northeast-1 (kenzo0107.github.io, 2025-12-01): 0.15 USD/ACU-h Standard, 0.20 I/O-Optimized',
  ),
  auroraStorageGbMonth: p(
    0.12,
    'GB-month of storage',
    'ap-northeast-1',
    AURORA,
    'estimate',
    'Aurora Standard storage, Tokyo (us-east-1 is 0.10)',
  ),
  auroraIoRequests: p(0.24, '1M I/O requests', 'ap-northeast-1', AURORA, 'estimate', 'Aurora Standard I/O, Tokyo (us-east-1 is 0.20)'),
  auroraBackupGbMonth: p(
    0.023,
    'GB-month of backup beyond the cluster size',
    'ap-northeast-1',
    AURORA,
    'estimate',
    'backups up to 100 % of the cluster storage are free; 7 days of daily backups (BACKUP.retentionDays) stay within it at this growth',
  ),

  // Amazon CloudWatch.
  logsIngestGb: p(
    0.76,
    'GB ingested (standard log class)',
    'ap-northeast-1',
    CLOUDWATCH,
    'confirmed',
    'quoted for ap-northeast-1 (awsi.click, CloudWatch Logs cost structure): 0.76 USD/GB',
  ),
  vendedLogsIngestGb: p(
    0.76,
    'GB of vended logs (Step Functions) delivered to CloudWatch Logs, first 10 TB',
    'ap-northeast-1',
    CLOUDWATCH,
    'estimate',
    'first vended-logs tier equals the standard ingestion price in Tokyo',
  ),
  logsStorageGbMonth: p(
    0.033,
    'GB-month archived',
    'ap-northeast-1',
    CLOUDWATCH,
    'confirmed',
    'quoted for ap-northeast-1 (awsi.click): 0.033 USD/GB-month',
  ),
  customMetric: p(
    0.3,
    'custom metric-month (first 10 000 metrics)',
    'ap-northeast-1',
    CLOUDWATCH,
    'estimate',
    'first tier as quoted by several Japanese guides; a metric is one name × one set of dimension values',
  ),
  alarmMetric: p(
    0.1,
    'alarm metric-month (standard resolution)',
    'ap-northeast-1',
    CLOUDWATCH,
    'estimate',
    'a metric-math alarm is charged per metric it reads',
  ),
  dashboard: p(
    3.0,
    'dashboard-month',
    'ap-northeast-1',
    CLOUDWATCH,
    'estimate',
    'the first three dashboards are free: left out like every free tier',
  ),
  xrayTraces: p(
    5.0,
    '1M traces recorded',
    'ap-northeast-1',
    CLOUDWATCH,
    'estimate',
    'AWS X-Ray, same list price in every region on its page',
  ),

  // Amazon API Gateway, HTTP API.
  httpApiRequests: p(
    1.29,
    '1M requests (first 300 M a month)',
    'ap-northeast-1',
    APIGW,
    'estimate',
    'us-east-1 is 1.00 (AWS whitepaper "Best Practices for Designing Amazon API Gateway Private APIs"); Tokyo figure not confirmed',
  ),

  // Amazon CloudFront (requests from Japan).
  cloudFrontHttpsRequests: p(
    0.012,
    '10 000 HTTPS requests (Japan)',
    'Japan edge',
    CLOUDFRONT,
    'estimate',
    'HTTPS request price for Japan edges; POST/PUT proxy requests are billed at the same per-request rate',
  ),
  cloudFrontTransferGb: p(
    0.114,
    'GB out to the internet (Japan, first 10 TB)',
    'Japan edge',
    CLOUDFRONT,
    'confirmed',
    'Japan column, first 10 TB',
  ),

  // AWS WAF (web ACL on CloudFront, created in us-east-1; same price in every region).
  wafWebAcl: p(
    5.0,
    'web ACL-month',
    'us-east-1',
    WAF,
    'confirmed',
    'the same in every region (AWS Networking blog, cost-effective AWS WAF)',
  ),
  wafRule: p(1.0, 'rule-month (a managed rule group counts as one rule)', 'us-east-1', WAF, 'confirmed'),
  wafRequests: p(0.6, '1M requests inspected', 'us-east-1', WAF, 'confirmed'),

  // Networking.
  natGatewayHour: p(
    0.062,
    'NAT gateway-hour',
    'ap-northeast-1',
    VPC,
    'confirmed',
    'quoted for ap-northeast-1 (awsi.click, NAT gateway cost structure)',
  ),
  natGatewayGb: p(0.062, 'GB processed by a NAT gateway', 'ap-northeast-1', VPC, 'confirmed', 'quoted for ap-northeast-1 (awsi.click)'),
  interfaceEndpointHour: p(
    0.014,
    'interface endpoint-hour per AZ',
    'ap-northeast-1',
    PRIVATELINK,
    'estimate',
    'Tokyo endpoint-hour (us-east-1 is 0.01)',
  ),
  interfaceEndpointGb: p(0.01, 'GB processed by interface endpoints (first 1 PB)', 'ap-northeast-1', PRIVATELINK, 'confirmed'),

  // Security and the rest.
  secret: p(
    0.4,
    'secret-month (Secrets Manager)',
    'ap-northeast-1',
    'https://aws.amazon.com/secrets-manager/pricing/',
    'estimate',
    'the RDS-managed master secret',
  ),
  kmsKey: p(1.0, 'customer managed key-month (KMS)', 'ap-northeast-1', 'https://aws.amazon.com/kms/pricing/', 'estimate'),
  budget: p(
    0.62,
    'budget-month beyond the first two (0.02 USD/day)',
    'global',
    'https://aws.amazon.com/aws-cost-management/aws-budgets/pricing/',
    'estimate',
  ),
  firehoseGb: p(
    0.036,
    'GB ingested by Firehose Direct PUT (first 500 TB)',
    'ap-northeast-1',
    'https://aws.amazon.com/firehose/pricing/',
    'estimate',
    'the log archive; us-east-1 is 0.029',
  ),
  s3StandardGbMonth: p(
    0.025,
    'GB-month in S3 Standard (first 50 TB)',
    'ap-northeast-1',
    'https://aws.amazon.com/s3/pricing/',
    'confirmed',
    'quoted for ap-northeast-1 (awsi.click)',
  ),
  incidentResponsePlan: p(
    7.0,
    'response plan-month (Systems Manager Incident Manager)',
    'ap-northeast-1',
    'https://aws.amazon.com/systems-manager/pricing/',
    'estimate',
    'Incident Manager price per response plan; engagements (SMS, voice) are billed per use and left out',
  ),
} as const satisfies Record<string, Price>;

export type PriceKey = keyof typeof PRICES;

/** The first-tier bounds the model stays within; past them the real bill is lower (discounted tiers). */
export const FIRST_TIER_LIMIT = {
  lambdaArmGbSecondsPerMonth: 7.5e9,
  httpApiRequestsPerMonth: 300e6,
  cloudFrontTransferGbPerMonth: 10_000,
  customMetrics: 10_000,
} as const;
