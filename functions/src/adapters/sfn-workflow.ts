/** WorkflowStarter over AWS Step Functions (StartExecution / StopExecution). */
import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { WorkflowUnavailableError, type WorkflowInput, type WorkflowStarter } from '../ports';

export class StepFunctionsWorkflow implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(executionName: string, input: WorkflowInput): Promise<{ executionArn: string }> {
    try {
      const out = await this.client.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: executionName, input: JSON.stringify(input) }),
      );
      return { executionArn: out.executionArn! };
    } catch (err) {
      // Same name with the same input returns the running execution (no error); anything else
      // (throttled, unreachable, 5xx, even a bad request) means the attempt did not start.
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
}
