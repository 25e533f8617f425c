/**
 * Pulumi mocks for running the program without AWS (tests and `npm run plan`). They record every
 * resource with its inputs, answer the few invokes the program makes, and throw on any other
 * invoke so a new data-source call cannot slip through unmocked. Outputs that AWS would compute
 * (ARNs, endpoints, the managed secret) get plausible fake values.
 */
import type * as pulumi from '@pulumi/pulumi';

export const MOCK_ACCOUNT_ID = '123456789012';

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  /** False for components (ours, and awsx's remote ones are custom=false too). */
  readonly custom: boolean;
}

type Outputs = Record<string, unknown>;

function arnFor(type: string, name: string, region: string): string {
  const service = type.split(':')[1]?.split('/')[0] ?? 'unknown';
  return `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${name}`;
}

/** Computed outputs per resource type, beyond the echoed inputs. */
function computed(r: RecordedResource, region: string): Outputs {
  const n = r.name;
  const i = r.inputs;
  switch (r.type) {
    case 'awsx:ec2:Vpc': {
      // awsx's Vpc is a remote component: under mocks it is one resource whose outputs we supply.
      const count = Number(i.numberOfAvailabilityZones ?? 2);
      const ids = (kind: string) => Array.from({ length: count }, (_, k) => `subnet-${kind}-${k + 1}`);
      return { vpcId: `vpc-${n}`, privateSubnetIds: ids('private'), publicSubnetIds: ids('public'), isolatedSubnetIds: [] };
    }
    case 'aws:rds/cluster:Cluster':
      return {
        endpoint: `${i.clusterIdentifier}.cluster-mock.${region}.rds.amazonaws.com`,
        readerEndpoint: `${i.clusterIdentifier}.cluster-ro-mock.${region}.rds.amazonaws.com`,
        clusterResourceId: 'cluster-MOCKRESOURCEID',
        arn: `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:cluster:${i.clusterIdentifier}`,
        masterUserSecrets: [{ secretArn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:rds!cluster-mock-AbCdEf`, kmsKeyId: '', secretStatus: 'active' }],
      };
    case 'aws:rds/proxy:Proxy':
      return { endpoint: `${n}.proxy-mock.${region}.rds.amazonaws.com` };
    case 'aws:lambda/function:Function': {
      const arn = `arn:aws:lambda:${region}:${MOCK_ACCOUNT_ID}:function:${i.name}`;
      return { arn, invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`, version: '1' };
    }
    case 'aws:lambda/alias:Alias':
      return { arn: `arn:aws:lambda:${region}:${MOCK_ACCOUNT_ID}:function:${i.functionName}:${i.name}` };
    case 'aws:sfn/stateMachine:StateMachine':
      return { arn: `arn:aws:states:${region}:${MOCK_ACCOUNT_ID}:stateMachine:${i.name}` };
    case 'aws:apigatewayv2/api:Api':
      return { apiEndpoint: `https://mockapi.execute-api.${region}.amazonaws.com`, executionArn: `arn:aws:execute-api:${region}:${MOCK_ACCOUNT_ID}:mockapi` };
    case 'aws:cloudfront/distribution:Distribution':
      return { domainName: 'd111111abcdef8.cloudfront.net', arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/EMOCK` };
    case 'aws:s3/bucket:Bucket':
      return { bucket: n, arn: `arn:aws:s3:::${n}`, bucketRegionalDomainName: `${n}.s3.${region}.amazonaws.com` };
    case 'aws:iam/role:Role':
      return { arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${i.name ?? n}` };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${i.name}` };
    case 'pagerduty:index/serviceIntegration:ServiceIntegration':
      return { integrationKey: `mockintegrationkey${n.replace(/[^a-z0-9]/gi, '')}` };
    default:
      return {};
  }
}

export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  /** Invokes nobody answered: the offline run fails if there are any. */
  readonly unmockedCalls: string[] = [];

  constructor(private readonly region: string, private readonly availabilityZones = 3) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Outputs } {
    const r: RecordedResource = { type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true };
    this.resources.push(r);
    const state = {
      ...args.inputs,
      name: args.inputs.name ?? args.name,
      arn: arnFor(args.type, args.name, this.region),
      ...computed(r, this.region),
    };
    return { id: `${args.name}-id`, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Outputs {
    switch (args.token) {
      case 'aws:index/getCallerIdentity:getCallerIdentity':
        return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/plan`, userId: 'AIDAMOCK', id: MOCK_ACCOUNT_ID };
      case 'aws:index/getPartition:getPartition':
        return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
      case 'aws:index/getRegion:getRegion':
        return { name: this.region, region: this.region, id: this.region };
      case 'aws:index/getAvailabilityZones:getAvailabilityZones': {
        const names = Array.from({ length: this.availabilityZones }, (_, k) => `${this.region}${'abcd'[k]}`);
        return { names, zoneIds: names, id: this.region };
      }
      default:
        this.unmockedCalls.push(args.token);
        throw new Error(`Unmocked invoke ${args.token}: answer it in infra/offline/mocks.ts if the program really needs it`);
    }
  }

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }
}
