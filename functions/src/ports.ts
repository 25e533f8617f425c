/**
 * The ports the use cases depend on. Handlers wire them to real adapters (pg, Step Functions,
 * Bedrock); the local runtime wires the same adapters to local endpoints; tests inject them.
 */
import type { ProcessType } from '../../guide';
import type { Observer } from './observability/observer';
import type { ProcessingStateService } from './state/processing-state-service';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What the state machine receives for one attempt. */
export interface WorkflowInput {
  processId: string;
  userId: string;
  type: ProcessType;
  attempt: number;
}

export interface WorkflowStarter {
  /** Starts (or, with the same name and input, finds) the execution of one attempt. */
  start(executionName: string, input: WorkflowInput): Promise<{ executionArn: string }>;
  /** Stops an execution; stopping one that already ended is not an error. */
  stop(executionArn: string, cause: string): Promise<void>;
}

/** Thrown by a WorkflowStarter when Step Functions cannot be reached or refuses for now. */
export class WorkflowUnavailableError extends Error {
  override readonly name = 'WorkflowUnavailableError';
}

export interface ModelRequest {
  system: string;
  prompt: string;
  maxTokens: number;
}

export interface AiModel {
  /** Returns the model's text answer; throws WorkflowError (ModelThrottled, …) on failure. */
  generate(request: ModelRequest): Promise<string>;
}

export type StateStore = ProcessingStateService;

export interface UseCaseContext {
  store: StateStore;
  clock: Clock;
  observer: Observer;
}
