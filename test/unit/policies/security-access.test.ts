/** Security baseline: IAM least privilege, CloudFront TLS and WAF, API access logs. */
import { T, distribution, httpStage, policyDocument, rolePolicy } from './helpers/happy-path';
import { mutate, resource, violations } from './helpers/policy-harness';

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

  it('fails Allow with NotAction, also in a role\'s inline policy', async () => {
    const role = { name: 'Ops', inlinePolicies: [{ name: 'all-but-iam', policy: policyDocument({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }] };
    expect(await violations('iam-no-wildcard-actions', resource(T.role, role))).toEqual([
      'IAM role "Ops" inline policy "all-but-iam" statement 1 allows every action except iam:* (Allow with NotAction).',
    ]);
  });

  it('ignores Deny statements', async () => {
    expect(await violations('iam-no-wildcard-actions', resource(T.rolePolicy, withStatement({ Effect: 'Deny', Action: '*', Resource: '*' })))).toEqual([]);
  });
});

describe('iam-no-wildcard-resources', () => {
  it('passes `*` for actions AWS cannot scope, and ARNs for the rest', async () => {
    expect(await violations('iam-no-wildcard-resources', resource(T.rolePolicy, rolePolicy()))).toEqual([]);
  });

  it('fails `*` for actions that have a scope', async () => {
    const p = withStatement({ Sid: 'ReadMetrics', Effect: 'Allow', Action: ['cloudwatch:GetMetricData', 'cloudwatch:DescribeAlarms'], Resource: ['*'] });
    expect(await violations('iam-no-wildcard-resources', resource(T.rolePolicy, p))).toEqual([
      'IAM role policy "AsyncProcessingLambdaRole" statement "ReadMetrics" grants cloudwatch:DescribeAlarms on "*", but AWS lets these be scoped to resource ARNs: name them (or, if AWS offers no scope, add the action to policies/rules/security/unscoped-actions.ts with its reference).',
    ]);
  });
});

describe('iam-no-admin-policies', () => {
  const attach = (policyArn: string) => resource(T.attachment, { role: 'r', policyArn }, 'chatbot-read');

  it('passes a read-only AWS-managed policy and a service-role policy', async () => {
    expect(await violations('iam-no-admin-policies', [
      attach('arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'), attach('arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup'),
    ])).toEqual([]);
  });

  it('fails AdministratorAccess', async () => {
    expect(await violations('iam-no-admin-policies', attach('arn:aws:iam::aws:policy/AdministratorAccess'))).toEqual([
      'Role policy attachment "chatbot-read" attaches the AWS-managed policy AdministratorAccess, which administers a whole account or service: write a least-privilege policy.',
    ]);
  });

  it('fails a service\'s FullAccess policy in a role\'s managed list', async () => {
    const role = resource(T.role, { name: 'Ops', managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'] });
    expect(await violations('iam-no-admin-policies', role)).toEqual([
      'IAM role "Ops" attaches the AWS-managed policy AmazonS3FullAccess, which administers a whole account or service: write a least-privilege policy.',
    ]);
  });
});

describe('cloudfront-https-tls', () => {
  it('passes HTTPS everywhere with a modern custom certificate', async () => {
    expect(await violations('cloudfront-https-tls', resource(T.distribution, distribution(), 'cdn'))).toEqual([]);
  });

  it('fails a behavior that serves plain HTTP', async () => {
    const d = mutate(distribution(), 'orderedCacheBehaviors.0.viewerProtocolPolicy', 'allow-all');
    expect(await violations('cloudfront-https-tls', resource(T.distribution, d, 'cdn'))).toEqual(['Distribution "cdn" serves /v1/* over plain HTTP (viewerProtocolPolicy allow-all).']);
  });

  it('fails an origin reached over HTTP or old TLS', async () => {
    const d = mutate(mutate(distribution(), 'origins.1.customOriginConfig.originProtocolPolicy', 'match-viewer'), 'origins.1.customOriginConfig.originSslProtocols', ['TLSv1', 'TLSv1.2']);
    expect(await violations('cloudfront-https-tls', resource(T.distribution, d, 'cdn'))).toEqual([
      'Distribution "cdn" reaches origin "api" with match-viewer; use https-only.',
      'Distribution "cdn" allows TLSv1 to origin "api"; allow TLSv1.2 only.',
    ]);
  });

  it('fails a custom certificate with an old security policy', async () => {
    const d = mutate(distribution(), 'viewerCertificate.minimumProtocolVersion', 'TLSv1.1_2016');
    expect(await violations('cloudfront-https-tls', resource(T.distribution, d, 'cdn'))).toEqual(['Distribution "cdn" accepts viewers from TLSv1.1_2016; the oldest allowed is TLSv1.2_2021.']);
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
      'Distribution "cdn" uses the default *.cloudfront.net certificate (viewer TLS from TLSv1): give it a domain with an ACM certificate in us-east-1 and TLSv1.2_2021.',
    ]);
  });

  it('fail a distribution without a web ACL', async () => {
    expect(await violations('cloudfront-waf', resource(T.distribution, mutate(distribution(), 'webAclId', undefined), 'cdn'))).toEqual([
      'Distribution "cdn" has no WAF web ACL (webAclId).',
    ]);
  });
});

describe('api-access-logging', () => {
  it('passes a stage with a destination and a format', async () => {
    expect(await violations('api-access-logging', resource(T.stage, httpStage()))).toEqual([]);
  });

  it('fails an HTTP API stage without access logs', async () => {
    expect(await violations('api-access-logging', resource(T.stage, mutate(httpStage(), 'accessLogSettings', undefined)))).toEqual([
      'API stage "$default" writes no access logs (accessLogSettings destination and format).',
    ]);
  });

  it('fails a REST API stage without a format', async () => {
    const stage = { stageName: 'v1', accessLogSettings: { destinationArn: 'arn:aws:logs:x' } };
    expect(await violations('api-access-logging', resource(T.restStage, stage))).toEqual(['API stage "v1" writes no access logs (accessLogSettings destination and format).']);
  });
});
