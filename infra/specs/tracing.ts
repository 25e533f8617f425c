/**
 * OpenTelemetry on AWS (stack config `tracing.adot`, off by default): the AWS Distro for
 * OpenTelemetry Lambda layer for Node.js. Its wrapper (`AWS_LAMBDA_EXEC_WRAPPER=/opt/otel-handler`)
 * registers an OpenTelemetry SDK before the handler loads, so the spans the functions open
 * (functions/src/observability/tracing.ts: the use-case steps, each model call, each SQL statement,
 * StartExecution) are exported to X-Ray beside Powertools' segments, under the Lambda segment
 * that active tracing starts. Off, no layer and no variable: the OpenTelemetry API in the bundles
 * stays the no-op it is without an SDK, so tracing costs nothing.
 *
 * The layer is published by AWS in account 901920570463 in each commercial region, one per
 * architecture; the ARN is built here, once, from the stack's region and the functions'
 * architecture. A region outside the commercial partition has no such layer: set
 * `tracing.adotLayerArn` to one published there.
 */
import { INFRA } from '../../guide';

/** The ADOT JavaScript layer release the program uses (aws-otel-lambda's `nodejs` layer). */
export const ADOT_LAYER = {
  publisherAccount: '901920570463',
  release: '1-30-2',
  layerVersion: 1,
  /** Lambda runs the wrapper before the runtime starts the handler. */
  execWrapper: '/opt/otel-handler',
} as const;

/** Lambda's architecture names → the layer's. */
const LAYER_ARCH: Record<string, string> = { arm64: 'arm64', x86_64: 'amd64' };

/** Commercial regions: `xx-name-n`, not China (`cn-`) or GovCloud (`us-gov-`), where the layer is not published. */
const COMMERCIAL_REGION = /^(?!cn-|us-gov-|us-iso)[a-z]{2}(-[a-z]+)+-\d$/;

export const isAdotRegion = (region: string): boolean => COMMERCIAL_REGION.test(region);

/** The ADOT Node.js layer's ARN in `region`, for the functions' architecture. */
export function adotLayerArn(region: string, architecture: string = INFRA.lambda.architecture): string {
  const arch = LAYER_ARCH[architecture];
  if (!arch) throw new Error(`No ADOT layer for the Lambda architecture ${architecture}: use arm64 or x86_64`);
  if (!isAdotRegion(region)) throw new Error(`AWS publishes no ADOT layer in ${region}: set tracing.adotLayerArn to one published there`);
  return `arn:aws:lambda:${region}:${ADOT_LAYER.publisherAccount}:layer:aws-otel-nodejs-${arch}-ver-${ADOT_LAYER.release}:${ADOT_LAYER.layerVersion}`;
}

export interface TracingSettings {
  /** Add the ADOT layer to every function. @default false */
  readonly adot: boolean;
  /** The layer to add instead of the region's AWS-published one. */
  readonly adotLayerArn?: string;
}

/** What a function gets for tracing: a layer and the wrapper variable when ADOT is on, nothing when off. */
export function tracingAdditions(tracing: TracingSettings, region: string): { layers: string[]; environment: Record<string, string> } {
  if (!tracing.adot) return { layers: [], environment: {} };
  return {
    layers: [tracing.adotLayerArn ?? adotLayerArn(region)],
    environment: { AWS_LAMBDA_EXEC_WRAPPER: ADOT_LAYER.execWrapper },
  };
}
