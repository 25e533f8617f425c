/** S3's four public-access switches, all on: every bucket of the program is private. */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

export const blockPublicAccess = (resourceName: string, bucket: aws.s3.Bucket, parent: pulumi.Resource): aws.s3.BucketPublicAccessBlock =>
  new aws.s3.BucketPublicAccessBlock(
    resourceName,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    { parent },
  );
