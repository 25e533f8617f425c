/**
 * AiModel over Amazon Bedrock's Converse API (REST JSON, `POST /model/{modelId}/converse`), on a
 * SignedAwsClient: the SDK client's per-call machinery was about as much CPU as the rest of a
 * worker step. Bedrock's errors become the workflow's error names, so the state machine retries
 * throttling/unavailability and fails fast on the rest.
 */
import { WORKFLOW_ERRORS, WorkflowError } from '../domain/errors';
import type { AiModel, ModelRequest } from '../ports';
import { escapeUri } from './aws-signing';
import type { SignedAwsClient } from './signed-aws-client';

const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'ServiceQuotaExceededException']);
const UNAVAILABLE = new Set([
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelTimeoutException',
  'ModelNotReadyException',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

export function toWorkflowError(err: unknown): WorkflowError {
  const e = err as { name?: string; code?: string; message?: string; statusCode?: number; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? e.code ?? 'Error';
  const message = `Bedrock ${name}: ${e.message ?? 'unknown error'}`;
  if (THROTTLED.has(name)) return new WorkflowError(WORKFLOW_ERRORS.modelThrottled, message, { cause: err });
  if (UNAVAILABLE.has(name) || UNAVAILABLE.has(e.code ?? '') || (e.$metadata?.httpStatusCode ?? e.statusCode ?? 0) >= 500) {
    return new WorkflowError(WORKFLOW_ERRORS.modelUnavailable, message, { cause: err });
  }
  return new WorkflowError(WORKFLOW_ERRORS.modelRejected, message, { cause: err });
}

interface ConverseOutput {
  output?: { message?: { content?: { text?: string }[] } };
  stopReason?: string;
}

export class BedrockModel implements AiModel {
  constructor(
    private readonly client: Pick<SignedAwsClient, 'request'>,
    private readonly modelId: string,
  ) {}

  async generate(req: ModelRequest): Promise<string> {
    let out: ConverseOutput;
    try {
      out = (await this.client.request('Converse', {
        method: 'POST',
        path: `/model/${escapeUri(this.modelId)}/converse`,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          system: [{ text: req.system }],
          messages: [{ role: 'user', content: [{ text: req.prompt }] }],
          inferenceConfig: { maxTokens: req.maxTokens, temperature: 0.7 },
        }),
      })) as ConverseOutput;
    } catch (err) {
      throw toWorkflowError(err);
    }
    const text = (out.output?.message?.content ?? []).map((c) => c.text ?? '').join('');
    if (!text) throw new WorkflowError(WORKFLOW_ERRORS.modelOutputInvalid, `The model returned no text (stopReason ${out.stopReason})`);
    return text;
  }
}
