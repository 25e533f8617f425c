/**
 * In a traced Lambda, each hand-signed AWS call (DrValidation's DescribeRestoreJob) is an X-Ray
 * subsegment (namespace `aws`, named by the service, with its operation), closed when the call
 * ends, with the error when it fails.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';

describe('captureAwsCall', () => {
  // As Lambda sets it (the Tracer reads it when it is built).
  const env = {
    AWS_LAMBDA_FUNCTION_NAME: 'xray-capture-test',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  };
  let tracer: Tracer;
  let xray: typeof import('aws-xray-sdk-core');
  let captureAwsCall: typeof import('../../../../functions/src/runtime/xray-capture').captureAwsCall;
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, env);
    jest.isolateModules(() => {
      xray = require('aws-xray-sdk-core') as typeof import('aws-xray-sdk-core');
      tracer = new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer({
        serviceName: 'async-ai-pipeline',
      });
      ({ captureAwsCall } =
        require('../../../../functions/src/runtime/xray-capture') as typeof import('../../../../functions/src/runtime/xray-capture'));
    });
  });
  afterAll(() => {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
  });
  it('records a closed subsegment per call, and the error of a call that fails', () =>
    xray.getNamespace().runPromise(async () => {
      // prepare: an invocation's segment, as the Lambda runtime's facade gives it
      const segment = new xray.Segment('invocation');
      tracer.setSegment(segment);
      const capture = captureAwsCall('Backup');

      // act
      await expect(capture('DescribeRestoreJob', async () => 'ok')).resolves.toBe('ok');
      await expect(capture('DescribeRestoreJob', async () => Promise.reject(new Error('ResourceNotFoundException')))).rejects.toThrow(
        'ResourceNotFoundException',
      );

      // assess
      const subs = (segment.subsegments ?? []) as unknown as {
        name: string;
        namespace: string;
        aws: { operation: string };
        end_time?: number;
        fault?: boolean;
        error?: boolean;
      }[];
      expect(subs.map((s) => [s.name, s.namespace, s.aws.operation, typeof s.end_time])).toEqual([
        ['Backup', 'aws', 'DescribeRestoreJob', 'number'],
        ['Backup', 'aws', 'DescribeRestoreJob', 'number'],
      ]);
      expect(subs[1]!.fault || subs[1]!.error).toBe(true);
      expect(tracer.getSegment()).toBe(segment);
    }));
});
