/**
 * The edge (cdk-nag CFR rules in spirit): CloudFront speaks modern TLS only, serves the stack's
 * own domain with an ACM certificate, and sits behind a CloudFront-scoped WAF web ACL.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { API } from '../../../guide';
import { MANAGED_POLICIES } from '../../../infra/components/edge';
import { isUnknown, knownItems, knownString, read } from '../../lib/known';
import type { PackResourcePolicy } from '../../lib/pack-policy';

/** CloudFront viewer security policies, oldest first. */
export const TLS_POLICIES = [
  'SSLv3',
  'TLSv1',
  'TLSv1_2016',
  'TLSv1.1_2016',
  'TLSv1.2_2018',
  'TLSv1.2_2019',
  'TLSv1.2_2021',
  'TLSv1.3_2025',
];

export interface CloudFrontTlsConfig {
  readonly minimumProtocolVersion: string;
}

/** The config a stack sets to give its distribution a domain (infra/config.ts, README "Custom domain"). */
export const CUSTOM_DOMAIN_FIX = [
  'pulumi config set --path domain.name <app.example.com>',
  'pulumi config set --path domain.certificateArn <ACM certificate ARN in us-east-1>',
  'pulumi config set --path domain.apiName <api.example.com>',
  "pulumi config set --path domain.apiCertificateArn <ACM certificate ARN in the stack's region>",
].join('; ');

const ACM_US_EAST_1 = /^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/;
const CLOUDFRONT_WEB_ACL = /^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/;

interface Behavior {
  readonly pathPattern?: string;
  readonly viewerProtocolPolicy?: string;
}

export const cloudfrontHttpsTls: PackResourcePolicy = {
  name: 'cloudfront-https-tls',
  description:
    'CloudFront never serves plain HTTP (bearer tokens travel in every request), talks to its origins over HTTPS with TLS 1.2, and a custom certificate is an ACM certificate in us-east-1 with a TLS 1.2+ security policy, served by SNI.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  configSchema: {
    properties: {
      minimumProtocolVersion: {
        type: 'string',
        enum: TLS_POLICIES,
        default: 'TLSv1.2_2021',
        description: 'Oldest viewer security policy allowed with a custom certificate.',
      },
    },
  },
  validateResource: validateResourceOfType(aws.cloudfront.Distribution, (cdn, args, report) => {
    const name = `Distribution "${args.name}"`;
    const behaviors: Behavior[] = [
      { pathPattern: 'default', ...(read(() => cdn.defaultCacheBehavior) as Behavior) },
      ...knownItems(() => cdn.orderedCacheBehaviors as Behavior[]),
    ];
    for (const b of behaviors) {
      if (read(() => b.viewerProtocolPolicy) === 'allow-all')
        report(
          `${name} serves ${b.pathPattern} over plain HTTP (viewerProtocolPolicy allow-all): use redirect-to-https, or https-only for the API.`,
        );
    }
    for (const origin of knownItems(() => cdn.origins)) {
      const custom = read(() => origin.customOriginConfig);
      if (!custom || isUnknown(custom)) continue;
      if (custom.originProtocolPolicy !== 'https-only')
        report(`${name} reaches origin "${origin.originId}" with ${custom.originProtocolPolicy}; use https-only.`);
      const old = (custom.originSslProtocols ?? []).filter((p) => p !== 'TLSv1.2');
      if (old.length) report(`${name} allows ${old.join(', ')} to origin "${origin.originId}"; allow TLSv1.2 only.`);
    }
    const cert = read(() => cdn.viewerCertificate);
    if (cert && !isUnknown(cert) && !cert.cloudfrontDefaultCertificate) {
      const min = args.getConfig<CloudFrontTlsConfig>().minimumProtocolVersion;
      const version = cert.minimumProtocolVersion ?? 'TLSv1';
      if (TLS_POLICIES.indexOf(version) < TLS_POLICIES.indexOf(min))
        report(
          `${name} accepts viewers from ${version}; the oldest allowed is ${min}: set viewerCertificate.minimumProtocolVersion ${min}.`,
        );
      if (cert.sslSupportMethod !== 'sni-only')
        report(
          `${name} serves its certificate by ${cert.sslSupportMethod ?? 'no sslSupportMethod'}; use sni-only (a dedicated IP costs $600 a month).`,
        );
      const arn = read(() => cert.acmCertificateArn);
      if (!arn)
        report(
          `${name} has a custom viewer certificate without an ACM certificate (acmCertificateArn): CloudFront takes ACM certificates from us-east-1.`,
        );
      else if (!isUnknown(arn) && !ACM_US_EAST_1.test(arn))
        report(
          `${name} uses certificate "${arn}"; CloudFront needs an ACM certificate in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>).`,
        );
    }
  }),
};

export const cloudfrontCustomCertificate: PackResourcePolicy = {
  name: 'cloudfront-custom-certificate',
  description:
    'A distribution serves its own domain with an ACM certificate: with the default *.cloudfront.net certificate CloudFront fixes the viewer security policy at TLSv1, so TLS 1.0 and 1.1 stay possible. Advisory until the stack config sets a domain (README "Custom domain").',
  enforcementLevel: 'advisory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.cloudfront.Distribution, (cdn, args, report) => {
    if (read(() => cdn.viewerCertificate?.cloudfrontDefaultCertificate) === true) {
      report(
        `Distribution "${args.name}" uses the default *.cloudfront.net certificate (viewer TLS from TLSv1), and the API's execute-api URL stays open beside it. Give the stack a domain: ${CUSTOM_DOMAIN_FIX}.`,
      );
    }
  }),
};

export const cloudfrontWaf: PackResourcePolicy = {
  name: 'cloudfront-waf',
  description:
    'Every CloudFront distribution is protected by a CloudFront-scoped AWS WAF web ACL (a WAFv2 ARN in us-east-1): the per-user rate limit and the managed rule sets live there.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.cloudfront.Distribution, (cdn, args, report) => {
    // Unknown at preview: the ARN of the web ACL created in this run (waf-rate-limit checks that ACL).
    const acl = read(() => cdn.webAclId);
    if (!acl) report(`Distribution "${args.name}" has no WAF web ACL: set webAclId to the ARN of a CLOUDFRONT-scoped WAFv2 web ACL.`);
    else if (!isUnknown(acl) && !CLOUDFRONT_WEB_ACL.test(acl)) {
      report(
        `Distribution "${args.name}" names web ACL "${acl}", which is not a CLOUDFRONT-scoped WAFv2 web ACL ARN (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>).`,
      );
    }
  }),
};

/** The managed policies the API's behaviour must use (infra/components/edge.ts, AWS's fixed ids). */
const API_BEHAVIOR = { cachePolicyId: MANAGED_POLICIES.cachingDisabled, originRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader };

export const cloudfrontApiUncached: PackResourcePolicy = {
  name: 'cloudfront-api-uncached',
  description: `CloudFront never caches the API (${API.basePath}/*: the managed CachingDisabled policy) and forwards every viewer header but Host (AllViewerExceptHostHeader), the bearer token among them: a cached response of one user would be served to the next, and a token not forwarded fails every call.`,
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.cloudfront.Distribution, (cdn, args, report) => {
    const behaviors = knownItems(
      () =>
        cdn.orderedCacheBehaviors as {
          pathPattern?: string;
          cachePolicyId?: string;
          originRequestPolicyId?: string;
          forwardedValues?: unknown;
        }[],
    );
    const api = behaviors.find((b) => b.pathPattern === `${API.basePath}/*`);
    const name = `Distribution "${args.name}"`;
    if (!api) {
      report(`${name} has no behaviour for ${API.basePath}/*: the API would be served by the default (cached, frontend) behaviour.`);
      return;
    }
    if (read(() => api.cachePolicyId) !== API_BEHAVIOR.cachePolicyId)
      report(
        `${name} caches ${API.basePath}/* with cache policy ${knownString(
          read(() => api.cachePolicyId),
          'none',
        )}: one user's response could be served to another; use CachingDisabled (${API_BEHAVIOR.cachePolicyId}).`,
      );
    if (read(() => api.originRequestPolicyId) !== API_BEHAVIOR.originRequestPolicyId)
      report(
        `${name} forwards ${API.basePath}/* with origin request policy ${knownString(
          read(() => api.originRequestPolicyId),
          'none',
        )}: use AllViewerExceptHostHeader (${API_BEHAVIOR.originRequestPolicyId}), which forwards the Authorization header.`,
      );
  }),
};
