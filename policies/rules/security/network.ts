/**
 * What faces the network (cdk-nag RDS/CFR/APIG rules in spirit): the database is never public,
 * CloudFront speaks modern TLS only and sits behind WAF, and the API writes access logs.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { INFRA } from '../../../guide';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

const WORLD = ['0.0.0.0/0', '::/0'];
const DB_PORT = INFRA.database.port;

const opensDbPort = (protocol: string | undefined, from: number | undefined, to: number | undefined): boolean =>
  protocol === '-1' || protocol === 'all' || (from !== undefined && to !== undefined && from <= DB_PORT && DB_PORT <= to);

export const databaseNotPublic: PackResourcePolicy = {
  name: 'database-not-public',
  description: `The database has no public address and no security group opens its port (tcp/${DB_PORT}) to the internet: only the functions in the VPC reach it.`,
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: [
    ...[aws.rds.ClusterInstance, aws.rds.Instance].map((type) =>
      validateResourceOfType(type as typeof aws.rds.ClusterInstance, (db, args, report) => {
        if (db.publiclyAccessible === true) report(`Database instance "${db.identifier ?? args.name}" is publicly accessible.`);
      })),
    validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, args, report) => {
      const peer = WORLD.find((c) => c === rule.cidrIpv4 || c === rule.cidrIpv6);
      if (peer && opensDbPort(rule.ipProtocol, rule.fromPort, rule.toPort)) report(`Ingress rule "${args.name}" opens tcp/${DB_PORT} to ${peer}.`);
    }),
    validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, args, report) => {
      const peer = WORLD.find((c) => (rule.cidrBlocks ?? []).includes(c) || (rule.ipv6CidrBlocks ?? []).includes(c));
      if (rule.type === 'ingress' && peer && opensDbPort(rule.protocol, rule.fromPort, rule.toPort)) report(`Ingress rule "${args.name}" opens tcp/${DB_PORT} to ${peer}.`);
    }),
    validateResourceOfType(aws.ec2.SecurityGroup, (group, args, report) => {
      for (const rule of group.ingress ?? []) {
        const peer = WORLD.find((c) => (rule.cidrBlocks ?? []).includes(c) || (rule.ipv6CidrBlocks ?? []).includes(c));
        if (peer && opensDbPort(rule.protocol, rule.fromPort, rule.toPort)) report(`Security group "${displayName(group, args.name)}" opens tcp/${DB_PORT} to ${peer}.`);
      }
    }),
  ],
};

/** CloudFront viewer security policies, oldest first. */
export const TLS_POLICIES = ['SSLv3', 'TLSv1', 'TLSv1_2016', 'TLSv1.1_2016', 'TLSv1.2_2018', 'TLSv1.2_2019', 'TLSv1.2_2021', 'TLSv1.3_2025'];

export interface CloudFrontTlsConfig {
  readonly minimumProtocolVersion: string;
}

export const cloudfrontHttpsTls: PackResourcePolicy = {
  name: 'cloudfront-https-tls',
  description:
    'CloudFront never serves plain HTTP (bearer tokens travel in every request), talks to its origins over HTTPS with TLS 1.2, and a custom certificate uses a TLS 1.2+ security policy.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  configSchema: {
    properties: { minimumProtocolVersion: { type: 'string', enum: TLS_POLICIES, default: 'TLSv1.2_2021', description: 'Oldest viewer security policy allowed with a custom certificate.' } },
  },
  validateResource: validateResourceOfType(aws.cloudfront.Distribution, (cdn, args, report) => {
    const name = `Distribution "${args.name}"`;
    const behaviors = [{ pathPattern: 'default', ...cdn.defaultCacheBehavior }, ...(cdn.orderedCacheBehaviors ?? [])];
    for (const b of behaviors) {
      if (b.viewerProtocolPolicy === 'allow-all') report(`${name} serves ${b.pathPattern} over plain HTTP (viewerProtocolPolicy allow-all).`);
    }
    for (const origin of cdn.origins ?? []) {
      const custom = origin.customOriginConfig;
      if (!custom) continue;
      if (custom.originProtocolPolicy !== 'https-only') report(`${name} reaches origin "${origin.originId}" with ${custom.originProtocolPolicy}; use https-only.`);
      const old = (custom.originSslProtocols ?? []).filter((p) => p !== 'TLSv1.2');
      if (old.length) report(`${name} allows ${old.join(', ')} to origin "${origin.originId}"; allow TLSv1.2 only.`);
    }
    const cert = cdn.viewerCertificate;
    if (cert && !cert.cloudfrontDefaultCertificate) {
      const min = args.getConfig<CloudFrontTlsConfig>().minimumProtocolVersion;
      const version = cert.minimumProtocolVersion ?? 'TLSv1';
      if (TLS_POLICIES.indexOf(version) < TLS_POLICIES.indexOf(min)) report(`${name} accepts viewers from ${version}; the oldest allowed is ${min}.`);
      if (cert.sslSupportMethod && cert.sslSupportMethod !== 'sni-only') report(`${name} uses ${cert.sslSupportMethod}; use sni-only.`);
    }
  }),
};

export const cloudfrontCustomCertificate: PackResourcePolicy = {
  name: 'cloudfront-custom-certificate',
  description:
    'A distribution serves its own domain with an ACM certificate: with the default *.cloudfront.net certificate CloudFront fixes the viewer security policy at TLSv1, so TLS 1.0 and 1.1 stay possible.',
  enforcementLevel: 'advisory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.cloudfront.Distribution, (cdn, args, report) => {
    if (cdn.viewerCertificate?.cloudfrontDefaultCertificate) {
      report(`Distribution "${args.name}" uses the default *.cloudfront.net certificate (viewer TLS from TLSv1): give it a domain with an ACM certificate in us-east-1 and TLSv1.2_2021.`);
    }
  }),
};

export const cloudfrontWaf: PackResourcePolicy = {
  name: 'cloudfront-waf',
  description: 'Every CloudFront distribution is protected by an AWS WAF web ACL: the per-user rate limit and the managed rule sets live there.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.cloudfront.Distribution, (cdn, args, report) => {
    if (!cdn.webAclId) report(`Distribution "${args.name}" has no WAF web ACL (webAclId).`);
  }),
};

const noAccessLogs = (stage: string): string => `API stage "${stage}" writes no access logs (accessLogSettings destination and format).`;

export const apiAccessLogging: PackResourcePolicy = {
  name: 'api-access-logging',
  description:
    'Every API stage writes access logs with a format: the guide\'s daily security checks (auth failures, rate limiting) and the monthly access-log audit read them.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: [
    validateResourceOfType(aws.apigatewayv2.Stage, (stage, args, report) => {
      if (!stage.accessLogSettings?.destinationArn || !stage.accessLogSettings.format) report(noAccessLogs(stage.name ?? args.name));
    }),
    validateResourceOfType(aws.apigateway.Stage, (stage, args, report) => {
      if (!stage.accessLogSettings?.destinationArn || !stage.accessLogSettings.format) report(noAccessLogs(stage.stageName ?? args.name));
    }),
  ],
};
