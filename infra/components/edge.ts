/**
 * Edge: CloudFront in front of everything (HTTPS only): the API under `/v1/*`, the frontend from a
 * private S3 bucket (origin access control), and AWS WAF with the per-user rate limit. With a
 * custom domain in the stack config it serves that name with its ACM certificate, TLS 1.2+ only.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { blockPublicAccess } from './private-bucket';
import { API } from '../../guide';
import type { CustomDomain, Stage, StackConfig } from '../config';
import { frontendBucketPolicy } from '../specs/policy-documents';
import { rateLimitedBody, wafRules } from '../specs/waf-rules';

export const EDGE_TYPE = 'async-ai-pipeline:infra:Edge';

/** AWS managed CloudFront policies (fixed ids, documented by AWS). */
export const MANAGED_POLICIES = {
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  /** Forwards every viewer header, Authorization included, but not Host (API Gateway rejects a foreign Host). */
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
} as const;

/** CloudFront-scoped web ACLs live in us-east-1 whatever the stack's region. */
const CLOUDFRONT_WAF_REGION = 'us-east-1';

/** The oldest viewer TLS a custom certificate accepts: TLS 1.2 with modern ciphers only (policies: cloudfront-https-tls). */
export const VIEWER_TLS_POLICY = 'TLSv1.2_2021';

/** How CloudFront presents itself: the stack's own name and certificate, or *.cloudfront.net (TLS fixed at TLSv1 by AWS). */
export function viewerCertificate(domain: CustomDomain | undefined): aws.types.input.cloudfront.DistributionViewerCertificate {
  return domain
    ? { acmCertificateArn: domain.certificateArn, sslSupportMethod: 'sni-only', minimumProtocolVersion: VIEWER_TLS_POLICY }
    : { cloudfrontDefaultCertificate: true };
}

export interface EdgeArgs {
  readonly stage: Stage;
  readonly priceClass: StackConfig['priceClass'];
  /** `https://<id>.execute-api.<region>.amazonaws.com`, or the API's custom domain. */
  readonly apiEndpoint: pulumi.Input<string>;
  /** The stack's custom domain. @default none: served as *.cloudfront.net */
  readonly domain?: CustomDomain;
}

export class Edge extends pulumi.ComponentResource {
  readonly distributionId: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  /** CloudFront's own name (`d….cloudfront.net`): where the custom domain's DNS record points. */
  readonly domainName: pulumi.Output<string>;
  readonly webAclName: pulumi.Output<string>;
  readonly webAclArn: pulumi.Output<string>;
  readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EDGE_TYPE, name, {}, opts);
    const { bucket, private: block } = this.createBucket(name, args);
    const webAcl = new aws.wafv2.WebAcl(
      `${name}-waf`,
      {
        name: `async-ai-pipeline-${args.stage}`,
        region: CLOUDFRONT_WAF_REGION,
        scope: 'CLOUDFRONT',
        defaultAction: { allow: {} },
        customResponseBodies: [rateLimitedBody()],
        rules: wafRules(),
        visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `async-ai-pipeline-${args.stage}` },
      },
      { parent: this },
    );
    const oac = new aws.cloudfront.OriginAccessControl(
      `${name}-oac`,
      {
        name: `async-ai-pipeline-${args.stage}-frontend`,
        originAccessControlOriginType: 's3',
        signingBehavior: 'always',
        signingProtocol: 'sigv4',
      },
      { parent: this },
    );
    const distribution = this.createDistribution(name, args, bucket, oac, webAcl);
    new aws.s3.BucketPolicy(
      `${name}-frontend-policy`,
      {
        bucket: bucket.id,
        policy: pulumi.all([bucket.arn, distribution.arn]).apply(([b, d]) => JSON.stringify(frontendBucketPolicy(b, d))),
        // S3 refuses concurrent changes to one bucket's access settings ("conflicting conditional operation").
      },
      { parent: this, dependsOn: [block] },
    );

    this.distributionId = distribution.id;
    this.domainName = distribution.domainName;
    this.url = args.domain ? pulumi.output(`https://${args.domain.name}`) : pulumi.interpolate`https://${distribution.domainName}`;
    this.webAclName = webAcl.name;
    this.webAclArn = webAcl.arn;
    this.bucketName = bucket.bucket;
    this.registerOutputs({ url: this.url, webAclName: this.webAclName });
  }

  private createBucket(name: string, args: EdgeArgs): { bucket: aws.s3.Bucket; private: aws.s3.BucketPublicAccessBlock } {
    const bucket = new aws.s3.Bucket(`${name}-frontend`, { forceDestroy: args.stage !== 'prod' }, { parent: this });
    const block = blockPublicAccess(`${name}-frontend-private`, bucket, this);
    new aws.s3.BucketOwnershipControls(
      `${name}-frontend-owner`,
      {
        bucket: bucket.id,
        rule: { objectOwnership: 'BucketOwnerEnforced' },
      },
      { parent: this },
    );
    return { bucket, private: block };
  }

  private createDistribution(
    name: string,
    args: EdgeArgs,
    bucket: aws.s3.Bucket,
    oac: aws.cloudfront.OriginAccessControl,
    webAcl: aws.wafv2.WebAcl,
  ): aws.cloudfront.Distribution {
    const apiHost = pulumi.output(args.apiEndpoint).apply((u) => new URL(u).host);
    return new aws.cloudfront.Distribution(
      `${name}-cdn`,
      {
        enabled: true,
        comment: `async-ai-pipeline ${args.stage}`,
        isIpv6Enabled: true,
        httpVersion: 'http2and3',
        priceClass: args.priceClass,
        defaultRootObject: 'index.html',
        aliases: args.domain ? [args.domain.name] : [],
        webAclId: webAcl.arn,
        origins: [
          { originId: 'frontend', domainName: bucket.bucketRegionalDomainName, originAccessControlId: oac.id },
          {
            originId: 'api',
            domainName: apiHost,
            customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'] },
          },
        ],
        defaultCacheBehavior: {
          targetOriginId: 'frontend',
          viewerProtocolPolicy: 'redirect-to-https',
          compress: true,
          allowedMethods: ['GET', 'HEAD'],
          cachedMethods: ['GET', 'HEAD'],
          cachePolicyId: MANAGED_POLICIES.cachingOptimized,
        },
        orderedCacheBehaviors: [
          {
            // API clients are never redirected (a redirected POST loses its body): plain HTTP is refused.
            pathPattern: `${API.basePath}/*`,
            targetOriginId: 'api',
            viewerProtocolPolicy: 'https-only',
            compress: true,
            allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
            cachedMethods: ['GET', 'HEAD'],
            cachePolicyId: MANAGED_POLICIES.cachingDisabled,
            originRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader,
          },
        ],
        restrictions: { geoRestriction: { restrictionType: 'none' } },
        viewerCertificate: viewerCertificate(args.domain),
      },
      { parent: this },
    );
  }
}
