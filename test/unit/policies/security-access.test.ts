/** Security baseline: IAM least privilege and trust, CloudFront TLS and WAF, the API stage and its custom domain. */
import { T, apiDomainSet, distribution, httpStage, policyDocument, rolePolicy, serviceTrust } from './helpers/happy-path';
import { MANAGED_POLICIES } from '../../../infra/components/edge';
import { computed, mutate, resource, violations, violationsIn } from './helpers/policy-harness';

const withStatement = (statement: object) => ({ name: 'AsyncProcessingLambdaRole', policy: policyDocument(statement) });

describe('iam-no-wildcard-actions', () => {
  it('passes named actions', async () => {
    expect(await violations('iam-no-wildcard-actions', resource(T.rolePolicy, rolePolicy()))).toEqual([]);
  });

  it('fails a service wildcard', async () => {
    const p = withStatement({ Sid: 'Everything', Effect: 'Allow', Action: ['states:*', 's3:GetObject'], Resource: 'arn:aws:s3:::b/*' });
    expect(await violations('iam-no-wildcard-actions', resource(T.rolePolicy, p))).toEqual([
      'IAM role policy "AsyncProcessingLambdaRole" statement "Everything" allows "states:*": name the actions the role needs.',
    ]);
  });

  it("fails Allow with NotAction, also in a role's inline policy", async () => {
    const role = {
      name: 'Ops',
      inlinePolicies: [{ name: 'all-but-iam', policy: policyDocument({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }],
    };
    expect(await violations('iam-no-wildcard-actions', resource(T.role, role))).toEqual([
      'IAM role "Ops" inline policy "all-but-iam" statement 1 allows every action except iam:* (Allow with NotAction).',
    ]);
  });

  it('ignores Deny statements', async () => {
    expect(
      await violations('iam-no-wildcard-actions', resource(T.rolePolicy, withStatement({ Effect: 'Deny', Action: '*', Resource: '*' }))),
    ).toEqual([]);
  });

  it('fails a partial wildcard in an action', async () => {
    const p = withStatement({ Sid: 'Read', Effect: 'Allow', Action: ['s3:Get*', 'iam:*Policy'], Resource: 'arn:aws:s3:::b/*' });
    expect(await violations('iam-no-wildcard-actions', resource(T.rolePolicy, p))).toEqual([
      'IAM role policy "AsyncProcessingLambdaRole" statement "Read" allows "s3:Get*", "iam:*Policy", a wildcard over actions (today\'s and tomorrow\'s): name each action the role needs.',
    ]);
  });

  it('checks at up a document computed from values AWS assigns at creation, and stays quiet on it at preview', async () => {
    const p = resource(T.rolePolicy, {
      name: 'AsyncProcessingLambdaRole',
      policy: computed(policyDocument({ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' })),
    });
    expect(await violationsIn('up', 'iam-no-wildcard-actions', p)).toEqual([
      'IAM role policy "AsyncProcessingLambdaRole" statement "All" allows "*": name the actions the role needs.',
    ]);
    expect(await violationsIn('preview', 'iam-no-wildcard-actions', p)).toEqual([]);
  });
});

describe('iam-no-wildcard-resources', () => {
  it('passes `*` for actions AWS cannot scope, and ARNs for the rest', async () => {
    expect(await violations('iam-no-wildcard-resources', resource(T.rolePolicy, rolePolicy()))).toEqual([]);
  });

  it('fails `*` for actions that have a scope', async () => {
    const p = withStatement({
      Sid: 'ReadMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:DescribeAlarms'],
      Resource: ['*'],
    });
    expect(await violations('iam-no-wildcard-resources', resource(T.rolePolicy, p))).toEqual([
      'IAM role policy "AsyncProcessingLambdaRole" statement "ReadMetrics" grants cloudwatch:DescribeAlarms on "*", but AWS lets these be scoped to resource ARNs: name them (or, if AWS offers no scope, add the action to policies/rules/security/unscoped-actions.ts with its reference).',
    ]);
  });

  it.each([
    ['arn:aws:logs:ap-northeast-1:111122223333:log-group:/aws/lambda/x:*', 'the streams of one log group'],
    ['arn:aws:s3:::archive/*', 'the objects of one bucket'],
    ['arn:aws:states:ap-northeast-1:111122223333:execution:AIGenerationStateMachine:*', 'the executions of one state machine'],
    ['arn:aws:cloudwatch:ap-northeast-1:111122223333:alarm:AsyncProcessing-prod-*', 'a name prefix of this stack'],
    ['arn:aws:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0', "an inference profile's model, which AWS requires"],
  ])('passes %s (%s)', async (arn) => {
    expect(
      await violations(
        'iam-no-wildcard-resources',
        resource(T.rolePolicy, withStatement({ Effect: 'Allow', Action: 's3:GetObject', Resource: arn })),
      ),
    ).toEqual([]);
  });

  it.each([
    ['arn:aws:s3:::*', 'grants every resource of the type'],
    ['arn:aws:lambda:ap-northeast-1:111122223333:function:*', 'grants every resource of the type'],
    ['arn:aws:lambda:*:111122223333:function:ai-generation-worker', 'wildcards the region'],
    ['arn:aws:sqs:ap-northeast-1:*:jobs', 'wildcards the account'],
    ['arn:aws:cloudwatch:ap-northeast-1:111122223333:alarm:AsyncProcessing-*-error-rate', 'has a wildcard inside the resource name'],
  ])('fails %s', async (arn, problem) => {
    const p = withStatement({ Sid: 'Wide', Effect: 'Allow', Action: 's3:GetObject', Resource: arn });
    expect(await violations('iam-no-wildcard-resources', resource(T.rolePolicy, p))).toEqual([
      `IAM role policy "AsyncProcessingLambdaRole" statement "Wide" grants on "${arn}", which ${problem}: name the resources (a trailing "*" only for what is under one named resource).`,
    ]);
  });
});

describe('iam-no-admin-policies', () => {
  const attach = (policyArn: string) => resource(T.attachment, { role: 'r', policyArn }, 'chatbot-read');

  it('passes a read-only AWS-managed policy and a service-role policy', async () => {
    expect(
      await violations('iam-no-admin-policies', [
        attach('arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'),
        attach('arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup'),
      ]),
    ).toEqual([]);
  });

  it('fails an account-wide read policy such as ReadOnlyAccess', async () => {
    expect(await violations('iam-no-admin-policies', attach('arn:aws:iam::aws:policy/ReadOnlyAccess'))).toEqual([
      'Role policy attachment "chatbot-read" attaches the AWS-managed policy ReadOnlyAccess, which reads the whole account, far beyond what one role of the guide does: write a least-privilege policy.',
    ]);
  });

  it('fails AdministratorAccess', async () => {
    expect(await violations('iam-no-admin-policies', attach('arn:aws:iam::aws:policy/AdministratorAccess'))).toEqual([
      'Role policy attachment "chatbot-read" attaches the AWS-managed policy AdministratorAccess, which administers a whole account or service: write a least-privilege policy.',
    ]);
  });

  it('fails an administrator guardrail on the Slack channel', async () => {
    const slack = resource(
      T.slack,
      { configurationName: 'alerts', guardrailPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
      'slack',
    );
    expect(await violations('iam-no-admin-policies', slack)).toEqual([
      'Chatbot channel "alerts" guardrail attaches the AWS-managed policy AdministratorAccess, which administers a whole account or service: write a least-privilege policy.',
    ]);
  });

  it("fails a service's FullAccess policy in a role's managed list", async () => {
    const role = resource(T.role, { name: 'Ops', managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'] });
    expect(await violations('iam-no-admin-policies', role)).toEqual([
      'IAM role "Ops" attaches the AWS-managed policy AmazonS3FullAccess, which administers a whole account or service: write a least-privilege policy.',
    ]);
  });
});

describe('iam-trust-policies', () => {
  const role = (assumeRolePolicy: string) => resource(T.role, { name: 'StepFunctionsRole', assumeRolePolicy });

  it('passes a service trusted for this account only, and named principals', async () => {
    expect(
      await violations('iam-trust-policies', [
        role(serviceTrust('states.amazonaws.com')),
        role(
          policyDocument({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/Operators'] }, Action: 'sts:AssumeRole' }),
        ),
        role(policyDocument({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' })),
      ]),
    ).toEqual([]);
  });

  it('fails a service trusted on behalf of any account (the confused deputy)', async () => {
    const trust = policyDocument({
      Sid: 'States',
      Effect: 'Allow',
      Principal: { Service: 'states.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    expect(await violations('iam-trust-policies', role(trust))).toEqual([
      'IAM role "StepFunctionsRole" trust policy statement "States" lets states.amazonaws.com assume the role on behalf of any account: add Condition StringEquals aws:SourceAccount <this account> (or aws:SourceArn).',
    ]);
  });

  it('fails a role anyone may assume, and a federated identity without conditions', async () => {
    expect(
      await violations(
        'iam-trust-policies',
        role(
          policyDocument(
            { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
            {
              Effect: 'Allow',
              Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
              Action: 'sts:AssumeRoleWithWebIdentity',
            },
          ),
        ),
      ),
    ).toEqual([
      'IAM role "StepFunctionsRole" trust policy statement 1 lets anyone (Principal "*") assume the role: name the principals.',
      'IAM role "StepFunctionsRole" trust policy statement 2 lets any identity of arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com assume the role: add conditions on its audience and subject.',
    ]);
  });
});

describe('cloudfront-https-tls', () => {
  it('passes HTTPS everywhere with a modern custom certificate', async () => {
    expect(await violations('cloudfront-https-tls', resource(T.distribution, distribution(), 'cdn'))).toEqual([]);
  });

  it('fails a behavior that serves plain HTTP', async () => {
    const d = mutate(distribution(), 'orderedCacheBehaviors.0.viewerProtocolPolicy', 'allow-all');
    expect(await violations('cloudfront-https-tls', resource(T.distribution, d, 'cdn'))).toEqual([
      'Distribution "cdn" serves /v1/* over plain HTTP (viewerProtocolPolicy allow-all): use redirect-to-https, or https-only for the API.',
    ]);
  });

  it('fails an origin reached over HTTP or old TLS', async () => {
    const d = mutate(
      mutate(distribution(), 'origins.1.customOriginConfig.originProtocolPolicy', 'match-viewer'),
      'origins.1.customOriginConfig.originSslProtocols',
      ['TLSv1', 'TLSv1.2'],
    );
    expect(await violations('cloudfront-https-tls', resource(T.distribution, d, 'cdn'))).toEqual([
      'Distribution "cdn" reaches origin "api" with match-viewer; use https-only.',
      'Distribution "cdn" allows TLSv1 to origin "api"; allow TLSv1.2 only.',
    ]);
  });

  it('fails a custom certificate with an old security policy', async () => {
    const d = mutate(distribution(), 'viewerCertificate.minimumProtocolVersion', 'TLSv1.1_2016');
    expect(await violations('cloudfront-https-tls', resource(T.distribution, d, 'cdn'))).toEqual([
      'Distribution "cdn" accepts viewers from TLSv1.1_2016; the oldest allowed is TLSv1.2_2021: set viewerCertificate.minimumProtocolVersion TLSv1.2_2021.',
    ]);
  });

  it('fails a certificate from another region than us-east-1', async () => {
    const d = mutate(distribution(), 'viewerCertificate.acmCertificateArn', 'arn:aws:acm:ap-northeast-1:111122223333:certificate/1');
    expect(await violations('cloudfront-https-tls', resource(T.distribution, d, 'cdn'))).toEqual([
      'Distribution "cdn" uses certificate "arn:aws:acm:ap-northeast-1:111122223333:certificate/1"; CloudFront needs an ACM certificate in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>).',
    ]);
  });
});

describe('cloudfront-custom-certificate (advisory) and cloudfront-waf', () => {
  it('pass a custom certificate behind WAF', async () => {
    expect(await violations('cloudfront-custom-certificate', resource(T.distribution, distribution(), 'cdn'))).toEqual([]);
    expect(await violations('cloudfront-waf', resource(T.distribution, distribution(), 'cdn'))).toEqual([]);
  });

  it('flag the default certificate', async () => {
    const d = mutate(distribution(), 'viewerCertificate', { cloudfrontDefaultCertificate: true });
    expect(await violations('cloudfront-custom-certificate', resource(T.distribution, d, 'cdn'))).toEqual([
      'Distribution "cdn" uses the default *.cloudfront.net certificate (viewer TLS from TLSv1), and the API\'s execute-api URL stays open beside it. Give the stack a domain: pulumi config set --path domain.name <app.example.com>; pulumi config set --path domain.certificateArn <ACM certificate ARN in us-east-1>; pulumi config set --path domain.apiName <api.example.com>; pulumi config set --path domain.apiCertificateArn <ACM certificate ARN in the stack\'s region>.',
    ]);
  });

  it('fail a distribution without a web ACL', async () => {
    expect(await violations('cloudfront-waf', resource(T.distribution, mutate(distribution(), 'webAclId', undefined), 'cdn'))).toEqual([
      'Distribution "cdn" has no WAF web ACL: set webAclId to the ARN of a CLOUDFRONT-scoped WAFv2 web ACL.',
    ]);
  });

  it('fail a regional web ACL or a WAF Classic id', async () => {
    const regional = 'arn:aws:wafv2:ap-northeast-1:111122223333:regional/webacl/edge/1';
    expect(await violations('cloudfront-waf', resource(T.distribution, mutate(distribution(), 'webAclId', regional), 'cdn'))).toEqual([
      `Distribution "cdn" names web ACL "${regional}", which is not a CLOUDFRONT-scoped WAFv2 web ACL ARN (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>).`,
    ]);
  });
});

describe('cloudfront-api-uncached', () => {
  const api = (change: object) => ({
    ...distribution(),
    orderedCacheBehaviors: [
      {
        pathPattern: '/v1/*',
        targetOriginId: 'api',
        viewerProtocolPolicy: 'https-only',
        cachePolicyId: MANAGED_POLICIES.cachingDisabled,
        originRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader,
        ...change,
      },
    ],
  });

  it('passes the API uncached with every viewer header but Host forwarded', async () => {
    expect(await violations('cloudfront-api-uncached', resource(T.distribution, api({}), 'cdn'))).toEqual([]);
  });

  it('fails a cached API, and one whose Authorization header is not forwarded', async () => {
    expect(
      await violations(
        'cloudfront-api-uncached',
        resource(T.distribution, api({ cachePolicyId: MANAGED_POLICIES.cachingOptimized, originRequestPolicyId: undefined }), 'cdn'),
      ),
    ).toEqual([
      `Distribution "cdn" caches /v1/* with cache policy ${MANAGED_POLICIES.cachingOptimized}: one user's response could be served to another; use CachingDisabled (${MANAGED_POLICIES.cachingDisabled}).`,
      `Distribution "cdn" forwards /v1/* with origin request policy none: use AllViewerExceptHostHeader (${MANAGED_POLICIES.allViewerExceptHostHeader}), which forwards the Authorization header.`,
    ]);
  });

  it('fails a distribution without an API behaviour', async () => {
    expect(
      await violations('cloudfront-api-uncached', resource(T.distribution, { ...distribution(), orderedCacheBehaviors: [] }, 'cdn')),
    ).toEqual(['Distribution "cdn" has no behaviour for /v1/*: the API would be served by the default (cached, frontend) behaviour.']);
  });
});

describe('api-access-logging', () => {
  it('passes a stage with a destination and a format', async () => {
    expect(await violations('api-access-logging', resource(T.stage, httpStage()))).toEqual([]);
  });

  it('fails an HTTP API stage without access logs', async () => {
    expect(await violations('api-access-logging', resource(T.stage, mutate(httpStage(), 'accessLogSettings', undefined)))).toEqual([
      'API stage "$default" writes no access logs: set accessLogSettings with a log group ARN (destinationArn) and a format.',
    ]);
  });

  it('fails a REST API stage without a format, and one logging to something else than a log group', async () => {
    const stage = { stageName: 'v1', accessLogSettings: { destinationArn: 'arn:aws:logs:ap-northeast-1:111122223333:log-group:/api' } };
    expect(await violations('api-access-logging', resource(T.restStage, stage))).toEqual([
      'API stage "v1" writes access logs without a format (accessLogSettings.format).',
    ]);
    const firehose = mutate(
      httpStage(),
      'accessLogSettings.destinationArn',
      'arn:aws:firehose:ap-northeast-1:111122223333:deliverystream/x',
    );
    expect(await violations('api-access-logging', resource(T.stage, firehose))).toEqual([
      'API stage "$default" writes access logs to "arn:aws:firehose:ap-northeast-1:111122223333:deliverystream/x", which is not a CloudWatch log group ARN.',
    ]);
  });
});

describe('api-stage-settings', () => {
  it('passes a throttled stage with route metrics', async () => {
    expect(await violations('api-stage-settings', resource(T.stage, httpStage()))).toEqual([]);
  });

  it('fails a stage without throttling and without route metrics', async () => {
    expect(await violations('api-stage-settings', resource(T.stage, mutate(httpStage(), 'defaultRouteSettings', {})))).toEqual([
      'API stage "$default" by default sets no throttling (throttlingRateLimit and throttlingBurstLimit): it would take the account\'s 10 000 requests/s; set both, at most 1000 and 2000.',
      'API stage "$default" publishes no route metrics: the SLO latency alarms read per-route Latency; set defaultRouteSettings.detailedMetricsEnabled true.',
    ]);
  });

  it('fails a rate above the configured maximum, also on one route', async () => {
    const stage = mutate(httpStage(), 'routeSettings', [
      { routeKey: 'POST /v1/processes', throttlingRateLimit: 50_000, throttlingBurstLimit: 100 },
    ]);
    expect(await violations('api-stage-settings', resource(T.stage, stage))).toEqual([
      'API stage "$default" on route POST /v1/processes allows 50000 requests/s; allow more than 0 and at most 1000 (api.throttlingRateLimit).',
    ]);
  });
});

describe('api-custom-domain (stack)', () => {
  it('passes an API on its domain (TLS 1.2, regional) with the execute-api endpoint off', async () => {
    expect(await violations('api-custom-domain', apiDomainSet().all)).toEqual([]);
  });

  it('fails an API on a custom domain that keeps its execute-api endpoint (WAF bypass)', async () => {
    const set = apiDomainSet();
    const api = resource(T.api, mutate(set.api.inputs, 'disableExecuteApiEndpoint', false), 'api');
    const mapping = resource(T.apiMapping, set.mapping.inputs, 'api-mapping', { deps: { apiId: [api], domainName: [set.domain] } });
    expect(await violations('api-custom-domain', [api, set.domain, mapping])).toEqual([
      'API "api" is served on api.example.com but keeps its execute-api endpoint: set disableExecuteApiEndpoint true, so every call goes through CloudFront and WAF.',
    ]);
  });

  it('fails a domain that accepts TLS 1.0', async () => {
    const set = apiDomainSet();
    const domain = resource(T.apiDomain, mutate(set.domain.inputs, 'domainNameConfiguration.securityPolicy', 'TLS_1_0'), 'api-domain');
    expect(await violations('api-custom-domain', [set.api, domain, set.mapping])).toEqual([
      'API domain "api.example.com" accepts TLS_1_0: set domainNameConfiguration.securityPolicy TLS_1_2.',
    ]);
  });
});
