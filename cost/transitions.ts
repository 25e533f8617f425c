/**
 * State transitions per execution, counted on the real ASL (`buildDefinition`): a walk of the
 * definition for a path (every slice succeeds; or some Generate attempts are retried; or a task
 * fails and the Catch runs MarkFailed). Step Functions bills one transition per state entered and
 * one per retry (aws.amazon.com/step-functions/pricing), which is what the walk counts. The worker
 * invocations of the same walk are the Lambda requests the workflow makes.
 */
import { DESIGN } from '../guide';
import { buildDefinition, STATES, type StateMachineDefinition } from '../functions/src/workflow/definition';

export interface PathCount {
  /** States entered, plus one per retried attempt. */
  readonly transitions: number;
  /** Task attempts: each is one worker invocation. */
  readonly workerInvocations: number;
  /** Generate attempts: each is one model call. */
  readonly modelCalls: number;
  /** History events of the execution (ExecutionStarted … ExecutionSucceeded), which the state machine logs at level ALL. */
  readonly historyEvents: number;
}

export interface Path {
  /** Slices the result is generated in. @default DESIGN.workflow.generationSteps */
  readonly slices?: number;
  /** Extra attempts of the Generate task (each retry re-invokes the worker and calls the model again). */
  readonly generateRetries?: number;
  /** The Generate task of this slice (1-based) fails for good: the Catch runs MarkFailed. */
  readonly failAtSlice?: number;
}

type State = { Type: string; Next?: string; Choices?: { Variable: string; BooleanEquals: boolean; Next: string }[]; Default?: string };

/** Events a state adds to the history: Entered/Exited, and Scheduled/Started/Succeeded for a Lambda task. */
const EVENTS_PER_STATE: Record<string, number> = { Task: 5, Choice: 2, Succeed: 2, Fail: 1 };
/** ExecutionStarted and ExecutionSucceeded/Failed. */
const EXECUTION_EVENTS = 2;
/** A retried task attempt adds TaskScheduled, TaskStarted and TaskFailed. */
const EVENTS_PER_RETRY = 3;

/** Walks `definition` from StartAt for `path`, the worker answering as it does (active, done after the last slice). */
export function countPath(
  path: Path = {},
  definition: StateMachineDefinition = buildDefinition({ workerArn: 'arn:aws:lambda:::function:worker' }),
): PathCount {
  const slices = path.slices ?? DESIGN.workflow.generationSteps;
  const states = definition.States as unknown as Record<string, State>;
  let retriesLeft = path.generateRetries ?? 0;
  let done = 0;
  let transitions = 0;
  let workerInvocations = 0;
  let modelCalls = 0;
  let historyEvents = EXECUTION_EVENTS;
  let output: Record<string, boolean> = {};
  let name: string | undefined = definition.StartAt;
  for (let guard = 0; name; guard++) {
    if (guard > 10_000) throw new Error(`The walk of the definition did not end (at ${name})`);
    const state: State = states[name]!;
    transitions++;
    historyEvents += EVENTS_PER_STATE[state.Type] ?? 2;
    if (state.Type === 'Task') {
      workerInvocations++;
      if (name === STATES.generate) {
        modelCalls++;
        while (retriesLeft > 0) {
          retriesLeft--;
          transitions++;
          workerInvocations++;
          modelCalls++;
          historyEvents += EVENTS_PER_RETRY;
        }
        if (path.failAtSlice === done + 1) {
          name = STATES.markFailed;
          continue;
        }
        done++;
      }
      output = { active: true, done: done >= slices };
      name = state.Next;
    } else if (state.Type === 'Choice') {
      const rule = state.Choices!.find((c) => output[c.Variable.replace(/^\$\.state\./, '')] === c.BooleanEquals);
      name = rule ? rule.Next : state.Default;
    } else {
      name = undefined;
    }
  }
  return { transitions, workerInvocations, modelCalls, historyEvents };
}
