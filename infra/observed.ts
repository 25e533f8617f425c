/**
 * What the observability work (issue 5: alarms, topics, dashboard) needs to know about the
 * pipeline's resources, in one typed object built by `infra/index.ts`.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { FunctionKey } from '../guide';
import type { Stage } from './config/stack';

export interface ObservedFunction {
  readonly name: string;
  readonly arn: pulumi.Output<string>;
  readonly logGroupName: string;
}

export interface Observed {
  readonly stage: Stage;
  readonly region: string;
  readonly functions: Readonly<Record<FunctionKey, ObservedFunction>>;
  readonly stateMachine: { readonly name: string; readonly arn: pulumi.Output<string>; readonly logGroupName: string };
  readonly api: { readonly id: pulumi.Output<string>; readonly stageName: string; readonly accessLogGroupName: string };
  readonly database: { readonly clusterIdentifier: pulumi.Output<string>; readonly logGroupName: string };
  /** The CloudFront-scoped web ACL lives, and reports its metrics, in us-east-1. */
  readonly waf: { readonly webAclName: pulumi.Output<string>; readonly region: 'us-east-1' };
  readonly cloudFront: { readonly distributionId: pulumi.Output<string> };
  readonly backup: { readonly vaultName: pulumi.Output<string> };
  /** Every log group the program creates (the saved Logs Insights queries can target these). */
  readonly logGroupNames: readonly string[];
}
