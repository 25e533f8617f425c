/**
 * The transition walk against the engine: the same ASL run by aws-local-stepfunctions with
 * handlers that answer as the worker does, counting StateEntered and StateRetried events.
 */
import '../../../local/polyfills';
// The package's types are written for ESM; jest loads its CommonJS build (as local/step-functions.ts does).
// @ts-expect-error TS1479
import { StateMachine } from 'aws-local-stepfunctions';
import { DESIGN } from '../../../guide';
import { WORKFLOW_ERRORS, WorkflowError } from '../../../functions/src/domain/errors';
import { buildDefinition, STATES } from '../../../functions/src/workflow/definition';
import { countPath, type Path } from '../../../cost/transitions';

const definition = buildDefinition({ workerArn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:ai-generation-worker' });

/** Runs the definition: Generate throws `throttled` times, or fails for good at slice `failAtSlice`. */
async function engineCount(path: Path): Promise<{ transitions: number; invocations: number }> {
  const slices = path.slices ?? DESIGN.workflow.generationSteps;
  let done = 0;
  let throttles = path.generateRetries ?? 0;
  let invocations = 0;
  const generate = async () => {
    invocations++;
    if (throttles > 0) {
      throttles--;
      throw new WorkflowError(WORKFLOW_ERRORS.modelThrottled, 'throttled');
    }
    if (path.failAtSlice === done + 1) throw new WorkflowError(WORKFLOW_ERRORS.modelOutputInvalid, 'bad output');
    done++;
    return { active: true, done: done >= slices };
  };
  const other = async () => {
    invocations++;
    return { active: true, done: done >= slices };
  };
  const handlers = {
    [STATES.begin]: other,
    [STATES.generate]: generate,
    [STATES.complete]: other,
    [STATES.markFailed]: other,
    [STATES.markTimeout]: other,
  };
  const machine = new StateMachine(definition as any, { validationOptions: { noValidate: true } });
  const execution = machine.run(
    { processId: 'p', userId: 'u', type: 'SUBGOAL_GENERATION', attempt: 1 },
    {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: { [STATES.generate]: 0 } },
    },
  );
  let transitions = 0;
  const counting = (async () => {
    for await (const e of execution.eventLogs as AsyncGenerator<{ type: string }>)
      if (e.type === 'StateEntered' || e.type === 'StateRetried') transitions++;
  })();
  await execution.result.catch(() => undefined);
  await counting;
  return { transitions, invocations };
}

describe('countPath', () => {
  it.each<[string, Path]>([
    ['the success path', {}],
    ['a Generate attempt retried once', { generateRetries: 1 }],
    ['three retries', { generateRetries: 3 }],
    ['a failure at the second slice (Catch → MarkFailed)', { failAtSlice: 2 }],
    ['a two-slice variant', { slices: 2 }],
  ])('counts what the engine bills for %s', async (_, path) => {
    const engine = await engineCount(path);
    const walk = countPath(path, definition);
    expect({ transitions: walk.transitions, invocations: walk.workerInvocations }).toEqual(engine);
  });

  it('counts 2 per slice plus Begin, IsActive, Complete and Completed on the success path', () => {
    const slices = DESIGN.workflow.generationSteps;
    const success = countPath();
    expect(success).toMatchObject({ transitions: 2 * slices + 4, workerInvocations: slices + 2, modelCalls: slices });
  });

  it('adds one transition, one invocation and one model call per retry', () => {
    const [a, b] = [countPath(), countPath({ generateRetries: 1 })];
    expect({ t: b.transitions - a.transitions, w: b.workerInvocations - a.workerInvocations, m: b.modelCalls - a.modelCalls }).toEqual({
      t: 1,
      w: 1,
      m: 1,
    });
  });
});
