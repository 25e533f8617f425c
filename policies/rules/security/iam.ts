/**
 * Least privilege (the guide's IAMロール table; cdk-nag AwsSolutions IAM4/IAM5 in spirit): identity
 * policies name their actions and, where AWS offers a scope, their resources; no AWS-managed admin
 * policy is attached. Resource policies (KMS key, SNS topic, bucket) are out of scope: there `*`
 * means "this resource".
 */
import * as aws from '@pulumi/aws';
import type { ReportViolation, ResourceValidation } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { asList, isAllow, isWildcardAction, statementLabel, statementsOf, type Statement } from '../../lib/policy-document';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';
import { UNSCOPED_ACTIONS } from './unscoped-actions';

type DocumentCheck = (policyName: string, policy: unknown, report: ReportViolation) => void;

/** Runs a document check on every identity policy: role, user and group inline policies, managed policies, role inline lists. */
function onIdentityPolicies(check: DocumentCheck): ResourceValidation[] {
  return [
    validateResourceOfType(aws.iam.RolePolicy, (p, args, report) => check(`IAM role policy "${displayName(p, args.name)}"`, p.policy, report)),
    validateResourceOfType(aws.iam.Policy, (p, args, report) => check(`IAM policy "${displayName(p, args.name)}"`, p.policy, report)),
    validateResourceOfType(aws.iam.UserPolicy, (p, args, report) => check(`IAM user policy "${displayName(p, args.name)}"`, p.policy, report)),
    validateResourceOfType(aws.iam.GroupPolicy, (p, args, report) => check(`IAM group policy "${displayName(p, args.name)}"`, p.policy, report)),
    validateResourceOfType(aws.iam.Role, (role, args, report) => {
      for (const inline of role.inlinePolicies ?? []) check(`IAM role "${displayName(role, args.name)}" inline policy "${inline.name}"`, inline.policy, report);
    }),
  ];
}

/** Runs a check on every Allow statement of every identity policy, named for messages (`<policy> statement "<Sid>"`). */
function onAllowStatements(check: (where: string, statement: Statement, report: ReportViolation) => void): ResourceValidation[] {
  return onIdentityPolicies((name, policy, report) => {
    statementsOf(policy)?.forEach((s, i) => {
      if (isAllow(s)) check(`${name} ${statementLabel(s, i)}`, s, report);
    });
  });
}

export const iamNoWildcardActions: PackResourcePolicy = {
  name: 'iam-no-wildcard-actions',
  description: 'Identity policies name every action they allow: `*`, `service:*` and Allow+NotAction grant actions nobody reviewed, including ones AWS adds later.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: onAllowStatements((where, s, report) => {
    if (s.NotAction !== undefined) report(`${where} allows every action except ${asList(s.NotAction).join(', ')} (Allow with NotAction).`);
    const wild = asList(s.Action).filter(isWildcardAction);
    if (wild.length) report(`${where} allows ${wild.map((a) => `"${a}"`).join(', ')}: name the actions the role needs.`);
  }),
};

export const iamNoWildcardResources: PackResourcePolicy = {
  name: 'iam-no-wildcard-resources',
  description:
    'Identity policies grant on `*` only actions AWS cannot scope (UNSCOPED_ACTIONS, with references): everything else names its ARNs, so a role reaches this stack\'s resources only.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: onAllowStatements((where, s, report) => {
    if (s.NotResource !== undefined) report(`${where} applies to every resource except ${asList(s.NotResource).join(', ')} (Allow with NotResource).`);
    if (!asList(s.Resource).includes('*')) return;
    const scopable = asList(s.Action).filter((a) => !UNSCOPED_ACTIONS.has(a));
    if (scopable.length) {
      report(`${where} grants ${scopable.join(', ')} on "*", but AWS lets these be scoped to resource ARNs: name them (or, if AWS offers no scope, add the action to policies/rules/security/unscoped-actions.ts with its reference).`);
    }
  }),
};

/** AWS-managed policies that make a principal an administrator of the account or of a whole service. */
const ADMIN_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess', 'job-function/SystemAdministrator', 'job-function/NetworkAdministrator', 'job-function/DatabaseAdministrator'];

/** The AWS-managed admin policy an ARN names, if any. */
export function adminPolicyName(arn: string | undefined): string | undefined {
  const m = /^arn:aws[\w-]*:iam::aws:policy\/(.+)$/.exec(arn ?? '');
  if (!m) return undefined;
  const path = m[1]!;
  return ADMIN_POLICIES.includes(path) || path.endsWith('FullAccess') ? path : undefined;
}

const checkAttachment = (what: string, arn: string | undefined, report: ReportViolation): void => {
  const admin = adminPolicyName(arn);
  if (admin) report(`${what} attaches the AWS-managed policy ${admin}, which administers a whole account or service: write a least-privilege policy.`);
};

export const iamNoAdminPolicies: PackResourcePolicy = {
  name: 'iam-no-admin-policies',
  description:
    'No role, user or group gets an AWS-managed administrator policy (AdministratorAccess, PowerUserAccess, *FullAccess, …): the guide\'s roles each do one job.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: [
    validateResourceOfType(aws.iam.RolePolicyAttachment, (a, args, report) => checkAttachment(`Role policy attachment "${args.name}"`, a.policyArn, report)),
    validateResourceOfType(aws.iam.UserPolicyAttachment, (a, args, report) => checkAttachment(`User policy attachment "${args.name}"`, a.policyArn, report)),
    validateResourceOfType(aws.iam.GroupPolicyAttachment, (a, args, report) => checkAttachment(`Group policy attachment "${args.name}"`, a.policyArn, report)),
    validateResourceOfType(aws.iam.PolicyAttachment, (a, args, report) => checkAttachment(`Policy attachment "${args.name}"`, a.policyArn, report)),
    validateResourceOfType(aws.iam.Role, (role, args, report) => {
      for (const arn of role.managedPolicyArns ?? []) checkAttachment(`IAM role "${displayName(role, args.name)}"`, arn, report);
    }),
  ],
};
