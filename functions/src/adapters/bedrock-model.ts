/**
 * AiModel over Amazon Bedrock's Converse API, through the SDK's BedrockRuntimeClient (locally
 * pointed at local/bedrock-server.ts). Bedrock's errors become the workflow's error names, so the
 * state machine retries throttling/unavailability and fails fast on the rest. A call that reaches
 * its deadline (the step's time, shared by the SDK's attempts) is aborted and ends StepTimedOut.
 */
import { type BedrockRuntimeClient, ConverseCommand, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { WORKFLOW_ERRORS, WorkflowError } from '../domain/errors';
import type { AiModel, ModelCallOptions, ModelRequest } from '../ports';

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

  async generate(req: ModelRequest, { deadline }: ModelCallOptions): Promise<string> {
    const command = new ConverseCommand({
      modelId: this.modelId,
      system: [{ text: req.system }],
      messages: [{ role: 'user', content: [{ text: req.prompt }] }],
      inferenceConfig: { maxTokens: req.maxTokens, temperature: 0.7 },
    });
    const allowedMs = deadline.getTime() - Date.now();
    const timedOut = () =>
      new WorkflowError(
        WORKFLOW_ERRORS.stepTimedOut,
        `Bedrock did not answer within the step's time (${Math.max(0, Math.round(allowedMs))} ms were left for the call)`,
      );
    if (allowedMs <= 0) throw timedOut();
    // One signal for every SDK attempt: an attempt in flight is aborted (the SDK does not retry an
    // abort); the race also ends the call while the SDK sleeps between attempts.
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(timedOut());
      }, allowedMs);
    });
    let out: ConverseCommandOutput;
    try {
      out = await Promise.race([this.client.send(command, { abortSignal: abort.signal }), expired]);
    } catch (err) {
      if (err instanceof WorkflowError) throw err;
      if (abort.signal.aborted) throw timedOut();
      throw toWorkflowError(err);
    } finally {
      clearTimeout(timer);
    }
    const text = (out.output?.message?.content ?? []).map((c) => c.text ?? '').join('');
    if (!text) throw new WorkflowError(WORKFLOW_ERRORS.modelOutputInvalid, `The model returned no text (stopReason ${out.stopReason})`);
    return text;
  }
}
