/**
 * Least privilege (the guide's IAMロール table; cdk-nag AwsSolutions IAM4/IAM5 in spirit): identity
 * policies name their actions (no `*`, no `s3:Get*`) and, where AWS offers a scope, their
 * resources (no `*`, no `function:*` or `arn:aws:s3:::*`); no AWS-managed admin or account-wide
 * policy is attached; and a role trusts only whom it names, a service only for this account.
 * Resource policies (KMS key, SNS topic, bucket) are resource-policies.ts' business: there `*`
 * means "this resource".
 *
 * A document computed from values AWS assigns at creation (the database's secret ARN, its resource
 * id) is unknown at a first preview and checked at `up`, before the policy is attached; the
 * program keeps such statements in policies of their own, so everything else is checked at preview.
 */
import * as aws from '@pulumi/aws';
import type { ReportViolation, ResourceValidation } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { isUnknown, knownItems, knownString, read } from '../../lib/known';
import {
  SOURCE_KEYS,
  asList,
  hasAnyCondition,
  isAllow,
  isPartialWildcardAction,
  isWildcardAction,
  principalsOf,
  statementLabel,
  statementsOf,
  type Statement,
} from '../../lib/policy-document';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';
import { UNSCOPED_ACTIONS, WILDCARD_ARNS_REQUIRED_BY_AWS } from './unscoped-actions';

type DocumentCheck = (policyName: string, policy: unknown, report: ReportViolation) => void;

/** Runs a document check on every identity policy: role, user and group inline policies, managed policies, role inline lists. */
function onIdentityPolicies(check: DocumentCheck): ResourceValidation[] {
  // A document unknown at preview has no statements to check yet (see the header).
  const known = (policy: () => unknown) => {
    const doc = read(policy);
    return isUnknown(doc) ? undefined : doc;
  };
  return [
    validateResourceOfType(aws.iam.RolePolicy, (p, args, report) =>
      check(
        `IAM role policy "${displayName(p, args.name)}"`,
        known(() => p.policy),
        report,
      ),
    ),
    validateResourceOfType(aws.iam.Policy, (p, args, report) =>
      check(
        `IAM policy "${displayName(p, args.name)}"`,
        known(() => p.policy),
        report,
      ),
    ),
    validateResourceOfType(aws.iam.UserPolicy, (p, args, report) =>
      check(
        `IAM user policy "${displayName(p, args.name)}"`,
        known(() => p.policy),
        report,
      ),
    ),
    validateResourceOfType(aws.iam.GroupPolicy, (p, args, report) =>
      check(
        `IAM group policy "${displayName(p, args.name)}"`,
        known(() => p.policy),
        report,
      ),
    ),
    validateResourceOfType(aws.iam.Role, (role, args, report) => {
      for (const inline of knownItems(() => role.inlinePolicies))
        check(
          `IAM role "${displayName(role, args.name)}" inline policy "${inline.name}"`,
          known(() => inline.policy),
          report,
        );
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
  description:
    'Identity policies name every action they allow: `*`, `service:*`, partial wildcards (`s3:Get*`, `iam:*Policy`) and Allow+NotAction grant actions nobody reviewed, including ones AWS adds later.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: onAllowStatements((where, s, report) => {
    if (s.NotAction !== undefined) report(`${where} allows every action except ${asList(s.NotAction).join(', ')} (Allow with NotAction).`);
    const wild = asList(s.Action).filter(isWildcardAction);
    if (wild.length) report(`${where} allows ${wild.map((a) => `"${a}"`).join(', ')}: name the actions the role needs.`);
    const partial = asList(s.Action).filter(isPartialWildcardAction);
    if (partial.length)
      report(
        `${where} allows ${partial.map((a) => `"${a}"`).join(', ')}, a wildcard over actions (today's and tomorrow's): name each action the role needs.`,
      );
  }),
};

const hasWildcard = (s: string | undefined): boolean => /[*?]/.test(s ?? '');

/**
 * What is wrong with the wildcards of a resource ARN, if anything. A trailing `*` may stand for what
 * is under one named resource (`log-group:<name>:*`, `<bucket>/*`, `execution:<machine>:*`) or end
 * a name prefix (`AsyncProcessing-prod-*`); anywhere else it widens the grant to resources of other
 * stacks, accounts or regions.
 */
export function resourceWildcardProblem(arn: string): string | undefined {
  if (arn === '*' || !hasWildcard(arn) || WILDCARD_ARNS_REQUIRED_BY_AWS.some((re) => re.test(arn))) return undefined;
  const [prefix, partition, service, region, account, ...rest] = arn.split(':');
  if (prefix !== 'arn' || rest.length === 0) return 'is neither "*" nor an ARN';
  if (hasWildcard(partition) || hasWildcard(service)) return 'wildcards the partition or the service';
  if (hasWildcard(region)) return 'wildcards the region';
  if (hasWildcard(account)) return 'wildcards the account';
  const resource = rest.join(':');
  const first = resource.search(/[*?]/);
  if (first !== resource.length - 1 || resource.endsWith('?')) return 'has a wildcard inside the resource name';
  const segments = resource.split(/[:/]/);
  const last = segments[segments.length - 1]!;
  // Every service but S3 starts the resource with its type (`function:`, `table/`).
  const minSegments = service === 's3' ? 2 : 3;
  if (last === '*' && segments.length < minSegments) return 'grants every resource of the type';
  return undefined;
}

export const iamNoWildcardResources: PackResourcePolicy = {
  name: 'iam-no-wildcard-resources',
  description:
    "Identity policies grant on `*` only actions AWS cannot scope (UNSCOPED_ACTIONS, with references), and use no partial wildcard in an ARN (`arn:aws:s3:::*`, `function:*`, a `*` in the region or account): everything else names its ARNs, so a role reaches this stack's resources only.",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: onAllowStatements((where, s, report) => {
    if (s.NotResource !== undefined)
      report(`${where} applies to every resource except ${asList(s.NotResource).join(', ')} (Allow with NotResource).`);
    for (const arn of asList(s.Resource)) {
      const problem = resourceWildcardProblem(arn);
      if (problem)
        report(
          `${where} grants on "${arn}", which ${problem}: name the resources (a trailing "*" only for what is under one named resource).`,
        );
    }
    if (!asList(s.Resource).includes('*')) return;
    const scopable = asList(s.Action).filter((a) => !UNSCOPED_ACTIONS.has(a));
    if (scopable.length) {
      report(
        `${where} grants ${scopable.join(', ')} on "*", but AWS lets these be scoped to resource ARNs: name them (or, if AWS offers no scope, add the action to policies/rules/security/unscoped-actions.ts with its reference).`,
      );
    }
  }),
};

/** AWS-managed policies that make a principal an administrator of the account or of a whole service. */
const ADMIN_POLICIES = [
  'AdministratorAccess',
  'PowerUserAccess',
  'IAMFullAccess',
  'job-function/SystemAdministrator',
  'job-function/NetworkAdministrator',
  'job-function/DatabaseAdministrator',
];
/** AWS-managed policies that read (nearly) everything in the account: every bucket's objects, every secret's metadata, every log. */
const ACCOUNT_WIDE_POLICIES = [
  'ReadOnlyAccess',
  'ViewOnlyAccess',
  'job-function/ViewOnlyAccess',
  'SecurityAudit',
  'job-function/SupportUser',
  'job-function/DataScientist',
  'AWSSupportAccess',
];

/** The AWS-managed admin or account-wide policy an ARN names, and which kind it is. */
export function broadPolicy(arn: unknown): { path: string; kind: string } | undefined {
  const m = /^arn:aws[\w-]*:iam::aws:policy\/(.+)$/.exec(typeof arn === 'string' ? arn : '');
  if (!m) return undefined;
  const path = m[1]!;
  if (ADMIN_POLICIES.includes(path) || path.endsWith('FullAccess')) return { path, kind: 'administers a whole account or service' };
  if (ACCOUNT_WIDE_POLICIES.includes(path)) return { path, kind: 'reads the whole account, far beyond what one role of the guide does' };
  return undefined;
}

/** The AWS-managed admin policy an ARN names, if any. */
export const adminPolicyName = (arn: string | undefined): string | undefined => broadPolicy(arn)?.path;

const checkAttachment = (what: string, arn: unknown, report: ReportViolation): void => {
  const broad = broadPolicy(arn);
  if (broad) report(`${what} attaches the AWS-managed policy ${broad.path}, which ${broad.kind}: write a least-privilege policy.`);
};

export const iamNoAdminPolicies: PackResourcePolicy = {
  name: 'iam-no-admin-policies',
  description:
    "No role, user or group gets an AWS-managed administrator or account-wide policy (AdministratorAccess, PowerUserAccess, *FullAccess, ReadOnlyAccess, ViewOnlyAccess, SecurityAudit, …): the guide's roles each do one job.",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: [
    validateResourceOfType(aws.iam.RolePolicyAttachment, (a, args, report) =>
      checkAttachment(
        `Role policy attachment "${args.name}"`,
        read(() => a.policyArn),
        report,
      ),
    ),
    validateResourceOfType(aws.iam.UserPolicyAttachment, (a, args, report) =>
      checkAttachment(
        `User policy attachment "${args.name}"`,
        read(() => a.policyArn),
        report,
      ),
    ),
    validateResourceOfType(aws.iam.GroupPolicyAttachment, (a, args, report) =>
      checkAttachment(
        `Group policy attachment "${args.name}"`,
        read(() => a.policyArn),
        report,
      ),
    ),
    validateResourceOfType(aws.iam.PolicyAttachment, (a, args, report) =>
      checkAttachment(
        `Policy attachment "${args.name}"`,
        read(() => a.policyArn),
        report,
      ),
    ),
    validateResourceOfType(aws.iam.Role, (role, args, report) => {
      for (const arn of knownItems(() => role.managedPolicyArns))
        checkAttachment(`IAM role "${displayName(role, args.name)}"`, arn, report);
    }),
    // Chatbot's guardrail caps what a Slack user may do through it, whatever the channel role allows.
    validateResourceOfType(aws.chatbot.SlackChannelConfiguration, (c, args, report) => {
      for (const arn of knownItems(() => c.guardrailPolicyArns))
        checkAttachment(
          `Chatbot channel "${knownString(
            read(() => c.configurationName),
            args.name,
          )}" guardrail`,
          arn,
          report,
        );
    }),
  ],
};

/** Service principals that assume roles without telling which account or resource they act for. */
export const SERVICES_WITHOUT_SOURCE_CONTEXT = ['ec2.amazonaws.com', 'edgelambda.amazonaws.com'];

function trustProblems(s: Statement): string[] {
  if (!isAllow(s)) return [];
  const { aws: principals, services, federated } = principalsOf(s.Principal);
  const problems: string[] = [];
  if (principals.includes('*') || s.NotPrincipal !== undefined)
    problems.push('lets anyone (Principal "*") assume the role: name the principals');
  const unscoped = services.filter((sv) => !SERVICES_WITHOUT_SOURCE_CONTEXT.includes(sv));
  if (unscoped.length && !hasAnyCondition(s, SOURCE_KEYS)) {
    problems.push(
      `lets ${unscoped.join(', ')} assume the role on behalf of any account: add Condition StringEquals aws:SourceAccount <this account> (or aws:SourceArn)`,
    );
  }
  if (federated.length && !s.Condition)
    problems.push(`lets any identity of ${federated.join(', ')} assume the role: add conditions on its audience and subject`);
  return problems;
}

export const iamTrustPolicies: PackResourcePolicy = {
  name: 'iam-trust-policies',
  description:
    "A role trusts only the principals it names: never `*`, a service principal only for this account (aws:SourceAccount / aws:SourceArn, where the service sends them), a federated identity only under conditions. Otherwise another account's scheduler, state machine or backup job could act as our role (the confused deputy).",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.iam.Role, (role, args, report) => {
    const doc = read(() => role.assumeRolePolicy);
    if (isUnknown(doc)) return;
    statementsOf(doc)?.forEach((s, i) => {
      for (const problem of trustProblems(s))
        report(`IAM role "${displayName(role, args.name)}" trust policy ${statementLabel(s, i)} ${problem}.`);
    });
  }),
};
