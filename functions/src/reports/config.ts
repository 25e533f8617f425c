/**
 * What the OpsReport function reads: REPORT_BUCKET from its environment, and from that bucket
 * `program/stack.json`, which the Pulumi program writes once the stack's resources exist (the API
 * id, the web ACL, the roles and rules it declares: infra/components/ops-reports.ts). A missing
 * or malformed setting fails naming it.
 */
import type { FunctionKey } from '../../../guide';
import { ConfigError } from '../runtime/config';
import type { BuildOptions } from './build';
import type { Declared } from './declared';

type Env = Readonly<Record<string, string | undefined>>;

/** Outside the reports' prefix, so the reports' lifecycle never expires it. */
export const STACK_KEY = 'program/stack.json';

export interface StackForReports {
  readonly stage: string;
  /** The warning topic: Slack through Chatbot, and e-mail. */
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
  readonly declared: Declared;
}

export function loadReportEnv(env: Env = process.env): { region: string; bucket: string } {
  if (!env.REPORT_BUCKET)
    throw new ConfigError('OpsReport needs REPORT_BUCKET (set by the Pulumi program): the bucket of the reports and of program/stack.json');
  return { region: env.AWS_REGION ?? 'ap-northeast-1', bucket: env.REPORT_BUCKET };
}

const REQUIRED = [
  'stage',
  'topicArn',
  'stateMachineArn',
  'api.id',
  'api.stage',
  'api.accessLogGroupName',
  'clusterIdentifier',
  'clusterArn',
  'webAclName',
] as const;

/** The stack file, checked: every missing field is named. */
export function parseStack(doc: unknown, where: string): StackForReports {
  const d = (doc ?? {}) as Record<string, any>;
  const at = (path: string) => path.split('.').reduce<any>((v, k) => v?.[k], d);
  const missing = REQUIRED.filter((p) => typeof at(p) !== 'string' || at(p) === '');
  if (!Array.isArray(d.declared?.roles) || !Array.isArray(d.declared?.securityGroupRules))
    missing.push('declared.roles/securityGroupRules' as never);
  if (missing.length) throw new ConfigError(`${where} lacks ${missing.join(', ')}: run pulumi up, which writes it`);
  return { costLines: {}, functionNames: {}, ...d } as StackForReports;
}
