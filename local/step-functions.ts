/**
 * Local AWS Step Functions: runs the shared ASL definition with aws-local-stepfunctions, Lambda
 * task ARNs mapped to local modules, executions persisted (sfn-executions.ts). AWS's rules:
 * - same name + same input while RUNNING → the same execution; otherwise ExecutionAlreadyExists;
 * - StopExecution → ABORTED; the machine's TimeoutSeconds → TIMED_OUT;
 * - a runtime restart does not lose executions: RUNNING ones resume (from the start, the
 *   worker's steps are idempotent) with what is left of their timeout, or end TIMED_OUT.
 */
import './polyfills';
// The package ships a CommonJS build (its `require` export) but types written for ESM.
// @ts-expect-error TS1479: resolved to the CommonJS build at run time
import { StateMachine } from 'aws-local-stepfunctions';
import { context, trace } from '@opentelemetry/api';
import { spanContextOf } from '../functions/src/observability/trace-header';
import type { ExecutionRecord, ExecutionStatus, ExecutionStore } from './sfn-executions';
import { SpanKind, contextFrom, inSpan, lambdaSpan, markFailed, tracer } from './tracing/spans';
import type { ExecutionEnd, ExecutionRecorder } from './metrics';

export class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export type TaskHandler = (input: any) => Promise<unknown>;

export interface LocalStepFunctionsOptions {
  stateMachineArn: string;
  definition: { States: Record<string, any>; TimeoutSeconds?: number; [k: string]: unknown };
  /** Lambda function ARN → local handler. */
  tasks: Record<string, TaskHandler>;
  store: ExecutionStore;
  /** Milliseconds to wait before each retry instead of the definition's IntervalSeconds. */
  retryIntervalMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Records ExecutionsStarted and how each execution ends (local/metrics: AWS/States). */
  executions?: ExecutionRecorder;
}

/** Waits between tries to record an execution's end while the database is away: 100 ms doubling to 5 s. */
const RECORD_RETRY_FIRST_MS = 100;
const RECORD_RETRY_MAX_MS = 5_000;

// biome-ignore lint/suspicious/noControlCharactersInRegex: Step Functions refuses control characters in execution names
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

/** A Task state's attempt, holding the Lambda invocation it makes (a retried attempt is a span of its own). */
function tracedTask(stateName: string, resource: string, handler: TaskHandler): TaskHandler {
  const functionName = resource.split(':function:')[1]?.split(':')[0] ?? resource;
  return (input) => {
    const processId = typeof input?.processId === 'string' ? { processId: input.processId } : {};
    const action = typeof input?.action === 'string' ? { action: input.action } : {};
    return inSpan(stateName, { attributes: { 'aws.step_functions.state': stateName, ...processId } }, () =>
      lambdaSpan(functionName, { ...processId, ...action }, () => handler(input)),
    );
  };
}

export class LocalStepFunctions {
  private readonly running = new Map<string, { abort: () => void; stopping?: 'stop' | 'shutdown' }>();
  /** The metrics' end of each execution started in this process. */
  private readonly ends = new Map<string, (end: ExecutionEnd) => void>();
  private readonly overrides: Record<string, unknown>;
  private stopped = false;

  constructor(private readonly opts: LocalStepFunctionsOptions) {
    const handlers: Record<string, TaskHandler> = {};
    const intervals: Record<string, number> = {};
    for (const [stateName, state] of Object.entries(opts.definition.States)) {
      if (state.Type !== 'Task') continue;
      const handler = opts.tasks[state.Resource];
      if (!handler) throw new Error(`No local handler for task ${stateName} (${state.Resource})`);
      handlers[stateName] = tracedTask(stateName, String(state.Resource), handler);
      if (opts.retryIntervalMs !== undefined) intervals[stateName] = opts.retryIntervalMs;
    }
    this.overrides = { taskResourceLocalHandlers: handlers, retryIntervalOverrides: intervals };
  }

  executionArn(name: string): string {
    return this.opts.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
  }

  private checkMachine(arn: unknown) {
    if (arn !== this.opts.stateMachineArn) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
  }

  async startExecution(req: {
    stateMachineArn?: string;
    name?: string;
    input?: string;
    traceHeader?: string;
  }): Promise<{ executionArn: string; startDate: Date }> {
    this.checkMachine(req.stateMachineArn);
    const name = req.name ?? crypto.randomUUID();
    if (!NAME.test(name)) throw new SfnError('InvalidName', `Invalid Name: '${name}'`);
    const input = req.input ?? '{}';
    try {
      JSON.parse(input);
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
    }
    const executionArn = this.executionArn(name);
    const created = await this.opts.store.insert({ executionArn, stateMachineArn: this.opts.stateMachineArn, name, input });
    if (!created) {
      const existing = (await this.opts.store.get(executionArn))!;
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn, startDate: existing.startDate };
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    if (this.opts.executions) this.ends.set(executionArn, this.opts.executions.started());
    this.run(created, this.opts.definition.TimeoutSeconds, req.traceHeader);
    return { executionArn, startDate: created.startDate };
  }

  async stopExecution(req: { executionArn?: string; error?: string; cause?: string }): Promise<{ stopDate: Date }> {
    const arn = String(req.executionArn ?? '');
    const current = await this.opts.store.get(arn);
    if (!current) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    const handle = this.running.get(arn);
    const closed = await this.opts.store.close(arn, 'ABORTED', { error: req.error, cause: req.cause });
    this.ended(arn, 'ABORTED');
    if (handle) {
      handle.stopping = 'stop';
      handle.abort();
    }
    return { stopDate: closed?.stopDate ?? current.stopDate ?? new Date() };
  }

  async describeExecution(req: { executionArn?: string }): Promise<ExecutionRecord> {
    const e = await this.opts.store.get(String(req.executionArn ?? ''));
    if (!e) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${req.executionArn}'`);
    return e;
  }

  async listExecutions(req: { stateMachineArn?: string; statusFilter?: ExecutionStatus; maxResults?: number; nextToken?: string }) {
    this.checkMachine(req.stateMachineArn);
    const limit = Math.min(Math.max(req.maxResults || 100, 1), 1000);
    const offset = req.nextToken ? Number(Buffer.from(req.nextToken, 'base64').toString()) || 0 : 0;
    const rows = await this.opts.store.list(this.opts.stateMachineArn, req.statusFilter, limit + 1, offset);
    const nextToken = rows.length > limit ? Buffer.from(String(offset + limit)).toString('base64') : undefined;
    return { executions: rows.slice(0, limit), nextToken };
  }

  /** Resumes executions left RUNNING by a previous run of the runtime. */
  async resume(): Promise<{ resumed: number; timedOut: number }> {
    let resumed = 0;
    let timedOut = 0;
    const limit = this.opts.definition.TimeoutSeconds;
    for (const e of await this.opts.store.running(this.opts.stateMachineArn)) {
      const elapsed = (Date.now() - e.startDate.getTime()) / 1000;
      if (limit !== undefined && elapsed >= limit) {
        await this.opts.store.close(e.executionArn, 'TIMED_OUT', {
          error: 'States.Timeout',
          cause: 'Execution timed out while the local runtime was stopped',
        });
        timedOut++;
      } else {
        this.run(e, limit === undefined ? undefined : Math.max(1, Math.ceil(limit - elapsed)));
        resumed++;
      }
    }
    return { resumed, timedOut };
  }

  /** Stops running executions in this process without closing them: the next start resumes them. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const handle of this.running.values()) {
      handle.stopping = 'shutdown';
      handle.abort();
    }
    this.running.clear();
  }

  private ended(arn: string, end: ExecutionEnd): void {
    this.ends.get(arn)?.(end);
    this.ends.delete(arn);
  }

  get runningCount(): number {
    return this.running.size;
  }

  private run(e: ExecutionRecord, timeoutSeconds: number | undefined, traceHeader?: string) {
    const definition = { ...this.opts.definition, TimeoutSeconds: timeoutSeconds };
    if (timeoutSeconds === undefined) delete definition.TimeoutSeconds;
    const machine = new StateMachine(definition as any, { validationOptions: { noValidate: true } });
    // The execution joins the trace of the call that started it (StartExecution's traceHeader);
    // one resumed after a restart starts a trace of its own.
    const input = JSON.parse(e.input);
    const span = tracer.startSpan(
      `StepFunctions ${e.name}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'aws.step_functions.execution_arn': e.executionArn,
          ...(typeof input?.processId === 'string' ? { processId: input.processId } : {}),
        },
      },
      contextFrom(spanContextOf(traceHeader)),
    );
    const execution = context.with(trace.setSpan(context.active(), span), () => machine.run(input, { overrides: this.overrides as any }));
    const handle: { abort: () => void; stopping?: 'stop' | 'shutdown' } = { abort: () => execution.abort() };
    this.running.set(e.executionArn, handle);
    const ended = (status: string, error?: string) => {
      span.setAttribute('aws.step_functions.status', status);
      if (error) markFailed(span, undefined, error);
      span.end();
    };
    execution.result.then(
      (output) => {
        ended('SUCCEEDED');
        return this.finish(e, handle, 'SUCCEEDED', { output: JSON.stringify(output ?? null) });
      },
      (err: Error) => {
        if (err.name === 'ExecutionAbortedError') {
          ended(handle.stopping === 'shutdown' ? 'RUNNING' : 'ABORTED');
          return this.finish(e, handle, undefined, {});
        }
        if (err.name === 'ExecutionTimeoutError') {
          ended('TIMED_OUT', 'States.Timeout');
          return this.finish(e, handle, 'TIMED_OUT', { error: 'States.Timeout', cause: 'Execution timed out' });
        }
        const cause = (err as { cause?: Error }).cause;
        ended('FAILED', cause?.name ?? err.name);
        return this.finish(e, handle, 'FAILED', { error: cause?.name ?? err.name, cause: cause?.message ?? err.message });
      },
    );
  }

  /**
   * Records how an execution ended. The store is the database, which may be down right now: the
   * end is kept trying (AWS never forgets an execution's end, and a RUNNING record that nothing
   * runs would tell the queue monitor all is well). On shutdown it stays RUNNING and the next
   * start runs it again, which the worker's idempotent steps allow.
   */
  private async finish(
    e: ExecutionRecord,
    handle: { stopping?: string },
    status: Exclude<ExecutionStatus, 'RUNNING'> | undefined,
    fields: { output?: string; error?: string; cause?: string },
  ) {
    if (this.running.get(e.executionArn) === handle) this.running.delete(e.executionArn);
    if (!status || handle.stopping) return; // stopped (already ABORTED) or shutting down (stays RUNNING)
    this.ended(e.executionArn, status);
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.opts.store.close(e.executionArn, status, fields);
        this.opts.log?.(`Execution ${e.name} ${status}`, { executionArn: e.executionArn, status, error: fields.error });
        return;
      } catch (err) {
        if (attempt === 1)
          this.opts.log?.(`Could not record the end of execution ${e.name} yet; retrying`, { error: (err as Error).message });
        await new Promise((r) => setTimeout(r, Math.min(RECORD_RETRY_MAX_MS, RECORD_RETRY_FIRST_MS * 2 ** (attempt - 1))));
      }
    }
  }
}
