/**
 * WorkflowStarter over AWS Step Functions (StartExecution / StopExecution / DescribeExecution),
 * through the SDK's SFNClient (the project's standard: the handlers use the real SDK clients;
 * locally they point at local/sfn-server.ts).
 */
import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { SpanKind } from '@opentelemetry/api';
import { activeTraceHeader } from '../observability/trace-header';
import { withSpan } from '../observability/tracing';
import {
  ExecutionAlreadyEndedError,
  WorkflowUnavailableError,
  type ExecutionState,
  type WorkflowInput,
  type WorkflowStarter,
} from '../ports';

export class StepFunctionsWorkflow implements WorkflowStarter {
  constructor(
    private readonly client: Pick<SFNClient, 'send'>,
    private readonly stateMachineArn: string,
  ) {}

  /** The ARN Step Functions gives the execution named `name` of this state machine. */
  executionArn(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  start(executionName: string, input: WorkflowInput): Promise<{ executionArn: string }> {
    const attributes = {
      processId: input.processId,
      attempt: input.attempt,
      'aws.service': 'StepFunctions',
      'aws.operation': 'StartExecution',
    };
    return withSpan('StepFunctions.StartExecution', { kind: SpanKind.CLIENT, attributes }, () => this.startExecution(executionName, input));
  }

  private async startExecution(executionName: string, input: WorkflowInput): Promise<{ executionArn: string }> {
    try {
      // The execution joins the caller's trace (X-Ray's header; absent when nothing traces).
      const traceHeader = activeTraceHeader();
      const out = await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName,
          input: JSON.stringify(input),
          ...(traceHeader ? { traceHeader } : {}),
        }),
      );
      if (!out.executionArn) throw Object.assign(new Error('StartExecution answered without an executionArn'), { name: 'InvalidResponse' });
      return { executionArn: out.executionArn };
    } catch (err) {
      // Same name with the same input returns the running execution (no error). The name of an
      // execution that has ended cannot be used again (our inputs are fixed per attempt, so a
      // different input under the name cannot happen). Anything else (throttled, unreachable,
      // 5xx, even a bad request) means the attempt did not start.
      if ((err as Error).name === 'ExecutionAlreadyExists') throw new ExecutionAlreadyEndedError(this.executionArn(executionName));
      throw new WorkflowUnavailableError(`StartExecution failed: ${(err as Error).name}`, { cause: err });
    }
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn, cause }));
    } catch (err) {
      if ((err as Error).name === 'ExecutionDoesNotExist') return;
      throw err;
    }
  }

  async describe(executionArn: string): Promise<ExecutionState | null> {
    try {
      const out = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return { status: out.status as ExecutionState['status'], ...(out.error ? { error: out.error } : {}) };
    } catch (err) {
      if ((err as Error).name === 'ExecutionDoesNotExist') return null;
      throw new WorkflowUnavailableError(`DescribeExecution failed: ${(err as Error).name}`, { cause: err });
    }
  }
}
