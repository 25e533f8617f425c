import { DESIGN, PROCESS_ERROR_CODES } from '../../../../guide';
import { WORKFLOW_ERRORS } from '../../../../functions/src/domain/errors';
import { causeMessage, classifyFailure, modelDeadline, progressAfter } from '../../../../functions/src/usecases/worker';

describe('classifyFailure', () => {
  describe.each([
    // caught error name                   Mark state  →  status     code
    ['States.Timeout', 'TIMEOUT', 'TIMEOUT', 'TIMEOUT_ERROR'],
    ['Sandbox.Timedout', 'FAILED', 'TIMEOUT', 'TIMEOUT_ERROR'],
    ['States.Timeout', 'FAILED', 'TIMEOUT', 'TIMEOUT_ERROR'],
    [WORKFLOW_ERRORS.stepTimedOut, 'TIMEOUT', 'TIMEOUT', 'TIMEOUT_ERROR'],
    [WORKFLOW_ERRORS.stepTimedOut, 'FAILED', 'TIMEOUT', 'TIMEOUT_ERROR'],
    [WORKFLOW_ERRORS.modelOutputInvalid, 'FAILED', 'FAILED', 'VALIDATION_ERROR'],
    [WORKFLOW_ERRORS.database, 'FAILED', 'FAILED', 'DATABASE_ERROR'],
    [WORKFLOW_ERRORS.databaseRejected, 'FAILED', 'FAILED', 'DATABASE_ERROR'],
    [WORKFLOW_ERRORS.modelThrottled, 'FAILED', 'FAILED', 'AI_ERROR'],
    [WORKFLOW_ERRORS.modelUnavailable, 'FAILED', 'FAILED', 'AI_ERROR'],
    [WORKFLOW_ERRORS.modelRejected, 'FAILED', 'FAILED', 'AI_ERROR'],
    ['Lambda.ServiceException', 'FAILED', 'FAILED', 'AI_ERROR'],
    ['States.TaskFailed', 'FAILED', 'FAILED', 'AI_ERROR'],
  ] as const)('when the Catch reports %s to Mark%s', (error, markStatus, status, code) => {
    it(`ends the process ${status} with ${code}`, () => {
      // act
      const outcome = classifyFailure({ Error: error, Cause: 'details' }, markStatus);

      // assess
      expect(outcome).toMatchObject({ status, code });
      expect(PROCESS_ERROR_CODES).toContain(outcome.code);
      expect(outcome.message.length).toBeGreaterThan(0);
    });
  });

  it('ends the process FAILED with AI_ERROR when the Catch payload is missing', () => {
    expect(classifyFailure(undefined, 'FAILED')).toMatchObject({ status: 'FAILED', code: 'AI_ERROR' });
  });

  it('keeps the Cause out of the message the client will see when the Cause holds internals', () => {
    // prepare
    const cause = JSON.stringify({ errorMessage: 'SELECT * FROM processing_state', stackTrace: ['at worker.ts:1'] });

    // act
    const { message } = classifyFailure({ Error: WORKFLOW_ERRORS.database, Cause: cause }, 'FAILED');

    // assess
    expect(message).not.toMatch(/SELECT|processing_state|worker\.ts/);
  });

  it('bounds the length of an unknown error name when it is echoed in the message', () => {
    const { message } = classifyFailure({ Error: 'X'.repeat(5000) }, 'FAILED');
    expect(message.length).toBeLessThan(200);
  });
});

describe('causeMessage', () => {
  it.each([
    [
      'a Lambda error payload',
      JSON.stringify({ errorType: 'ModelRejected', errorMessage: 'Bedrock AccessDenied' }),
      'Bedrock AccessDenied',
    ],
    ['plain text', 'Task timed out', 'Task timed out'],
    ['no cause', undefined, undefined],
  ])('reads the message when the Cause is %s', (_name, cause, expected) => {
    expect(causeMessage(cause)).toBe(expected);
  });
});

describe('progressAfter', () => {
  it('rises with every step and stays within 1–99 when the steps are the workflow steps', () => {
    // act
    const steps = DESIGN.workflow.generationSteps;
    const values = Array.from({ length: steps + 1 }, (_, done) => progressAfter(done, steps));

    // assess
    values.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(values[i]!));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...values)).toBeLessThan(100);
  });
});

describe('modelDeadline', () => {
  const STEP_MS = DESIGN.workflow.stepTimeoutSeconds * 1000;
  const MARGIN_MS = STEP_MS * DESIGN.workflow.outcomeMarginShareOfStep;
  const START = Date.parse('2026-12-08T03:00:00Z');

  it("gives the model call the step's whole timeout but the outcome margin", () => {
    expect(modelDeadline(START, STEP_MS).getTime()).toBe(START + STEP_MS - MARGIN_MS);
  });

  it("keeps to Lambda's remaining time when the invocation has less left than the step (a late start)", () => {
    expect(modelDeadline(START, STEP_MS, STEP_MS - 20_000).getTime()).toBe(START + STEP_MS - 20_000 - MARGIN_MS);
  });

  it('never gives more than the step, whatever Lambda has left (a function timeout above the task timeout)', () => {
    expect(modelDeadline(START, STEP_MS, 2 * STEP_MS).getTime()).toBe(START + STEP_MS - MARGIN_MS);
  });
});
