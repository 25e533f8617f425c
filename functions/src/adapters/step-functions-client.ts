/**
 * Step Functions' JSON 1.0 API (`POST /`, `X-Amz-Target: AWSStepFunctions.<Operation>`) on a
 * SignedAwsClient: the three execution calls the functions make, without the SDK client's
 * per-call middleware stack, endpoint rules and schema serde, which cost about a fifth of a start
 * request's CPU. The same wire format the SDK sends, so the local runtime's endpoint
 * (local/sfn-server.ts) and AWS answer it alike.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import type { CredentialSource } from './aws-signing';
import { SignedAwsClient, type RequestHandler, type SignedAwsClientOptions } from './signed-aws-client';

export type StepFunctionsOperation = 'StartExecution' | 'StopExecution' | 'DescribeExecution';

/** What StepFunctionsWorkflow calls: one operation with its JSON input, its JSON answer. */
export interface StepFunctionsApi {
  call(operation: StepFunctionsOperation, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export interface StepFunctionsClientOptions {
  region: string;
  /** @default the region's public endpoint */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | CredentialSource;
  requestHandler?: RequestHandler;
  /** @default 3 */
  maxAttempts?: number;
  trace?: SignedAwsClientOptions['trace'];
}

export class StepFunctionsClient implements StepFunctionsApi {
  private readonly client: SignedAwsClient;

  constructor(options: StepFunctionsClientOptions) {
    this.client = new SignedAwsClient({ ...options, service: 'states' });
  }

  call(operation: StepFunctionsOperation, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.client.request(operation, {
      method: 'POST',
      path: '/',
      body: JSON.stringify(input),
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}` },
    });
  }
}
