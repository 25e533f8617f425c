/**
 * API authentication (API認証): JWT on every route, and the per-user rate limit (20 requests per
 * minute) enforced at the edge by the CloudFront web ACL.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { AUTH } from '../../../guide';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

export const apiRoutesRequireJwt: PackResourcePolicy = {
  name: 'api-routes-require-jwt',
  description:
    'Every API route requires a JWT (JWT認証必須), checked by a JWT authorizer with an issuer and an audience: the user id comes from the token, so an open route would let anyone act as anyone.',
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: [
    validateResourceOfType(aws.apigatewayv2.Route, (route, args, report) => {
      const name = `Route "${route.routeKey ?? args.name}"`;
      if (route.authorizationType !== 'JWT') report(`${name} has authorization ${route.authorizationType ?? 'NONE'}; the guide requires JWT on every route.`);
      else if (!route.authorizerId) report(`${name} requires JWT but names no authorizer.`);
    }),
    validateResourceOfType(aws.apigatewayv2.Authorizer, (authorizer, args, report) => {
      if (authorizer.authorizerType !== 'JWT') return;
      const name = `JWT authorizer "${displayName(authorizer, args.name)}"`;
      const jwt = authorizer.jwtConfiguration;
      if (!jwt?.issuer) report(`${name} has no issuer.`);
      if (!jwt?.audiences?.length) report(`${name} has no audience: any token of the issuer would be accepted.`);
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
      report(`${name} has no rate-based rule keyed on the ${USER_KEY_HEADER} header; the guide limits each user to ${requests} requests per ${windowSeconds} s.`);
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
