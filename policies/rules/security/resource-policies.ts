/**
 * Nothing of ours is public (cdk-nag S3/SNS/Lambda rules in spirit): no function URL or Lambda
 * permission lets the internet or any account's service in, no SNS topic policy is open to `*`,
 * and every bucket blocks public access, with no public bucket policy or ACL.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType, type PolicyResource } from '@pulumi/policy';
import { referenced } from '../../lib/graph';
import { isUnknown, knownString, read } from '../../lib/known';
import { displayName, type PackResourcePolicy, type PackStackPolicy } from '../../lib/pack-policy';
import { publicStatements, unscopedServiceStatements } from '../../lib/resource-policy';

/** An ARN that names one resource of one account: no wildcard before or in its resource's name (what follows may be a path pattern). */
const namesOneSource = (arn: string): boolean => {
  const [prefix, partition, service, region, account, ...rest] = arn.split(':');
  const resourceName = rest.join(':').split(/[/:]/)[0] ?? '';
  return (
    prefix === 'arn' &&
    ![partition, service, region, account].some((f) => /[*?]/.test(f ?? '')) &&
    (service === 's3' || /^\d{12}$/.test(account ?? '')) &&
    resourceName !== '' &&
    !/[*?]/.test(resourceName)
  );
};

export const lambdaNotPublic: PackResourcePolicy = {
  name: 'lambda-not-public',
  description:
    "Functions are reached through API Gateway (JWT, throttling) and CloudFront (WAF) only: no function URL without IAM auth, no Lambda permission for `*`, and a service principal only with a sourceArn naming one resource of this account (the confused deputy: otherwise any account's API or bucket could invoke it).",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: [
    validateResourceOfType(aws.lambda.FunctionUrl, (url, args, report) => {
      const auth = read(() => url.authorizationType);
      if (auth !== 'AWS_IAM')
        report(
          `Function URL "${args.name}" of ${knownString(
            read(() => url.functionName),
            'a function',
          )} has authorization ${isUnknown(auth) ? 'unknown' : auth}: anyone on the internet can invoke it, past the JWT authorizer and WAF; set authorizationType AWS_IAM or remove it.`,
        );
    }),
    validateResourceOfType(aws.lambda.Permission, (p, args, report) => {
      const name = `Lambda permission "${args.name}"`;
      const principal = read(() => p.principal);
      if (principal === '*') {
        report(
          `${name} lets anyone (principal "*") ${knownString(
            read(() => p.action),
            'act',
          )}: name the service or account that calls the function.`,
        );
        return;
      }
      if (read(() => p.functionUrlAuthType) === 'NONE')
        report(`${name} allows unauthenticated function URL calls (functionUrlAuthType NONE): use AWS_IAM.`);
      if (typeof principal !== 'string' || !principal.endsWith('.amazonaws.com')) return;
      // Unknown at preview: computed from the caller created in this run (an API's execution ARN).
      const source = read(() => p.sourceArn);
      if (!source)
        report(`${name} lets ${principal} invoke the function on behalf of any account: set sourceArn to the calling resource's ARN.`);
      else if (!isUnknown(source) && !namesOneSource(source)) {
        report(
          `${name} lets ${principal} invoke the function from "${source}", which names no single resource of one account: set sourceArn to the calling resource's ARN.`,
        );
      }
    }),
  ],
};

export const snsTopicNotPublic: PackResourcePolicy = {
  name: 'sns-topic-not-public',
  description:
    'No SNS topic policy lets anyone (`*`) publish or subscribe, a service principal publishes only for this account (aws:SourceAccount / aws:SourceArn), and no subscription delivers over plain HTTP: a public alert topic lets outsiders send fake alerts or read real ones.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: [
    validateResourceOfType(aws.sns.TopicPolicy, (p, args, report) => {
      const doc = read(() => p.policy);
      for (const problem of [...publicStatements(doc), ...unscopedServiceStatements(doc)])
        report(`Topic policy "${args.name}" ${problem}.`);
    }),
    validateResourceOfType(aws.sns.Topic, (t, args, report) => {
      const doc = read(() => t.policy);
      for (const problem of [...publicStatements(doc), ...unscopedServiceStatements(doc)])
        report(`SNS topic "${displayName(t, args.name)}" policy ${problem}.`);
    }),
    validateResourceOfType(aws.sns.TopicSubscription, (sub, args, report) => {
      if (read(() => sub.protocol) === 'http')
        report(`Topic subscription "${args.name}" delivers alerts over plain HTTP: use an https endpoint.`);
    }),
  ],
};

const BLOCKS = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'] as const;
const PUBLIC_ACLS = ['public-read', 'public-read-write', 'authenticated-read'];

const bucketName = (b: PolicyResource): string => {
  const n = read(() => b.props.bucket);
  return typeof n === 'string' ? n : b.name;
};

export const s3NotPublic: PackStackPolicy = {
  name: 's3-not-public',
  description:
    'Every bucket has a public access block with all four settings on, and no bucket policy or ACL makes it public: the frontend is served by CloudFront (origin access control) and the log archive is read by nobody else. A bucket policy unknown at preview is safe only behind blockPublicPolicy, which S3 enforces.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateStack: (args, report) => {
    const { resources } = args;
    const blocks = resources.filter((r) => r.isType(aws.s3.BucketPublicAccessBlock));
    const policies = resources.filter((r) => r.isType(aws.s3.BucketPolicy));
    for (const bucket of resources.filter((r) => r.isType(aws.s3.Bucket))) {
      const name = `S3 bucket "${bucketName(bucket)}"`;
      const block = blocks.find((b) => referenced(resources, b, 'bucket', aws.s3.Bucket).includes(bucket));
      const off = block ? BLOCKS.filter((k) => read(() => block.props[k]) !== true) : [...BLOCKS];
      if (!block)
        report(`${name} has no public access block: add an aws.s3.BucketPublicAccessBlock with ${BLOCKS.join(', ')} true.`, bucket.urn);
      else if (off.length) report(`${name} public access block leaves ${off.join(', ')} off: set all four true.`, block.urn);
      for (const policy of policies.filter((p) => referenced(resources, p, 'bucket', aws.s3.Bucket).includes(bucket))) {
        const doc = read(() => policy.props.policy);
        for (const problem of [...publicStatements(doc), ...unscopedServiceStatements(doc)])
          report(`Bucket policy of ${name} ${problem}.`, policy.urn);
        if (isUnknown(doc) && off.some((k) => k === 'blockPublicPolicy' || k === 'restrictPublicBuckets')) {
          report(
            `Bucket policy of ${name} is not known until other resources exist and the bucket does not block public policies: nothing stops it from being public; turn on blockPublicPolicy and restrictPublicBuckets.`,
            policy.urn,
          );
        }
      }
    }
    for (const acl of resources.filter((r) => r.isType(aws.s3.BucketAcl))) {
      const canned = read(() => acl.props.acl);
      if (typeof canned === 'string' && PUBLIC_ACLS.includes(canned))
        report(`Bucket ACL "${acl.name}" grants ${canned}: use bucket policies and keep objects private (BucketOwnerEnforced).`, acl.urn);
    }
  },
};
