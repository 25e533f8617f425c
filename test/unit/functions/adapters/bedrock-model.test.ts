/**
 * Bedrock's Converse over the hand-signed client: the request is the one
 * `@aws-sdk/client-bedrock-runtime` sends (path with the escaped model id, body, a SigV4 signature
 * for `bedrock` that an independent verifier accepts), and Bedrock's answers and errors become the
 * workflow's.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { BedrockModel } from '../../../../functions/src/adapters/bedrock-model';
import { SignedAwsClient } from '../../../../functions/src/adapters/signed-aws-client';
import { WORKFLOW_ERRORS } from '../../../../functions/src/domain/errors';
import { answering, bodyText, verifySigV4, type Answer } from '../../../helpers/signed-aws';

const REGION = 'ap-northeast-1';
const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY',
  sessionToken: 'IQoJb3JpZ2luX2VjE+/=abc',
};
const REQUEST = { system: 'You write subgoals.', prompt: 'Goal: run a marathon', maxTokens: 512 };
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

const modelAnswering = (...answers: Answer[]) => {
  const h = answering(...answers);
  const client = new SignedAwsClient({
    service: 'bedrock',
    endpointPrefix: 'bedrock-runtime',
    region: REGION,
    credentials: CREDENTIALS,
    requestHandler: h.requestHandler,
    maxAttempts: 2,
  });
  return { model: new BedrockModel(client, MODEL), requests: h.requests };
};

describe('BedrockModel', () => {
  afterEach(() => jest.useRealTimers());

  it('sends Converse as @aws-sdk/client-bedrock-runtime does and returns the text', async () => {
    // prepare: both sign at the same instant
    jest.useFakeTimers({ now: new Date('2026-12-06T00:31:02.000Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const theirs = answering(answer);
    await new BedrockRuntimeClient({
      region: REGION,
      credentials: CREDENTIALS,
      maxAttempts: 1,
      requestHandler: theirs.requestHandler,
    }).send(
      new ConverseCommand({
        modelId: MODEL,
        system: [{ text: REQUEST.system }],
        messages: [{ role: 'user', content: [{ text: REQUEST.prompt }] }],
        inferenceConfig: { maxTokens: REQUEST.maxTokens, temperature: 0.7 },
      }),
    );
    const { model, requests } = modelAnswering(answer);

    // act
    const text = await model.generate(REQUEST);

    // assess
    const [sdk, ours] = [theirs.requests[0]!, requests[0]!];
    expect(text).toBe('{"subgoals":[]}');
    expect({ method: ours.method, hostname: ours.hostname, path: ours.path }).toEqual({
      method: sdk.method,
      hostname: sdk.hostname,
      path: sdk.path,
    });
    expect(ours.hostname).toBe(`bedrock-runtime.${REGION}.amazonaws.com`);
    expect(JSON.parse(bodyText(ours.body))).toEqual(JSON.parse(bodyText(sdk.body)));
    expect(ours.headers.authorization).toMatch(/\/ap-northeast-1\/bedrock\/aws4_request, /);
    expect([verifySigV4(sdk, CREDENTIALS.secretAccessKey), verifySigV4(ours, CREDENTIALS.secretAccessKey)]).toEqual([true, true]);
  });

  it.each([
    [json(429, { message: 'Too many requests' }, 'ThrottlingException'), WORKFLOW_ERRORS.modelThrottled],
    [json(503, { message: 'unavailable' }, 'ServiceUnavailableException'), WORKFLOW_ERRORS.modelUnavailable],
    [json(500, { message: 'boom' }), WORKFLOW_ERRORS.modelUnavailable],
    [json(400, { message: 'Malformed input request' }, 'ValidationException'), WORKFLOW_ERRORS.modelRejected],
  ])("maps %j to the workflow error %s after the client's attempts", async (response, error) => {
    const { model, requests } = modelAnswering(response);
    await expect(model.generate(REQUEST)).rejects.toMatchObject({ name: error });
    expect(requests).toHaveLength(error === WORKFLOW_ERRORS.modelRejected ? 1 : 2);
  });

  it('says the output is invalid when the model returns no text', async () => {
    const { model } = modelAnswering(json(200, { output: { message: { role: 'assistant', content: [] } }, stopReason: 'max_tokens' }));
    await expect(model.generate(REQUEST)).rejects.toMatchObject({
      name: WORKFLOW_ERRORS.modelOutputInvalid,
      message: expect.stringContaining('max_tokens'),
    });
  });
});
