/**
 * The model port over the real `@aws-sdk/client-bedrock-runtime` BedrockRuntimeClient: the SDK
 * serializes Converse and parses Bedrock's answers and errors (answered here by a request handler
 * that records the requests), and the port turns Bedrock's errors into the workflow's: throttling
 * is ModelThrottled, 5xx and timeouts are ModelUnavailable, the rest ModelRejected, and a call
 * past its deadline StepTimedOut. deps.test.ts proves the worker's client as built (hung, slow and
 * throttled calls against the step's deadline) against the local Bedrock.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BedrockModel } from '../../../../functions/src/adapters/bedrock-model';
import { WORKFLOW_ERRORS } from '../../../../functions/src/domain/errors';
import { answering, bodyText, type Answer } from '../../../helpers/signed-aws';

const REGION = 'ap-northeast-1';
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const CREDENTIALS = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY' };
const REQUEST = { system: 'You write subgoals.', prompt: 'Goal: run a marathon', maxTokens: 512 };
/** A step with a minute left: none of these answers comes near the deadline (deps.test.ts proves it against a hanging endpoint). */
const inAMinute = () => ({ deadline: new Date(Date.now() + 60_000) });
const json = (status: number, body: unknown, errorType?: string): Answer => ({
  status,
  headers: {
    'content-type': 'application/json',
    ...(errorType ? { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/` } : {}),
  },
  body: JSON.stringify(body),
});
const answer = json(200, {
  output: { message: { role: 'assistant', content: [{ text: '{"subgoals":[]}' }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 9, outputTokens: 4, totalTokens: 13 },
});

/** A model on a real BedrockRuntimeClient (2 attempts, as the worker's default) whose requests are recorded and answered in turn. */
const modelAnswering = (...answers: Answer[]) => {
  const h = answering(...answers);
  const client = new BedrockRuntimeClient({ region: REGION, credentials: CREDENTIALS, requestHandler: h.requestHandler, maxAttempts: 2 });
  return { model: new BedrockModel(client, MODEL), requests: h.requests };
};

describe('BedrockModel', () => {
  it("sends the request as Converse and returns the model's text", async () => {
    // prepare
    const { model, requests } = modelAnswering(answer);

    // act
    const text = await model.generate(REQUEST, inAMinute());

    // assess
    expect(text).toBe('{"subgoals":[]}');
    expect(requests).toHaveLength(1);
    expect({ method: requests[0]!.method, hostname: requests[0]!.hostname, path: requests[0]!.path }).toEqual({
      method: 'POST',
      hostname: `bedrock-runtime.${REGION}.amazonaws.com`,
      path: `/model/${encodeURIComponent(MODEL)}/converse`,
    });
    expect(JSON.parse(bodyText(requests[0]!.body))).toEqual({
      system: [{ text: REQUEST.system }],
      messages: [{ role: 'user', content: [{ text: REQUEST.prompt }] }],
      inferenceConfig: { maxTokens: REQUEST.maxTokens, temperature: 0.7 },
    });
  });

  it.each([
    ['throttling', WORKFLOW_ERRORS.modelThrottled, json(429, { message: 'Too many requests' }, 'ThrottlingException'), 2],
    ['a quota', WORKFLOW_ERRORS.modelThrottled, json(400, { message: 'Quota exceeded' }, 'ServiceQuotaExceededException'), 1],
    ['unavailability', WORKFLOW_ERRORS.modelUnavailable, json(503, { message: 'unavailable' }, 'ServiceUnavailableException'), 2],
    ['a 5xx without a code', WORKFLOW_ERRORS.modelUnavailable, json(500, { message: 'boom' }), 2],
    [
      "the model's timeout",
      WORKFLOW_ERRORS.modelUnavailable,
      json(408, { message: 'Model timed out' }, 'ModelTimeoutException'),
      undefined,
    ],
    ['a malformed request', WORKFLOW_ERRORS.modelRejected, json(400, { message: 'Malformed input request' }, 'ValidationException'), 1],
    ['a denied model', WORKFLOW_ERRORS.modelRejected, json(403, { message: 'no access' }, 'AccessDeniedException'), 1],
  ])('maps %s to %s after the attempts the SDK makes', async (_, error, response, attempts) => {
    // prepare
    const { model, requests } = modelAnswering(response);

    // act
    const err = await model.generate(REQUEST, inAMinute()).catch((e: unknown) => e);

    // assess
    expect(err).toMatchObject({ name: error });
    if (attempts !== undefined) expect(requests).toHaveLength(attempts);
  });

  it('calls the model unavailable when the connection drops, after both attempts', async () => {
    // prepare: the socket error Node's HTTP client raises, from the SDK's request handler
    const requests: unknown[] = [];
    const requestHandler = {
      handle: async (request: unknown) => {
        requests.push(request);
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    };
    const client = new BedrockRuntimeClient({ region: REGION, credentials: CREDENTIALS, requestHandler, maxAttempts: 2 });

    // act
    const err = await new BedrockModel(client, MODEL).generate(REQUEST, inAMinute()).catch((e: unknown) => e);

    // assess
    expect(err).toMatchObject({ name: WORKFLOW_ERRORS.modelUnavailable, message: 'Bedrock Error: socket hang up' });
    expect(requests).toHaveLength(2);
  });

  it('says the output is invalid when the model returns no text', async () => {
    const { model } = modelAnswering(json(200, { output: { message: { role: 'assistant', content: [] } }, stopReason: 'max_tokens' }));
    await expect(model.generate(REQUEST, inAMinute())).rejects.toMatchObject({
      name: WORKFLOW_ERRORS.modelOutputInvalid,
      message: expect.stringContaining('max_tokens'),
    });
  });

  it('gives up at once with StepTimedOut when the step has no time left for the call', async () => {
    const { model, requests } = modelAnswering(answer);
    await expect(model.generate(REQUEST, { deadline: new Date(Date.now() - 1) })).rejects.toMatchObject({
      name: WORKFLOW_ERRORS.stepTimedOut,
    });
    expect(requests).toHaveLength(0);
  });
});
