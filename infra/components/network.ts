/**
 * Network: a VPC with private subnets for the functions and Aurora, and the security groups that
 * allow exactly Lambda → database (and Lambda → AWS APIs). Every rule of the weekly security-group
 * review (セキュリティグループの設定を確認) is in this one file.
 */
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import * as pulumi from '@pulumi/pulumi';
import { INFRA } from '../../guide';
import type { InterfaceEndpoint, StackConfig } from '../config';

export const NETWORK_TYPE = 'async-ai-pipeline:infra:Network';

export interface NetworkArgs {
  readonly network: StackConfig['network'];
  readonly region: string;
  /** Adds the rules RDS Proxy needs (proxy and cluster share the database group). @default false */
  readonly rdsProxy?: boolean;
}

const HTTPS = 443;
const ANYWHERE = '0.0.0.0/0';

export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly lambdaSecurityGroupId: pulumi.Output<string>;
  readonly databaseSecurityGroupId: pulumi.Output<string>;
  /**
   * What a function needs before it can reach the database and the AWS APIs: the VPC (subnets,
   * NAT routes), every security-group rule and the interface endpoints. Rules and endpoints take
   * plain ids, so nothing else orders them: the db-migrate run waits for these explicitly.
   */
  readonly reachable: pulumi.Resource[] = [];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(NETWORK_TYPE, name, {}, opts);
    const vpc = this.createVpc(name, args);
    this.reachable.push(vpc);
    this.vpcId = vpc.vpcId;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.publicSubnetIds = vpc.publicSubnetIds;

    const lambda = this.group(`${name}-lambda-sg`, 'Lambda functions: egress to the database and AWS APIs only');
    const database = this.group(`${name}-database-sg`, 'Aurora (and RDS Proxy): ingress from the Lambda functions only');
    this.allowDatabase(name, lambda, database, args.rdsProxy ?? false);
    // AWS APIs (Step Functions, Bedrock, Secrets Manager) have no fixed addresses: HTTPS out, via NAT or endpoints.
    this.rule('egress', `${name}-lambda-to-aws-apis`, lambda, { cidrIpv4: ANYWHERE, port: HTTPS, description: 'AWS APIs over HTTPS' });
    if (args.network.interfaceEndpoints.length > 0) this.createEndpoints(name, args, lambda);

    this.lambdaSecurityGroupId = lambda.id;
    this.databaseSecurityGroupId = database.id;
    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds });
  }

  private createVpc(name: string, args: NetworkArgs): awsx.ec2.Vpc {
    return new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.network.cidrBlock,
        numberOfAvailabilityZones: args.network.availabilityZones,
        natGateways: { strategy: args.network.natGateways },
        subnetStrategy: 'Auto',
        // Public subnets hold only the NAT gateways; nothing of ours listens on the internet.
        subnetSpecs: [
          { type: 'Public', cidrMask: 24 },
          { type: 'Private', cidrMask: 20 },
        ],
        enableDnsHostnames: true,
        enableDnsSupport: true,
      },
      { parent: this },
    );
  }

  private group(name: string, description: string): aws.ec2.SecurityGroup {
    // No inline rules: the provider then removes AWS's default allow-all egress.
    return new aws.ec2.SecurityGroup(name, { vpcId: this.vpcId, description }, { parent: this });
  }

  private rule(
    direction: 'ingress' | 'egress',
    name: string,
    group: aws.ec2.SecurityGroup,
    to: { port: number; description: string; peer?: aws.ec2.SecurityGroup; cidrIpv4?: string },
  ): void {
    const args = {
      securityGroupId: group.id,
      ipProtocol: 'tcp',
      fromPort: to.port,
      toPort: to.port,
      description: to.description,
      ...(to.peer ? { referencedSecurityGroupId: to.peer.id } : { cidrIpv4: to.cidrIpv4 }),
    };
    this.reachable.push(
      direction === 'ingress'
        ? new aws.vpc.SecurityGroupIngressRule(name, args, { parent: this })
        : new aws.vpc.SecurityGroupEgressRule(name, args, { parent: this }),
    );
  }

  private allowDatabase(name: string, lambda: aws.ec2.SecurityGroup, database: aws.ec2.SecurityGroup, proxy: boolean): void {
    const port = INFRA.database.port;
    this.rule('egress', `${name}-lambda-to-database`, lambda, { peer: database, port, description: 'PostgreSQL' });
    this.rule('ingress', `${name}-database-from-lambda`, database, { peer: lambda, port, description: 'PostgreSQL from Lambda' });
    if (proxy) {
      // The proxy sits in the database group and connects on to the cluster in the same group.
      this.rule('egress', `${name}-proxy-to-database`, database, { peer: database, port, description: 'RDS Proxy to Aurora' });
      this.rule('ingress', `${name}-database-from-proxy`, database, { peer: database, port, description: 'Aurora from RDS Proxy' });
    }
  }

  /** Interface endpoints keep the functions' AWS API calls inside the VPC (no NAT data charges). */
  private createEndpoints(name: string, args: NetworkArgs, lambda: aws.ec2.SecurityGroup): void {
    const endpoints = this.group(`${name}-endpoints-sg`, 'VPC interface endpoints: HTTPS from the Lambda functions only');
    this.rule('ingress', `${name}-endpoints-from-lambda`, endpoints, { peer: lambda, port: HTTPS, description: 'HTTPS from Lambda' });
    for (const service of args.network.interfaceEndpoints as readonly InterfaceEndpoint[]) {
      this.reachable.push(
        new aws.ec2.VpcEndpoint(
          `${name}-${service}-endpoint`,
          {
            vpcId: this.vpcId,
            serviceName: `com.amazonaws.${args.region}.${service}`,
            vpcEndpointType: 'Interface',
            privateDnsEnabled: true,
            subnetIds: this.privateSubnetIds,
            securityGroupIds: [endpoints.id],
          },
          { parent: this },
        ),
      );
    }
  }
}
