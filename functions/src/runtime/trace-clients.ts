/**
 * X-Ray for the functions' AWS SDK clients, loaded only where tracing is on. The tracer's module
 * goes by a name esbuild leaves alone: the bundler ships it as its own file beside each function's
 * index.js (infra/build/bundle.ts), where the same relative name finds it.
 */
export const XRAY_CAPTURE_MODULE = './xray-capture';

let capture: (<T>(client: T) => T) | undefined;

const xrayTracing = (): boolean => !!process.env.AWS_LAMBDA_FUNCTION_NAME && process.env.POWERTOOLS_TRACE_ENABLED !== 'false';
const xrayCapture = (): typeof import('./xray-capture') => require(XRAY_CAPTURE_MODULE) as typeof import('./xray-capture');

/** Traces an SDK client's calls with X-Ray in Lambda (unless POWERTOOLS_TRACE_ENABLED=false). */
export function captureClient(): <T>(client: T) => T {
  if (capture) return capture;
  capture = xrayTracing() ? xrayCapture().captureAWSv3Client : (client) => client;
  return capture;
}

/**
 * The same for a hand-signed call (DrValidation's DescribeRestoreJob, adapters/signed-aws-client.ts):
 * a subsegment per call, or nothing.
 */
export const traceCalls = (service: string) => (xrayTracing() ? { trace: xrayCapture().captureAwsCall(service) } : {});
