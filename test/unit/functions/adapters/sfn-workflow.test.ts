/**
 * The workflow port over the real `@aws-sdk/client-sfn` SFNClient: the SDK serializes each call and
 * parses Step Functions' JSON 1.0 answers (errors named by their `__type`), answered here by a
 * request handler that records the requests, and the port maps them to what the contract needs.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { StepFunctionsWorkflow } from '../../../../functions/src/adapters/sfn-workflow';
import { ExecutionAlreadyEndedError, WorkflowUnavailableError } from '../../../../functions/src/ports';
import { answering, bodyText, type Answer } from '../../../helpers/signed-aws';

const REGION = 'ap-northeast-1';
const CREDENTIALS = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY' };
const ARN = `arn:aws:states:${REGION}:111122223333:stateMachine:AIGenerationStateMachine`;
const INPUT = { processId: '5b0c7a0e-1b7e-4d7a-9d43-2f0f3b1c9a11', userId: 'u-1', type: 'SUBGOAL_GENERATION' as const, attempt: 1 };
const json = (status: number, body: unknown): Answer => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.0' },
  body: JSON.stringify(body),
});
const failure = (status: number, type: string, message: string) =>
  json(status, { __type: `com.amazonaws.swf.service.v2.model#${type}`, message });
const started = json(200, { executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:p-1`, startDate: 1796524200.5 });

/** A workflow on a real SFNClient whose requests the handler records and answers in turn. */
const workflowAnswering = (...answers: Answer[]) => {
  const h = answering(...answers);
  const client = new SFNClient({ region: REGION, credentials: CREDENTIALS, requestHandler: h.requestHandler });
  return { workflow: new StepFunctionsWorkflow(client, ARN), requests: h.requests };
};
const sent = (request: { headers: Record<string, string>; body?: unknown }) => ({
  target: request.headers['x-amz-target'],
  body: JSON.parse(bodyText(request.body)) as Record<string, unknown>,
});

describe('StepFunctionsWorkflow', () => {
  it('starts the attempt under its name with the fixed input and returns the execution', async () => {
    // prepare
    const { workflow, requests } = workflowAnswering(started);

    // act
    const out = await workflow.start('p-1', INPUT);

    // assess
    expect(out).toEqual({ executionArn: workflow.executionArn('p-1') });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.hostname).toBe(`states.${REGION}.amazonaws.com`);
    expect(sent(requests[0]!)).toEqual({
      target: 'AWSStepFunctions.StartExecution',
      body: { stateMachineArn: ARN, name: 'p-1', input: JSON.stringify(INPUT) },
    });
  });

  describe('in a traced caller', () => {
    const manager = new AsyncLocalStorageContextManager();
    beforeAll(() => context.setGlobalContextManager(manager.enable()));
    afterAll(() => {
      manager.disable();
      context.disable();
    });

    it("passes the caller's X-Ray trace header to StartExecution, so the execution joins its trace", async () => {
      // prepare: an active span (the ADOT layer's on AWS, the local tracer's in npm start)
      const { workflow, requests } = workflowAnswering(started);
      const caller = trace.wrapSpanContext({
        traceId: '6761f3a9b2c4d5e6f708192a3b4c5d6e',
        spanId: '1a2b3c4d5e6f7081',
        traceFlags: TraceFlags.SAMPLED,
      });

      // act
      await context.with(trace.setSpan(context.active(), caller), () => workflow.start('p-1', INPUT));

      // assess
      expect(sent(requests[0]!).body.traceHeader).toBe('Root=1-6761f3a9-b2c4d5e6f708192a3b4c5d6e;Parent=1a2b3c4d5e6f7081;Sampled=1');
    });

    it('sends no trace header when nothing traces', async () => {
      const { workflow, requests } = workflowAnswering(started);
      await workflow.start('p-1', INPUT);
      expect(sent(requests[0]!).body).not.toHaveProperty('traceHeader');
    });
  });

  it('says the attempt has ended when the name belongs to an execution that ended', async () => {
    // prepare
    const { workflow, requests } = workflowAnswering(failure(400, 'ExecutionAlreadyExists', 'Execution Already Exists'));

    // act
    const err = await workflow.start('p-1', INPUT).catch((e: unknown) => e);

    // assess: not retried, and the port names the execution that holds the name
    expect(err).toBeInstanceOf(ExecutionAlreadyEndedError);
    expect(err).toMatchObject({ executionArn: workflow.executionArn('p-1') });
    expect(requests).toHaveLength(1);
  });

  it.each([
    ['throttling, after the SDK retried it', failure(400, 'ThrottlingException', 'Rate exceeded'), 'ThrottlingException', 3],
    ['a 5xx answer, after the SDK retried it', json(500, { __type: 'InternalFailure', message: 'boom' }), 'InternalFailure', 3],
    ['a rejected request, not retried', failure(400, 'InvalidExecutionInput', 'bad input'), 'InvalidExecutionInput', 1],
  ])('calls the workflow unavailable on %s, so the start keeps nothing', async (_, answer, name, attempts) => {
    // prepare
    const { workflow, requests } = workflowAnswering(answer);

    // act
    const err = await workflow.start('p-1', INPUT).catch((e: unknown) => e);

    // assess
    expect(err).toBeInstanceOf(WorkflowUnavailableError);
    expect((err as Error).message).toBe(`StartExecution failed: ${name}`);
    expect(requests).toHaveLength(attempts);
  });

  it('treats an unknown execution as nothing to stop or describe', async () => {
    // prepare
    const { workflow, requests } = workflowAnswering(failure(400, 'ExecutionDoesNotExist', 'Execution Does Not Exist'));

    // act, assess
    await expect(workflow.stop(workflow.executionArn('p-1'), 'cancelled')).resolves.toBeUndefined();
    await expect(workflow.describe(workflow.executionArn('p-1'))).resolves.toBeNull();
    expect(requests.map((r) => sent(r))).toEqual([
      { target: 'AWSStepFunctions.StopExecution', body: { executionArn: workflow.executionArn('p-1'), cause: 'cancelled' } },
      { target: 'AWSStepFunctions.DescribeExecution', body: { executionArn: workflow.executionArn('p-1') } },
    ]);
  });

  it('passes on any other failure to stop, and calls the workflow unavailable when describing fails', async () => {
    const { workflow } = workflowAnswering(failure(400, 'InvalidArn', 'Invalid Arn'));
    await expect(workflow.stop('x', 'cancelled')).rejects.toMatchObject({ name: 'InvalidArn' });
    const err = await workflow.describe('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUnavailableError);
    expect((err as Error).message).toBe('DescribeExecution failed: InvalidArn');
  });

  it("reads an execution's status and error", async () => {
    const { workflow } = workflowAnswering(json(200, { executionArn: 'x', status: 'FAILED', error: 'States.Timeout', startDate: 1 }));
    await expect(workflow.describe('x')).resolves.toEqual({ status: 'FAILED', error: 'States.Timeout' });
  });
});
