/**
 * Step Functions over the hand-signed JSON 1.0 client: the request is the one `@aws-sdk/client-sfn`
 * sends (target, content type, body, a SigV4 signature an independent verifier accepts), and the
 * workflow port reads its answers and errors the way the contract needs.
 */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { StepFunctionsClient } from '../../../../functions/src/adapters/step-functions-client';
import { StepFunctionsWorkflow } from '../../../../functions/src/adapters/sfn-workflow';
import { ExecutionAlreadyEndedError, WorkflowUnavailableError } from '../../../../functions/src/ports';
import { answering, bodyText, verifySigV4, type Answer } from '../../../helpers/signed-aws';

const REGION = 'ap-northeast-1';
const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY',
  sessionToken: 'IQoJb3JpZ2luX2VjE+/=abc',
};
const ARN = `arn:aws:states:${REGION}:111122223333:stateMachine:AIGenerationStateMachine`;
const INPUT = { processId: '5b0c7a0e-1b7e-4d7a-9d43-2f0f3b1c9a11', userId: 'u-1', type: 'SUBGOAL_GENERATION' as const, attempt: 1 };
const json = (status: number, body: unknown): Answer => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.0' },
  body: JSON.stringify(body),
});
const started = json(200, { executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:p-1`, startDate: 1796524200.5 });

const workflowAnswering = (...answers: Answer[]) => {
  const h = answering(...answers);
  return {
    workflow: new StepFunctionsWorkflow(
      new StepFunctionsClient({ region: REGION, credentials: CREDENTIALS, requestHandler: h.requestHandler }),
      ARN,
    ),
    requests: h.requests,
  };
};

describe('StepFunctionsClient', () => {
  afterEach(() => jest.useRealTimers());

  it('sends StartExecution as @aws-sdk/client-sfn does, signed for states in the region', async () => {
    // prepare: both sign at the same instant
    jest.useFakeTimers({ now: new Date('2026-12-06T00:31:02.000Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const theirs = answering(started);
    const input = { stateMachineArn: ARN, name: 'p-1', input: JSON.stringify(INPUT) };
    await new SFNClient({ region: REGION, credentials: CREDENTIALS, maxAttempts: 1, requestHandler: theirs.requestHandler }).send(
      new StartExecutionCommand(input),
    );
    const mine = answering(started);

    // act
    const out = await new StepFunctionsClient({ region: REGION, credentials: CREDENTIALS, requestHandler: mine.requestHandler }).call(
      'StartExecution',
      input,
    );

    // assess
    const [sdk, ours] = [theirs.requests[0]!, mine.requests[0]!];
    expect(out.executionArn).toBe(`${ARN.replace(':stateMachine:', ':execution:')}:p-1`);
    expect({ method: ours.method, hostname: ours.hostname, path: ours.path }).toEqual({
      method: sdk.method,
      hostname: sdk.hostname,
      path: sdk.path,
    });
    expect(ours.hostname).toBe(`states.${REGION}.amazonaws.com`);
    for (const h of ['content-type', 'x-amz-target']) expect(ours.headers[h]).toBe(sdk.headers[h]);
    expect(JSON.parse(bodyText(ours.body))).toEqual(JSON.parse(bodyText(sdk.body)));
    expect(ours.headers.authorization).toMatch(/Credential=ASIAEXAMPLE\/20261206\/ap-northeast-1\/states\/aws4_request, /);
    expect([verifySigV4(sdk, CREDENTIALS.secretAccessKey), verifySigV4(ours, CREDENTIALS.secretAccessKey)]).toEqual([true, true]);
    expect(verifySigV4({ ...ours, body: String(ours.body).replace('p-1', 'p-2') }, CREDENTIALS.secretAccessKey)).toBe(false);
  });
});

describe('StepFunctionsWorkflow', () => {
  it('starts the attempt under its name with the fixed input and returns the execution', async () => {
    const { workflow, requests } = workflowAnswering(started);
    await expect(workflow.start('p-1', INPUT)).resolves.toEqual({ executionArn: workflow.executionArn('p-1') });
    expect(JSON.parse(String(requests[0]!.body))).toEqual({ stateMachineArn: ARN, name: 'p-1', input: JSON.stringify(INPUT) });
  });

  it('says the attempt has ended when the name belongs to an execution that ended', async () => {
    const { workflow } = workflowAnswering(
      json(400, { __type: 'com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists', message: 'Execution Already Exists' }),
    );
    const err = await workflow.start('p-1', INPUT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionAlreadyEndedError);
    expect(err).toMatchObject({ executionArn: workflow.executionArn('p-1') });
  });

  it('retries throttling, then calls the workflow unavailable, so the start keeps nothing', async () => {
    const { workflow, requests } = workflowAnswering(json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }));
    await expect(workflow.start('p-1', INPUT)).rejects.toThrow(WorkflowUnavailableError);
    await expect(workflow.start('p-1', INPUT)).rejects.toThrow(/StartExecution failed: ThrottlingException/);
    expect(requests).toHaveLength(6);
  });

  it('treats an unknown execution as nothing to stop or describe', async () => {
    const { workflow } = workflowAnswering(json(400, { __type: 'ExecutionDoesNotExist', message: 'Execution Does Not Exist' }));
    await expect(workflow.stop(workflow.executionArn('p-1'), 'cancelled')).resolves.toBeUndefined();
    await expect(workflow.describe(workflow.executionArn('p-1'))).resolves.toBeNull();
  });

  it("reads an execution's status and error", async () => {
    const { workflow } = workflowAnswering(json(200, { executionArn: 'x', status: 'FAILED', error: 'States.Timeout', startDate: 1 }));
    await expect(workflow.describe('x')).resolves.toEqual({ status: 'FAILED', error: 'States.Timeout' });
  });
});
