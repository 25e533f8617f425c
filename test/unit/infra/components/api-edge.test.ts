/** API and Edge under mocks: JWT on every route, the guide's token lifetime, throttling, CloudFront HTTPS only, the WAF rate limit. */
import { AUTH, FUNCTIONS } from '../../../../guide';
import { ROUTES } from '../../../../functions/src/http/route-table';
import { loadStackConfig } from '../../../../infra/config/stack-file';
import type { OfflineRun } from '../../../../infra/offline/run';
import { STACKS, TYPES, named, ofType, offline, runStacks, type StackName } from '../helpers/stacks';

let runs: Record<StackName, OfflineRun>;
beforeAll(async () => {
  runs = await runStacks();
});

describe.each(STACKS)('Api (%s)', (stack) => {
  it('routes the contract, every route behind the JWT authorizer', () => {
    const routes = ofType(runs[stack], TYPES.route);
    expect(routes.map((r) => r.inputs.routeKey)).toEqual(ROUTES.map((r) => r.routeKey));
    for (const r of routes) expect(r.inputs).toMatchObject({ authorizationType: 'JWT', authorizerId: 'api-jwt-id' });
  });

  it(`checks tokens from the Cognito user pool it creates, valid ${AUTH.tokenValidityHours} hours`, () => {
    const authorizer = named(runs[stack], TYPES.authorizer, 'api-jwt').inputs;
    expect(authorizer).toMatchObject({
      authorizerType: 'JWT',
      identitySources: ['$request.header.Authorization'],
      jwtConfiguration: { issuer: 'https://cognito-idp.ap-northeast-1.amazonaws.com/api-users-id', audiences: ['api-client-id'] },
    });
    const client = named(runs[stack], TYPES.userPoolClient, 'api-client').inputs;
    expect(client).toMatchObject({
      accessTokenValidity: AUTH.tokenValidityHours,
      idTokenValidity: AUTH.tokenValidityHours,
      refreshTokenValidity: AUTH.tokenValidityHours,
      tokenValidityUnits: { accessToken: 'hours', idToken: 'hours', refreshToken: 'hours' },
      generateSecret: false,
    });
  });

  it('throttles the stage from the stack file and writes JSON access logs with the user id', () => {
    const api = JSON.parse(loadStackConfig(stack)['async-ai-pipeline:api']!);
    const st = named(runs[stack], TYPES.stage, 'api-stage').inputs;
    expect(st.defaultRouteSettings).toMatchObject({
      throttlingRateLimit: api.throttlingRateLimit,
      throttlingBurstLimit: api.throttlingBurstLimit,
    });
    expect(JSON.parse(st.accessLogSettings.format)).toMatchObject({
      requestId: '$context.requestId',
      sub: '$context.authorizer.claims.sub',
    });
  });

  it('lets API Gateway invoke each handler from its own route only', () => {
    const perms = ofType(runs[stack], TYPES.permission);
    expect(perms.map((p) => [p.inputs.function, p.inputs.sourceArn])).toEqual(
      ROUTES.map((r) => [
        FUNCTIONS[r.functionKey].name,
        `arn:aws:execute-api:ap-northeast-1:123456789012:mockapi/*/${r.routeKey.replace(' ', '').replace('{processId}', '*')}`,
      ]),
    );
  });
});

describe('Api, prod against dev', () => {
  it('protects the prod user pool from deletion', () => {
    expect(named(runs.prod, 'aws:cognito/userPool:UserPool', 'api-users').inputs.deletionProtection).toBe('ACTIVE');
    expect(named(runs.dev, 'aws:cognito/userPool:UserPool', 'api-users').inputs.deletionProtection).toBe('INACTIVE');
  });
});

describe('Api with an external issuer and provisioned concurrency (config options)', () => {
  let run: OfflineRun;
  beforeAll(async () => {
    const functions = JSON.parse(loadStackConfig('dev')['async-ai-pipeline:functions']!);
    run = await offline('dev', {
      overrides: {
        'async-ai-pipeline:api': {
          throttlingRateLimit: 10,
          throttlingBurstLimit: 20,
          jwtIssuer: 'https://login.example.com/',
          jwtAudience: ['web'],
        },
        'async-ai-pipeline:functions': { ...functions, provisionedConcurrency: { api: 1, worker: 1 } },
      },
    });
  });

  it('uses the issuer and audience from config and creates no user pool', () => {
    expect(named(run, TYPES.authorizer, 'api-jwt').inputs.jwtConfiguration).toEqual({
      issuer: 'https://login.example.com/',
      audiences: ['web'],
    });
    expect(ofType(run, 'aws:cognito/userPool:UserPool')).toEqual([]);
  });

  it('keeps provisioned instances on a `live` alias that the API and the workflow call', () => {
    const configs = ofType(run, 'aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig');
    expect(configs).toHaveLength(5);
    for (const c of configs) expect(c.inputs).toMatchObject({ qualifier: 'live', provisionedConcurrentExecutions: 1 });
    for (const p of ofType(run, TYPES.permission)) expect(p.inputs.qualifier).toBe('live');
    const definition = JSON.parse(named(run, TYPES.stateMachine, 'workflow-state-machine').inputs.definition);
    expect(definition.States.Generate.Resource).toMatch(/:function:ai-generation-worker:live$/);
  });
});

describe.each(STACKS)('Edge (%s)', (stack) => {
  const cdn = () => named(runs[stack], TYPES.distribution, 'edge-cdn').inputs;

  it('serves the API under /v1/* over HTTPS only, uncached, forwarding the Authorization header', () => {
    const api = cdn().orderedCacheBehaviors.find((b: { pathPattern: string }) => b.pathPattern === '/v1/*');
    expect(api).toMatchObject({
      targetOriginId: 'api',
      viewerProtocolPolicy: 'https-only',
      cachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      originRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    });
    expect(cdn().defaultCacheBehavior.viewerProtocolPolicy).toBe('redirect-to-https');
    const origin = cdn().origins.find((o: { originId: string }) => o.originId === 'api');
    expect(origin).toMatchObject({
      domainName: 'mockapi.execute-api.ap-northeast-1.amazonaws.com',
      customOriginConfig: { originProtocolPolicy: 'https-only' },
    });
  });

  it('serves the frontend from a private bucket through origin access control', () => {
    const origin = cdn().origins.find((o: { originId: string }) => o.originId === 'frontend');
    expect(origin.originAccessControlId).toBe('edge-oac-id');
    expect(named(runs[stack], 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'edge-frontend-private').inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  });

  it(`puts the WAF web ACL (CloudFront scope, us-east-1) in front, limiting each Authorization header to ${AUTH.rateLimit.requests} per ${AUTH.rateLimit.windowSeconds} s`, () => {
    const acl = named(runs[stack], TYPES.webAcl, 'edge-waf').inputs;
    expect(acl).toMatchObject({ scope: 'CLOUDFRONT', region: 'us-east-1', defaultAction: { allow: {} } });
    expect(cdn().webAclId).toBe(`arn:aws:wafv2:us-east-1:123456789012:global/webacl/async-ai-pipeline-${stack}/mock-id`);
    const perUser = acl.rules.find((r: { name: string }) => r.name === 'per-user-rate-limit').statement.rateBasedStatement;
    expect(perUser).toMatchObject({
      limit: AUTH.rateLimit.requests,
      evaluationWindowSec: AUTH.rateLimit.windowSeconds,
      aggregateKeyType: 'CUSTOM_KEYS',
    });
    expect(perUser.customKeys[0].header.name).toBe('authorization');
    expect(acl.rules.find((r: { name: string }) => r.name === 'per-ip-backstop').statement.rateBasedStatement.aggregateKeyType).toBe('IP');
  });
});

describe('Api and Edge with a custom domain (config option)', () => {
  const domain = {
    name: 'app.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    apiName: 'api.example.com',
    apiCertificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/def',
  };
  let run: OfflineRun;
  beforeAll(async () => {
    run = await offline('prod', { overrides: { 'async-ai-pipeline:domain': domain } });
  });
  const cdn = () => named(run, TYPES.distribution, 'edge-cdn').inputs;

  it('serves the domain with its us-east-1 certificate, TLS 1.2 and SNI only', () => {
    expect(cdn().aliases).toEqual(['app.example.com']);
    expect(cdn().viewerCertificate).toEqual({
      acmCertificateArn: domain.certificateArn,
      sslSupportMethod: 'sni-only',
      minimumProtocolVersion: 'TLSv1.2_2021',
    });
    expect(run.outputs.cloudFrontUrl).toBe('https://app.example.com');
  });

  it('serves the API on its own name (TLS 1.2, regional certificate), turns execute-api off, and points CloudFront there', () => {
    expect(named(run, 'aws:apigatewayv2/api:Api', 'api-http').inputs.disableExecuteApiEndpoint).toBe(true);
    expect(named(run, 'aws:apigatewayv2/domainName:DomainName', 'api-domain').inputs).toMatchObject({
      domainName: 'api.example.com',
      domainNameConfiguration: { certificateArn: domain.apiCertificateArn, endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2' },
    });
    expect(named(run, 'aws:apigatewayv2/apiMapping:ApiMapping', 'api-domain-mapping').inputs).toMatchObject({
      apiId: 'api-http-id',
      domainName: 'api-domain-id',
    });
    expect(cdn().origins.find((o: { originId: string }) => o.originId === 'api').domainName).toBe('api.example.com');
    expect(run.outputs).toMatchObject({
      apiUrl: 'https://api.example.com',
      apiDomainTarget: 'd-mock.execute-api.ap-northeast-1.amazonaws.com',
    });
  });
});
