/**
 * Test doubles for AWS only (Step Functions and Bedrock), implementing the ports in
 * functions/src/ports.ts, plus clocks. Our database is never faked: see db.ts.
 */
import { parseSliceRequest } from '../../functions/src/ai/prompts';
import type { AiModel, Clock, ExecutionState, ModelRequest, WorkflowInput, WorkflowStarter } from '../../functions/src/ports';
import { ExecutionAlreadyEndedError, WorkflowUnavailableError } from '../../functions/src/ports';

export const EXECUTION_ARN_PREFIX = 'arn:aws:states:ap-northeast-1:123456789012:execution:AIGenerationStateMachine:';

/**
 * A Step Functions starter that records every call; starts can be made to fail. Like Step
 * Functions, it knows the executions it started (RUNNING until the test ends or loses one), and
 * refuses to start again a name whose execution has ended.
 */
export class RecordingWorkflow implements WorkflowStarter {
  readonly starts: { executionName: string; input: WorkflowInput }[] = [];
  readonly executions = new Map<string, ExecutionState>();
  readonly stops: { executionArn: string; cause: string }[] = [];
  private failures: Error[] = [];
  private stopFailures = 0;

  /** The next `count` starts throw `error` (default: WorkflowUnavailableError, i.e. unreachable). */
  failNextStarts(count = 1, error: () => Error = () => new WorkflowUnavailableError('StartExecution failed: ServiceUnavailable')): this {
    for (let i = 0; i < count; i++) this.failures.push(error());
    return this;
  }

  async start(executionName: string, input: WorkflowInput): Promise<{ executionArn: string }> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const executionArn = `${EXECUTION_ARN_PREFIX}${executionName}`;
    if (this.executions.has(executionArn) && this.executions.get(executionArn)!.status !== 'RUNNING')
      throw new ExecutionAlreadyEndedError(executionArn);
    this.starts.push({ executionName, input });
    this.executions.set(executionArn, { status: 'RUNNING' });
    return { executionArn };
  }

  async describe(executionArn: string): Promise<ExecutionState | null> {
    return this.executions.get(executionArn) ?? null;
  }

  /** What Step Functions says about an execution from now on; null: it has no such execution. */
  setExecution(executionArn: string, state: ExecutionState | null): this {
    if (state) this.executions.set(executionArn, state);
    else this.executions.delete(executionArn);
    return this;
  }

  /** The next `count` stops throw (Step Functions unreachable while cancelling). */
  failNextStops(count = 1): this {
    this.stopFailures += count;
    return this;
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    if (this.stopFailures > 0) {
      this.stopFailures--;
      throw new Error('StopExecution failed: ServiceUnavailable');
    }
    this.stops.push({ executionArn, cause });
  }
}

/** One scripted model call: gets the request, answers text or throws. */
export type ModelCall = (request: ModelRequest) => Promise<string>;

/** A schema-valid answer for the slice the prompt asks for (read from its `<request>` block). */
export function validSliceText(request: ModelRequest): string {
  const slice = parseSliceRequest(request.prompt);
  if (!slice) throw new Error('The prompt has no <request> block');
  const items = Array.from({ length: slice.count.max }, (_, i) => {
    const item: Record<string, unknown> = {
      title: `${slice.kind} ${slice.step + 1}.${i + 1}`,
      description: `Step ${slice.step + 1}, item ${i + 1}`,
    };
    if (slice.kind === 'actions') item.kind = i % 2 === 0 ? 'execution' : 'habit';
    if (slice.kind === 'tasks') item.estimatedMinutes = 25;
    return item;
  });
  return JSON.stringify({ [slice.kind]: items });
}

export const answer = (): ModelCall => async (req) => validSliceText(req);
export const reply =
  (text: string): ModelCall =>
  async () =>
    text;
export const fail =
  (error: () => Error): ModelCall =>
  async () => {
    throw error();
  };
/** Answers like `then`, but only after `ms` (a call that outlives its step's timeout). */
export const delayed =
  (ms: number, then: ModelCall = answer()): ModelCall =>
  async (req) => {
    await new Promise((r) => setTimeout(r, ms));
    return then(req);
  };
/** Answers like `then` once `gate` resolves (the test decides when). */
export const gated =
  (gate: Promise<unknown>, then: ModelCall = answer()): ModelCall =>
  async (req) => {
    await gate;
    return then(req);
  };

/** A Bedrock stand-in that plays `script` call by call, then answers validly. */
export class ScriptedModel implements AiModel {
  readonly calls: ModelRequest[] = [];
  private readonly inFlight: Promise<unknown>[] = [];

  constructor(private readonly script: ModelCall[] = []) {}

  generate(request: ModelRequest): Promise<string> {
    this.calls.push(request);
    const call = this.script.shift() ?? answer();
    const result = call(request);
    this.inFlight.push(result.catch(() => undefined));
    return result;
  }

  /** Resolves when every call made so far has answered or failed (late answers included). */
  async settled(): Promise<void> {
    await Promise.all(this.inFlight);
  }
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-11-29T03:00:10.000Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): this {
    this.current += ms;
    return this;
  }
}
