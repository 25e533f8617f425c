/**
 * セキュリティ監査 (日次): auth failures, intrusion attempts and rate-limit hits, visible at a glance.
 * API Gateway's JWT authorizer refuses bad tokens before any handler runs, so AuthFailures is the
 * metric filter's count of 401/403 lines of the API's access log (metric-filters.ts), not a
 * handler's counter; rate-limit hits are counted by the handlers (their per-user limit).
 */
import { awsMetric, customMetric } from '../metrics';
import { accessLogMetric } from '../metric-filters';
import type { MonitoredResources } from '../monitored-resources';
import { REFUSED_REQUESTS_QUERY } from '../saved-queries';
import { logWidget, metricWidget, type Widget } from './widgets';

export function securityRow(r: MonitoredResources): Widget[] {
  const waf = { WebACL: r.waf.webAclName, Rule: 'ALL' };
  return [
    logWidget('API: 認証失敗・レート制限 (401 / 403 / 429, access log)', r.region, [r.api.accessLogGroupName], REFUSED_REQUESTS_QUERY, 8),
    metricWidget({
      title: 'AuthFailures (access log 401/403) / RateLimitExceeded (handlers)',
      region: r.region,
      queries: [
        { id: 'auth', metric: accessLogMetric('authFailures', 'Sum', 3600), label: 'AuthFailures', returnData: true },
        { id: 'rate', metric: customMetric('rateLimited', 'Sum', 3600), label: 'RateLimitExceeded', returnData: true },
      ],
    }),
    metricWidget({
      title: 'WAF: 不正アクセス試行 (blocked requests)',
      region: r.waf.region,
      queries: [
        { id: 'blocked', metric: awsMetric('AWS/WAFV2', 'BlockedRequests', waf, 'Sum', 3600), label: 'Blocked', returnData: true },
        { id: 'allowed', metric: awsMetric('AWS/WAFV2', 'AllowedRequests', waf, 'Sum', 3600), label: 'Allowed', returnData: true },
      ],
    }),
  ];
}
