/**
 * The shape every component's AWS-service role takes: trusted by one service for this account
 * only, with at most one inline policy, created under the component that needs it.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Stage } from '../config';
import { serviceTrust } from '../specs/policy-documents';

/** What most components need to know about the stack they are in. */
export interface StackArgs {
  readonly stage: Stage;
  readonly accountId: pulumi.Input<string>;
}

export interface ServiceRole {
  readonly role: aws.iam.Role;
  /** Depend on this (not the role) when the permissions must be in place. */
  readonly ready: pulumi.Resource;
}

export function serviceRole(
  parent: pulumi.Resource,
  name: string,
  args: { service: string; accountId: pulumi.Input<string>; description?: string; policy?: pulumi.Input<string> },
): ServiceRole {
  const role = new aws.iam.Role(
    name,
    {
      description: args.description,
      assumeRolePolicy: pulumi.output(args.accountId).apply((a) => JSON.stringify(serviceTrust(args.service, a))),
    },
    { parent },
  );
  if (args.policy === undefined) return { role, ready: role };
  const policy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: args.policy }, { parent });
  return { role, ready: policy };
}
