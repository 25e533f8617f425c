/**
 * AWS WAF rules in front of CloudFront (API認証: レート制限 20リクエスト/分/ユーザー). The per-user
 * limit keys on the Authorization header, i.e. on the user's token; a per-IP backstop catches
 * requests without a token and floods from one address. Blocked requests get the contract's 429.
 */
import type * as aws from '@pulumi/aws';
import { API, AUTH, INFRA } from '../../guide';

/** Windows AWS WAF accepts for rate-based rules, in seconds. */
const WAF_WINDOWS = [60, 120, 300, 600];
/** AWS WAF's smallest rate limit. */
const WAF_MIN_LIMIT = 10;

export const RATE_LIMITED_BODY_KEY = 'rate-limited';

/** The contract's error body for 429 (`RATE_LIMITED`), served by WAF itself. */
export const rateLimitedBody = () => ({
  key: RATE_LIMITED_BODY_KEY,
  contentType: 'APPLICATION_JSON',
  content: JSON.stringify({
    error: {
      code: 'RATE_LIMITED',
      message: `Too many requests: at most ${AUTH.rateLimit.requests} per ${AUTH.rateLimit.windowSeconds} s per user`,
    },
  }),
});

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

const block429 = {
  block: {
    customResponse: {
      responseCode: 429,
      customResponseBodyKey: RATE_LIMITED_BODY_KEY,
      responseHeaders: [{ name: 'retry-after', value: String(AUTH.rateLimit.windowSeconds) }],
    },
  },
};

/** Only API calls count: the frontend's static files are not the user's requests. */
const apiPathsOnly = {
  byteMatchStatement: {
    fieldToMatch: { uriPath: {} },
    positionalConstraint: 'STARTS_WITH',
    searchString: `${API.basePath}/`,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
};

export function wafRules(): aws.types.input.wafv2.WebAclRule[] {
  const { requests, windowSeconds } = AUTH.rateLimit;
  if (!WAF_WINDOWS.includes(windowSeconds) || requests < WAF_MIN_LIMIT) {
    throw new Error(
      `AWS WAF cannot enforce ${requests} per ${windowSeconds} s (windows ${WAF_WINDOWS.join('/')} s, limit >= ${WAF_MIN_LIMIT})`,
    );
  }
  type Override = aws.types.input.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverride;
  const managed = (priority: number, name: string, metric: string, ruleActionOverrides?: Override[]) => ({
    name: `aws-${name}`,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ...(ruleActionOverrides ? { ruleActionOverrides } : {}) } },
    visibilityConfig: visibility(metric),
  });
  return [
    {
      name: 'per-user-rate-limit',
      priority: 0,
      action: block429,
      statement: {
        rateBasedStatement: {
          limit: requests,
          evaluationWindowSec: windowSeconds,
          aggregateKeyType: 'CUSTOM_KEYS',
          customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
          scopeDownStatement: apiPathsOnly,
        },
      },
      visibilityConfig: visibility('PerUserRateLimit'),
    },
    {
      name: 'per-ip-backstop',
      priority: 1,
      action: block429,
      statement: { rateBasedStatement: { limit: INFRA.waf.perIpRequests, evaluationWindowSec: windowSeconds, aggregateKeyType: 'IP' } },
      visibilityConfig: visibility('PerIpBackstop'),
    },
    // Intrusion attempts (セキュリティ監査 日次: 不正アクセス試行) become visible as rule metrics.
    // Bodies up to 16 KiB are legal (the API answers 413 itself), so the 8 KB body rule only counts.
    managed(2, 'AWSManagedRulesCommonRuleSet', 'CommonRuleSet', [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]),
    managed(3, 'AWSManagedRulesKnownBadInputsRuleSet', 'KnownBadInputs'),
  ];
}
