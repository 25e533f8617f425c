/**
 * X-Ray subsegments for an AWS SDK client's calls (Powertools Tracer), for a Lambda with active
 * tracing. The Tracer and the X-Ray SDK under it (~130 KB, and `cls-hooked`'s async hooks, which
 * slow every `await` once loaded) are needed by nobody else, so this module is its own file in each
 * function's package, beside `index.js` (infra/build/bundle.ts), and `deps.ts` loads it only in a
 * traced Lambda: every other run (the local runtime, tests, a Lambda with tracing off) never reads it.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

type Traceable = Parameters<Tracer['captureAWSv3Client']>[0];

const tracer = new Tracer({ serviceName: 'async-ai-pipeline' });

export function captureAWSv3Client<T>(client: T): T {
  return tracer.captureAWSv3Client(client as Traceable) as T;
}

/**
 * An X-Ray subsegment (namespace `aws`, as the SDK capture makes) around one hand-signed AWS call
 * (adapters/signed-aws-client.ts: DrValidation's DescribeRestoreJob), so it shows on the trace as
 * an SDK client's call does. A Lambda runs
 * one invocation at a time, so the segment set for the call is the invocation's own.
 */
export function captureAwsCall(service: string) {
  return <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    const parent = tracer.getSegment();
    if (!parent) return call();
    const sub = parent.addNewSubsegment(service);
    sub.namespace = 'aws';
    sub.addAttribute('aws', { operation } as never);
    tracer.setSegment(sub);
    return call()
      .then(
        (value) => {
          sub.close();
          return value;
        },
        (err: Error) => {
          sub.addError(err);
          sub.close();
          throw err;
        },
      )
      .finally(() => tracer.setSegment(parent));
  };
}
