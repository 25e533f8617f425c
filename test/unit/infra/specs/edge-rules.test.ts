/** WAF rules and the API's routes as data. */
import { AUTH, FUNCTIONS, INFRA } from '../../../../guide';
import { ROUTES } from '../../../../functions/src/http/route-table';
import { routeSlug, routeSourceArn } from '../../../../infra/specs/api-naming';
import { rateLimitedBody, wafRules } from '../../../../infra/specs/waf-rules';

describe('wafRules', () => {
  const rules = wafRules();
  const rule = (name: string) => rules.find((r) => r.name === name) as any;

  it('limits each user (Authorization header) to the guide rate on API paths', () => {
    const s = rule('per-user-rate-limit').statement.rateBasedStatement;
    expect(s).toMatchObject({
      limit: AUTH.rateLimit.requests,
      evaluationWindowSec: AUTH.rateLimit.windowSeconds,
      aggregateKeyType: 'CUSTOM_KEYS',
    });
    expect(s.customKeys).toEqual([{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }]);
    expect(s.scopeDownStatement.byteMatchStatement).toMatchObject({ searchString: '/v1/', positionalConstraint: 'STARTS_WITH' });
  });

  it('backs the per-user rule with a per-IP limit', () => {
    expect(rule('per-ip-backstop').statement.rateBasedStatement).toMatchObject({ aggregateKeyType: 'IP', limit: INFRA.waf.perIpRequests });
  });

  it('answers a blocked request with the contract 429 RATE_LIMITED and Retry-After', () => {
    const response = rule('per-user-rate-limit').action.block.customResponse;
    expect(response).toMatchObject({ responseCode: 429, customResponseBodyKey: rateLimitedBody().key });
    expect(response.responseHeaders).toEqual([{ name: 'retry-after', value: String(AUTH.rateLimit.windowSeconds) }]);
    expect(JSON.parse(rateLimitedBody().content).error.code).toBe('RATE_LIMITED');
  });

  it('counts, rather than blocks, bodies over 8 KB: the contract allows 16 KiB', () => {
    const common = rule('aws-AWSManagedRulesCommonRuleSet').statement.managedRuleGroupStatement;
    expect(common.ruleActionOverrides).toEqual([{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]);
  });

  it('gives each rule a unique priority and its own metric', () => {
    expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    expect(new Set(rules.map((r: any) => r.visibilityConfig.metricName)).size).toBe(rules.length);
  });
});

describe('API routes', () => {
  it('covers the contract, each on an API handler', () => {
    expect(ROUTES.map((r) => r.routeKey)).toEqual([
      'POST /v1/processes',
      'GET /v1/processes/{processId}',
      'POST /v1/processes/{processId}/retry',
      'POST /v1/processes/{processId}/cancel',
    ]);
    for (const r of ROUTES) expect(FUNCTIONS[r.functionKey].role).toBe('api');
  });

  it('scopes each Lambda permission to its own method and path', () => {
    expect(routeSourceArn('arn:aws:execute-api:r:1:abc', 'POST /v1/processes/{processId}/retry')).toBe(
      'arn:aws:execute-api:r:1:abc/*/POST/v1/processes/*/retry',
    );
    expect(routeSlug('GET /v1/processes/{processId}')).toBe('get-processes');
  });
});
