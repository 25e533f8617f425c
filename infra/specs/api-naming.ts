/**
 * The pieces of API Gateway configuration that are data: route names, permission scopes and the
 * access log format. The routes themselves are the functions' route table (functions/src/http/route-table.ts).
 */
import { API } from '../../guide';

/**
 * The `execute-api` ARN pattern one route may invoke its function from: any stage, this method and
 * path, path parameters as `*`. A Lambda permission with it lets no other route use the function.
 */
export function routeSourceArn(executionArn: string, routeKey: string): string {
  const [method, path] = routeKey.split(' ');
  return `${executionArn}/*/${method}${path!.replace(/\{[^}]+\}/g, '*')}`;
}

/** The API's JSON access log group (known before the API exists, so IAM can name it). */
export const apiAccessLogGroupName = (stage: string): string => `/aws/apigateway/async-ai-pipeline-${stage}`;

/** A short, unique resource name for a route (`post-processes-retry`). */
export const routeSlug = (routeKey: string): string =>
  routeKey
    .toLowerCase()
    .replace(API.basePath, '')
    .replace(/\{[^}]+\}/g, '')
    .replace(/[^a-z]+/g, '-')
    .replace(/-+$/, '');

/**
 * JSON access log line. `sub` is the user id; authorizer errors and status make the guide's daily
 * security checks (auth failures, rate limiting) a Logs Insights query away.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  sub: '$context.authorizer.claims.sub',
  authorizerError: '$context.authorizer.error',
});
