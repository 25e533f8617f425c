/**
 * AiModel over Amazon Bedrock's Converse API, through the SDK's BedrockRuntimeClient (locally
 * pointed at local/bedrock-server.ts). Bedrock's errors become the workflow's error names, so the
 * state machine retries throttling/unavailability and fails fast on the rest.
 */
import { type BedrockRuntimeClient, ConverseCommand, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { WORKFLOW_ERRORS, WorkflowError } from '../domain/errors';
import type { AiModel, ModelRequest } from '../ports';

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
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? e.code ?? 'Error';
  const message = `Bedrock ${name}: ${e.message ?? 'unknown error'}`;
  if (THROTTLED.has(name)) return new WorkflowError(WORKFLOW_ERRORS.modelThrottled, message, { cause: err });
  if (UNAVAILABLE.has(name) || UNAVAILABLE.has(e.code ?? '') || (e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return new WorkflowError(WORKFLOW_ERRORS.modelUnavailable, message, { cause: err });
  }
  return new WorkflowError(WORKFLOW_ERRORS.modelRejected, message, { cause: err });
}

export class BedrockModel implements AiModel {
  constructor(
    private readonly client: Pick<BedrockRuntimeClient, 'send'>,
    private readonly modelId: string,
  ) {}

  async generate(req: ModelRequest): Promise<string> {
    let out: ConverseCommandOutput;
    try {
      out = await this.client.send(
        new ConverseCommand({
          modelId: this.modelId,
          system: [{ text: req.system }],
          messages: [{ role: 'user', content: [{ text: req.prompt }] }],
          inferenceConfig: { maxTokens: req.maxTokens, temperature: 0.7 },
        }),
      );
    } catch (err) {
      throw toWorkflowError(err);
    }
    const text = (out.output?.message?.content ?? []).map((c) => c.text ?? '').join('');
    if (!text) throw new WorkflowError(WORKFLOW_ERRORS.modelOutputInvalid, `The model returned no text (stopReason ${out.stopReason})`);
    return text;
  }
}
