/**
 * The OpsReport function's settings (set by infra/components/ops-reports.ts): what it reads and
 * where it writes. A missing or malformed one fails naming the variable.
 */
import type { FunctionKey } from '../../../guide';
import { ConfigError } from '../runtime/config';
import type { BuildOptions } from './build';

type Env = Readonly<Record<string, string | undefined>>;

export interface ReportFunctionConfig {
  readonly region: string;
  readonly stage: string;
  readonly bucket: string;
  readonly topicArn: string;
  readonly stateMachineArn: string;
  readonly api: { readonly id: string; readonly stage: string; readonly accessLogGroupName: string };
  readonly clusterIdentifier: string;
  readonly clusterArn: string;
  readonly webAclName: string;
  readonly analyzerArn?: string;
  /** Cost Explorer's service names of the guide's lambda/bedrock/aurora lines. */
  readonly costLines: NonNullable<BuildOptions['costLines']>;
  readonly functionNames: Partial<Record<FunctionKey, string>>;
  /** The S3 key (in `bucket`) of what the program declares for the audit. */
  readonly declaredKey: string;
}

/** Where the program keeps its declared IAM and security groups: outside the reports' prefix, so the lifecycle keeps it. */
export const DECLARED_KEY = 'program/declared.json';

export const REPORT_ENV = [
  'REPORT_BUCKET', 'REPORT_TOPIC_ARN', 'STAGE', 'STATE_MACHINE_ARN', 'API_ID', 'API_STAGE', 'API_ACCESS_LOG_GROUP',
  'DB_CLUSTER_IDENTIFIER', 'DB_CLUSTER_ARN', 'WEB_ACL_NAME', 'COST_LINES',
] as const;

function json<T>(env: Env, key: string, fallback: T): T {
  const raw = env[key];
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new ConfigError(`${key} must be JSON (the Pulumi program sets it); got ${JSON.stringify(raw.slice(0, 40))}`);
  }
}

export function loadReportConfig(env: Env = process.env): ReportFunctionConfig {
  const missing = REPORT_ENV.filter((k) => !env[k]);
  if (missing.length) throw new ConfigError(`OpsReport needs ${missing.join(', ')} (set by the ops-reports component of the Pulumi program)`);
  const get = (k: (typeof REPORT_ENV)[number]) => env[k]!;
  return {
    region: env.AWS_REGION ?? 'ap-northeast-1',
    stage: get('STAGE'), bucket: get('REPORT_BUCKET'), topicArn: get('REPORT_TOPIC_ARN'), stateMachineArn: get('STATE_MACHINE_ARN'),
    api: { id: get('API_ID'), stage: get('API_STAGE'), accessLogGroupName: get('API_ACCESS_LOG_GROUP') },
    clusterIdentifier: get('DB_CLUSTER_IDENTIFIER'), clusterArn: get('DB_CLUSTER_ARN'), webAclName: get('WEB_ACL_NAME'),
    ...(env.ACCESS_ANALYZER_ARN ? { analyzerArn: env.ACCESS_ANALYZER_ARN } : {}),
    costLines: json(env, 'COST_LINES', {}),
    functionNames: json(env, 'FUNCTION_NAMES', {}),
    declaredKey: env.DECLARED_KEY ?? DECLARED_KEY,
  };
}

