/**
 * API authentication (API認証): JWT on every route, tokens valid at most 24 h, and the per-user
 * rate limit (20 requests per minute) enforced at the edge by the CloudFront web ACL with the
 * managed rule groups beside it.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { AUTH } from '../../../guide';
import { isUnknown, items, knownString, read } from '../../lib/known';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

/** Where API Gateway's JWT authorizer must find the token: the bearer header every client sends. */
const IDENTITY_SOURCE = '$request.header.Authorization';

export const apiRoutesRequireJwt: PackResourcePolicy = {
  name: 'api-routes-require-jwt',
  description:
    'Every API route requires a JWT (JWT認証必須), checked by a JWT authorizer with an issuer and an audience: the user id comes from the token, so an open route would let anyone act as anyone.',
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: [
    validateResourceOfType(aws.apigatewayv2.Route, (route, args, report) => {
      const name = `Route "${knownString(
        read(() => route.routeKey),
        args.name,
      )}"`;
      const type = read(() => route.authorizationType);
      // The authorizer's id is unknown until it exists: set means "this run's authorizer".
      if (type !== 'JWT')
        report(
          `${name} has authorization ${isUnknown(type) ? 'unknown at preview' : (type ?? 'NONE')}; the guide requires JWT on every route (authorizationType JWT).`,
        );
      else if (!read(() => route.authorizerId)) report(`${name} requires JWT but names no authorizer (authorizerId).`);
    }),
    validateResourceOfType(aws.apigatewayv2.Authorizer, (authorizer, args, report) => {
      if (read(() => authorizer.authorizerType) !== 'JWT') return;
      const name = `JWT authorizer "${displayName(authorizer, args.name)}"`;
      // A Cognito issuer names the pool, unknown until it exists; an external one is a literal.
      const issuer = read(() => authorizer.jwtConfiguration?.issuer);
      if (!issuer) report(`${name} has no issuer (jwtConfiguration.issuer).`);
      else if (!isUnknown(issuer) && !issuer.startsWith('https://'))
        report(`${name} trusts issuer "${issuer}"; API Gateway fetches its keys over HTTPS: use an https:// issuer URL.`);
      const audiences = items(() => authorizer.jwtConfiguration?.audiences);
      if (!isUnknown(audiences) && audiences.filter((a) => a !== '' && a !== undefined).length === 0)
        report(`${name} has no audience (jwtConfiguration.audiences): any token of the issuer would be accepted.`);
      const sources = items(() => authorizer.identitySources);
      if (!isUnknown(sources) && !sources.includes(IDENTITY_SOURCE)) {
        report(
          `${name} reads the token from ${sources.length ? sources.join(', ') : 'nowhere'}; the contract sends it as a bearer token: identitySources ["${IDENTITY_SOURCE}"].`,
        );
      }
    }),
  ],
};

/** The header whose value identifies the user (the bearer token). */
const USER_KEY_HEADER = 'authorization';

interface RateRule {
  readonly name?: string;
  readonly action?: { block?: unknown; count?: unknown; captcha?: unknown; challenge?: unknown };
  readonly statement?: {
    rateBasedStatement?: {
      limit?: number;
      evaluationWindowSec?: number;
      aggregateKeyType?: string;
      customKeys?: { header?: { name?: string } }[];
    };
  };
}

const keyedPerUser = (r: RateRule): boolean =>
  r.statement?.rateBasedStatement?.aggregateKeyType === 'CUSTOM_KEYS' &&
  (r.statement.rateBasedStatement.customKeys ?? []).some((k) => k.header?.name?.toLowerCase() === USER_KEY_HEADER);

export const wafRateLimit: PackResourcePolicy = {
  name: 'waf-rate-limit',
  description: `The CloudFront web ACL blocks a user past ${AUTH.rateLimit.requests} requests per ${AUTH.rateLimit.windowSeconds} s (レート制限), keyed on the Authorization header: one user cannot exhaust the workers and the Bedrock budget of everyone.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: validateResourceOfType(aws.wafv2.WebAcl, (acl, args, report) => {
    if (acl.scope !== 'CLOUDFRONT') return;
    const name = `Web ACL "${displayName(acl, args.name)}"`;
    const { requests, windowSeconds } = AUTH.rateLimit;
    const perUser = ((acl.rules ?? []) as RateRule[]).filter(keyedPerUser);
    if (perUser.length === 0) {
      report(
        `${name} has no rate-based rule keyed on the ${USER_KEY_HEADER} header; the guide limits each user to ${requests} requests per ${windowSeconds} s.`,
      );
      return;
    }
    const ok = perUser.find((r) => {
      const s = r.statement!.rateBasedStatement!;
      return (s.evaluationWindowSec ?? 300) === windowSeconds && (s.limit ?? Infinity) <= requests && r.action?.block !== undefined;
    });
    if (ok) return;
    for (const r of perUser) {
      const s = r.statement!.rateBasedStatement!;
      const rule = `${name} rule "${r.name}"`;
      const window = s.evaluationWindowSec ?? 300;
      if (window !== windowSeconds) report(`${rule} counts over ${window} s; the guide's limit is per ${windowSeconds} s.`);
      if ((s.limit ?? Infinity) > requests) report(`${rule} allows ${s.limit} requests per user; the guide allows ${requests}.`);
      if (r.action?.block === undefined) report(`${rule} does not block: the guide's limit must refuse the excess requests.`);
    }
  }),
};

/** Cognito's defaults when a validity is left out, and its units' lengths in hours. */
const TOKEN_DEFAULTS = {
  accessToken: { value: 1, unit: 'hours' },
  idToken: { value: 1, unit: 'hours' },
  refreshToken: { value: 30, unit: 'days' },
} as const;
const HOURS_PER = { seconds: 1 / 3600, minutes: 1 / 60, hours: 1, days: 24 } as const;
const TOKEN_INPUTS = { accessToken: 'accessTokenValidity', idToken: 'idTokenValidity', refreshToken: 'refreshTokenValidity' } as const;

export const cognitoTokenValidity: PackResourcePolicy = {
  name: 'cognito-token-validity',
  description: `Tokens a Cognito app client issues (access, ID and refresh) are valid at most ${AUTH.tokenValidityHours} h (トークン有効期限): a stolen token, or a session, ends within the guide's lifetime. Cognito's default refresh token lasts 30 days.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: validateResourceOfType(aws.cognito.UserPoolClient, (client, args, report) => {
    const name = `Cognito app client "${displayName(client, args.name)}"`;
    for (const [token, input] of Object.entries(TOKEN_INPUTS) as [
      keyof typeof TOKEN_INPUTS,
      (typeof TOKEN_INPUTS)[keyof typeof TOKEN_INPUTS],
    ][]) {
      const value = read(() => client[input]) ?? TOKEN_DEFAULTS[token].value;
      const unit = (read(() => client.tokenValidityUnits?.[token]) ?? TOKEN_DEFAULTS[token].unit) as keyof typeof HOURS_PER;
      if (isUnknown(value) || isUnknown(unit)) continue;
      const hours = value * (HOURS_PER[unit] ?? Infinity);
      if (hours > AUTH.tokenValidityHours) {
        report(
          `${name} issues ${token}s valid ${value} ${unit} (${hours} h); the guide allows ${AUTH.tokenValidityHours} h: set ${input} ${AUTH.tokenValidityHours} with tokenValidityUnits.${token} "hours".`,
        );
      }
    }
  }),
};

/** AWS managed rule groups every CloudFront web ACL runs, blocking (not only counting). */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

export interface ManagedRulesConfig {
  readonly ruleGroups: readonly string[];
}

interface ManagedRule {
  readonly name?: string;
  readonly overrideAction?: { none?: unknown; count?: unknown };
  readonly statement?: {
    managedRuleGroupStatement?: {
      vendorName?: string;
      name?: string;
      ruleActionOverrides?: { name?: string; actionToUse?: { count?: unknown } }[];
    };
  };
}

export const wafManagedRules: PackResourcePolicy = {
  name: 'waf-managed-rules',
  description:
    "The CloudFront web ACL runs the AWS managed rule groups (common exploits, known bad inputs) and lets them block: they are the intrusion-attempt signal of the guide's daily security check (不正アクセス試行), and a group that only counts protects nothing.",
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  configSchema: {
    properties: {
      ruleGroups: {
        type: 'array',
        items: { type: 'string' },
        default: [...MANAGED_RULE_GROUPS],
        description: 'AWS managed rule groups the web ACL must run.',
      },
    },
  },
  validateResource: validateResourceOfType(aws.wafv2.WebAcl, (acl, args, report) => {
    if (read(() => acl.scope) !== 'CLOUDFRONT') return;
    const name = `Web ACL "${displayName(acl, args.name)}"`;
    const rules = (read(() => acl.rules) ?? []) as ManagedRule[];
    if (isUnknown(rules)) return;
    for (const group of args.getConfig<ManagedRulesConfig>().ruleGroups) {
      const rule = rules.find(
        (r) =>
          read(() => r.statement?.managedRuleGroupStatement?.name) === group &&
          read(() => r.statement?.managedRuleGroupStatement?.vendorName) === 'AWS',
      );
      if (!rule) {
        report(
          `${name} does not run the AWS managed rule group ${group}: add a rule with managedRuleGroupStatement { vendorName: "AWS", name: "${group}" } and overrideAction { none: {} }.`,
        );
        continue;
      }
      if (read(() => rule.overrideAction?.none) === undefined) {
        report(
          `${name} rule "${rule.name}" overrides ${group} to count only: its matches are never blocked; set overrideAction { none: {} }.`,
        );
      }
    }
  }),
};
