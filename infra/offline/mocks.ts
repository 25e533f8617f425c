/**
 * Pulumi mocks for running the program without AWS (tests and `npm run plan`). They record every
 * resource with its inputs, answer the few invokes the program makes, and throw on any other
 * invoke so a new data-source call cannot slip through unmocked. Outputs that AWS would compute
 * (ARNs, endpoints, the managed secret) get plausible fake values.
 *
 * In preview mode they answer like a first `pulumi preview` (every resource is a create): a
 * resource's outputs are its inputs (with its auto-name, which the provider assigns at preview)
 * and nothing else, so ids, ARNs and endpoints stay unknown, and so does every input computed
 * from them, exactly as the policy analyzer then sees them.
 */
import type * as pulumi from '@pulumi/pulumi';

export const MOCK_ACCOUNT_ID = '123456789012';

/** How the engine writes a value it does not know yet (a preview's computed outputs). */
const UNKNOWN_VALUE = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

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
        masterUserSecrets: [
          {
            secretArn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:rds!cluster-mock-AbCdEf`,
            kmsKeyId: '',
            secretStatus: 'active',
          },
        ],
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
      return {
        apiEndpoint: `https://mockapi.execute-api.${region}.amazonaws.com`,
        executionArn: `arn:aws:execute-api:${region}:${MOCK_ACCOUNT_ID}:mockapi`,
      };
    case 'aws:apigatewayv2/domainName:DomainName':
      return {
        domainNameConfiguration: {
          ...i.domainNameConfiguration,
          targetDomainName: `d-mock.execute-api.${region}.amazonaws.com`,
          hostedZoneId: 'ZMOCK',
        },
      };
    case 'aws:cloudfront/distribution:Distribution':
      return { domainName: 'd111111abcdef8.cloudfront.net', arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/EMOCK` };
    case 'aws:s3/bucket:Bucket': {
      const bucket = i.bucket ?? n;
      return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` };
    }
    case 'aws:iam/role:Role':
      return { arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${i.name ?? n}` };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${i.name}` };
    case 'pagerduty:index/serviceIntegration:ServiceIntegration':
      return { integrationKey: `mockintegrationkey${n.replace(/[^a-z0-9]/gi, '')}` };
    case 'aws:wafv2/webAcl:WebAcl':
      return i.scope === 'CLOUDFRONT'
        ? { arn: `arn:aws:wafv2:us-east-1:${MOCK_ACCOUNT_ID}:global/webacl/${i.name}/mock-id`, id: 'mock-id' }
        : { arn: `arn:aws:wafv2:${i.region ?? region}:${MOCK_ACCOUNT_ID}:regional/webacl/${i.name}/mock-id`, id: 'mock-id' };
    case 'aws:kms/key:Key':
      return { arn: `arn:aws:kms:${i.region ?? region}:${MOCK_ACCOUNT_ID}:key/mock-${n}`, keyId: `mock-${n}` };
    case 'aws:sns/topic:Topic':
      return { arn: `arn:aws:sns:${i.region ?? region}:${MOCK_ACCOUNT_ID}:${i.name ?? n}` };
    default:
      return {};
  }
}

export interface RecordingMocksOptions {
  /** Answer as a first `pulumi preview` does: outputs only where they echo inputs. @default false */
  readonly preview?: boolean;
}

/** The name the provider gives a resource the program did not name (known at preview). */
function autoName(r: RecordedResource): Outputs {
  const name = { name: r.inputs.name ?? r.name };
  return r.type === 'aws:s3/bucket:Bucket' ? { ...name, bucket: r.inputs.bucket ?? r.name } : name;
}

export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  /** Invokes nobody answered: the offline run fails if there are any. */
  readonly unmockedCalls: string[] = [];

  constructor(
    private readonly region: string,
    private readonly availabilityZones = 3,
    private readonly options: RecordingMocksOptions = {},
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Outputs } {
    const r: RecordedResource = { type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true };
    this.resources.push(r);
    const named = { ...args.inputs, ...autoName(r) };
    const outputs = { arn: arnFor(args.type, args.name, this.region), ...computed(r, this.region) };
    if (!this.options.preview) return { id: `${args.name}-id`, state: { ...named, ...outputs } };
    // A planned create: what AWS computes is unknown (the wire sentinel), and so is the id ('').
    const unknown = Object.fromEntries(
      Object.keys(outputs)
        .filter((k) => !(k in named))
        .map((k) => [k, UNKNOWN_VALUE]),
    );
    return { id: '', state: { ...named, ...unknown } };
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
