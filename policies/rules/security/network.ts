/**
 * What faces the network (cdk-nag RDS/EC2 rules in spirit): the database is never public and its
 * port is reached from security groups only, and no security group lets the internet in on any
 * port: nothing of ours listens there (CloudFront and API Gateway are AWS's endpoints).
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType, type ReportViolation } from '@pulumi/policy';
import { INFRA } from '../../../guide';
import { knownItems, knownString, read } from '../../lib/known';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

/** The internet, or so much of it that the difference does not matter (any prefix shorter than /8, or /16 in IPv6). */
const isWorld = (cidr: string): boolean => {
  const [, bits] = cidr.split('/');
  const n = Number(bits);
  return cidr.includes(':') ? n < 16 : n < 8;
};
const DB_PORT = INFRA.database.port;

/** A rule's ports, `-1` / `all` meaning every port. */
interface Ingress {
  readonly protocol?: string;
  readonly from?: number;
  readonly to?: number;
  /** The CIDRs it admits (known ones). */
  readonly cidrs: string[];
}

const allPorts = (protocol: string | undefined): boolean => protocol === '-1' || protocol === 'all';
const opens = (r: Ingress, port: number): boolean =>
  allPorts(r.protocol) || (r.from !== undefined && r.to !== undefined && r.from <= port && port <= r.to);
const ports = (r: Ingress): string =>
  allPorts(r.protocol) ? 'every port' : r.from === r.to ? `${r.protocol}/${r.from}` : `${r.protocol}/${r.from}-${r.to}`;

type RuleCheck = (what: string, rule: Ingress, report: ReportViolation) => void;

/** Runs a check on every ingress rule, whichever resource type holds it. */
function onIngress(check: RuleCheck) {
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return [
    validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, args, report) => {
      const cidrs = [read(() => rule.cidrIpv4), read(() => rule.cidrIpv6)].filter((c): c is string => typeof c === 'string');
      check(
        `Ingress rule "${args.name}"`,
        { protocol: str(read(() => rule.ipProtocol)), from: num(read(() => rule.fromPort)), to: num(read(() => rule.toPort)), cidrs },
        report,
      );
    }),
    validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, args, report) => {
      if (read(() => rule.type) !== 'ingress') return;
      const cidrs = [...knownItems(() => rule.cidrBlocks), ...knownItems(() => rule.ipv6CidrBlocks)];
      check(
        `Ingress rule "${args.name}"`,
        { protocol: str(read(() => rule.protocol)), from: num(read(() => rule.fromPort)), to: num(read(() => rule.toPort)), cidrs },
        report,
      );
    }),
    validateResourceOfType(aws.ec2.SecurityGroup, (group, args, report) => {
      for (const rule of knownItems(() => group.ingress)) {
        const cidrs = [...knownItems(() => rule.cidrBlocks), ...knownItems(() => rule.ipv6CidrBlocks)];
        check(
          `Security group "${displayName(group, args.name)}"`,
          { protocol: str(read(() => rule.protocol)), from: num(read(() => rule.fromPort)), to: num(read(() => rule.toPort)), cidrs },
          report,
        );
      }
    }),
  ];
}

export const databaseNotPublic: PackResourcePolicy = {
  name: 'database-not-public',
  description: `The database has no public address and its port (tcp/${DB_PORT}) admits security groups only, never an address range: only the functions (and RDS Proxy) in the VPC reach it.`,
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: [
    ...[aws.rds.ClusterInstance, aws.rds.Instance].map((type) =>
      validateResourceOfType(type as typeof aws.rds.ClusterInstance, (db, args, report) => {
        if (read(() => db.publiclyAccessible) === true)
          report(
            `Database instance "${knownString(
              read(() => db.identifier),
              args.name,
            )}" is publicly accessible: set publiclyAccessible false.`,
          );
      }),
    ),
    ...onIngress((what, rule, report) => {
      if (rule.cidrs.length > 0 && opens(rule, DB_PORT)) {
        report(
          `${what} opens tcp/${DB_PORT} to ${rule.cidrs.join(', ')}; the database admits the functions' security group only (referencedSecurityGroupId).`,
        );
      }
    }),
  ],
};

export const noWorldIngress: PackResourcePolicy = {
  name: 'no-world-ingress',
  description:
    'No security group admits the whole internet (0.0.0.0/0, ::/0, or any range wider than a /8) on any port: nothing of ours listens on the internet, so such a rule only opens a door for whatever runs behind it next.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: onIngress((what, rule, report) => {
    const world = rule.cidrs.filter(isWorld);
    if (world.length) report(`${what} admits ${world.join(', ')} on ${ports(rule)}: admit a security group or a narrow range instead.`);
  }),
};
