/**
 * The state machine (AIGenerationStateMachine): every execution and every Task state ends by a
 * timeout within the design's bounds (the guide's TIMEOUT status exists because work can hang),
 * the full execution is logged, since the guide's first response to a timeout alert is its
 * execution history, and it is a STANDARD machine, whose history Step Functions keeps 90 days.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { BACKUP, DESIGN, RETENTION, SLO, STATE_MACHINE_NAME } from '../../../guide';
import { isUnknown, read } from '../../lib/known';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

/** The shortest execution timeout: the slowest type's upper average completion, so healthy runs finish. */
export const MIN_WORKFLOW_TIMEOUT_SECONDS = Math.max(...Object.values(SLO.completionMinutes).map(([, upper]) => upper)) * 60;
const { workflowTimeoutSeconds: MAX_WORKFLOW_TIMEOUT_SECONDS, stepTimeoutSeconds: MAX_STEP_TIMEOUT_SECONDS } = DESIGN.workflow;
/**
 * The program's other state machines (the monthly DR test and patching) are operations, not the
 * users' processes: a run must still end by itself, before the next day's backup (RPO), and each
 * Task within Lambda's own limit (900 s) plus a minute for the invocation around it.
 */
export const MAX_OPERATION_TIMEOUT_SECONDS = BACKUP.rpoHours * 3600;
export const MAX_OPERATION_TASK_SECONDS = 900 + 60;
const LOG_GROUP_ARN = /^arn:aws[\w-]*:logs:[\w-]+:\d{12}:log-group:[^:]+:\*$/;

interface AslState {
  readonly Type?: string;
  readonly TimeoutSeconds?: number;
  readonly TimeoutSecondsPath?: string;
  readonly Branches?: readonly AslMachine[];
  readonly Iterator?: AslMachine;
  readonly ItemProcessor?: AslMachine;
}

interface AslMachine {
  readonly TimeoutSeconds?: number;
  readonly States?: Record<string, AslState>;
}

/** Every Task state with its path (`Parallel/Branch state`), nested ones (Parallel branches, Map processors) included. */
export function taskStates(machine: AslMachine, prefix = ''): { path: string; state: AslState }[] {
  const tasks: { path: string; state: AslState }[] = [];
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    const path = `${prefix}${name}`;
    if (state.Type === 'Task') tasks.push({ path, state });
    for (const inner of [...(state.Branches ?? []), state.Iterator, state.ItemProcessor]) {
      if (inner) tasks.push(...taskStates(inner, `${path}/`));
    }
  }
  return tasks;
}

/** What is wrong with one Task state's timeout, if anything. */
function taskTimeoutProblem(state: AslState, bounds: Bounds): string | undefined {
  const max = bounds.maxTaskSeconds;
  if (state.TimeoutSecondsPath !== undefined)
    return `takes its timeout from the input (TimeoutSecondsPath ${state.TimeoutSecondsPath}), which nothing bounds; set TimeoutSeconds of at most ${max} s`;
  if (state.TimeoutSeconds === undefined) return `has no TimeoutSeconds (Step Functions' default is 99999999 s); set at most ${max} s`;
  if (state.TimeoutSeconds > max) return `has TimeoutSeconds ${state.TimeoutSeconds}; ${bounds.taskWhy}`;
  return undefined;
}

interface Bounds {
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly maxWhy: string;
  /** What to set when the machine has no timeout. */
  readonly suggest: string;
  readonly maxTaskSeconds: number;
  readonly taskWhy: string;
}

/** AIGenerationStateMachine carries the design's bounds; the operational machines theirs. */
const boundsOf = (name: unknown): Bounds =>
  name === STATE_MACHINE_NAME || isUnknown(name)
    ? {
        minSeconds: MIN_WORKFLOW_TIMEOUT_SECONDS,
        maxSeconds: MAX_WORKFLOW_TIMEOUT_SECONDS,
        maxWhy: 'DESIGN.workflow.workflowTimeoutSeconds',
        suggest: `${MAX_WORKFLOW_TIMEOUT_SECONDS} s`,
        maxTaskSeconds: MAX_STEP_TIMEOUT_SECONDS,
        taskWhy: `a step is one worker invocation, at most ${MAX_STEP_TIMEOUT_SECONDS} s (DESIGN.workflow.stepTimeoutSeconds)`,
      }
    : {
        minSeconds: 1,
        maxSeconds: MAX_OPERATION_TIMEOUT_SECONDS,
        maxWhy: `an operation ends before the next day's backup, RPO ${BACKUP.rpoHours} h`,
        suggest: `at most ${MAX_OPERATION_TIMEOUT_SECONDS} s`,
        maxTaskSeconds: MAX_OPERATION_TASK_SECONDS,
        taskWhy: `a task is one Lambda invocation, at most ${MAX_OPERATION_TASK_SECONDS} s (Lambda's limit 900 s, plus a minute)`,
      };

function parseDefinition(definition: unknown): AslMachine | undefined {
  if (typeof definition !== 'string') return typeof definition === 'object' && definition !== null ? (definition as AslMachine) : undefined;
  try {
    return JSON.parse(definition) as AslMachine;
  } catch {
    return undefined;
  }
}

export const stateMachineTimeoutsLogging: PackResourcePolicy = {
  name: 'state-machine-timeouts-logging',
  description: `${STATE_MACHINE_NAME} ends every execution within ${MIN_WORKFLOW_TIMEOUT_SECONDS}–${MAX_WORKFLOW_TIMEOUT_SECONDS} s (long enough for the slowest type's completion time, short enough that a stuck run ends TIMEOUT) and every Task within ${MAX_STEP_TIMEOUT_SECONDS} s (one worker invocation); the operational machines (DR test, patching) within ${MAX_OPERATION_TIMEOUT_SECONDS} s and ${MAX_OPERATION_TASK_SECONDS} s per Task; every machine logs ALL events to a log group, which the guide's timeout response reads first. Its definition must be known at preview, so the timeouts are checked before anything is created.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, report) => {
    const name = `State machine "${displayName(machine, args.name)}"`;
    const level = read(() => machine.loggingConfiguration?.level);
    if (level !== 'ALL')
      report(
        `${name} logs at level ${isUnknown(level) ? 'unknown' : (level ?? 'OFF')}; the execution history needs level ALL (loggingConfiguration.level).`,
      );
    else {
      // Unknown at preview: computed from the log group created with it (checked as an ARN at up).
      const destination = read(() => machine.loggingConfiguration?.logDestination);
      if (!destination)
        report(`${name} logs at level ALL but to no log group: set loggingConfiguration.logDestination to "<log group ARN>:*".`);
      else if (!isUnknown(destination) && !LOG_GROUP_ARN.test(destination)) {
        report(
          `${name} logs to "${destination}", which is not a log group ARN ending in ":*" (arn:aws:logs:<region>:<account>:log-group:<name>:*).`,
        );
      }
    }
    const definition = read(() => machine.definition);
    if (isUnknown(definition)) {
      report(
        `${name} has a definition that is not known until other resources exist, so its timeouts cannot be checked at preview: build it from values known before deployment (e.g. the worker's ARN from its guide name).`,
      );
      return;
    }
    const asl = parseDefinition(definition);
    if (!asl) {
      report(`${name} has a definition that is not JSON, so its timeouts cannot be checked.`);
      return;
    }
    const bounds = boundsOf(read(() => machine.name));
    if (asl.TimeoutSeconds === undefined) {
      report(
        `${name} has no TimeoutSeconds: a stuck execution would run until Step Functions' one-year limit; set ${bounds.suggest} (${bounds.maxWhy}).`,
      );
    } else if (asl.TimeoutSeconds > bounds.maxSeconds) {
      report(
        `${name} has TimeoutSeconds ${asl.TimeoutSeconds}; a stuck execution must end TIMEOUT within ${bounds.maxSeconds} s (${bounds.maxWhy}).`,
      );
    } else if (asl.TimeoutSeconds < bounds.minSeconds) {
      report(
        `${name} has TimeoutSeconds ${asl.TimeoutSeconds}, shorter than the slowest type's upper completion time (${bounds.minSeconds} s): healthy processes would end TIMEOUT.`,
      );
    }
    for (const { path, state } of taskStates(asl)) {
      const problem = taskTimeoutProblem(state, bounds);
      if (problem) report(`${name}: Task state "${path}" ${problem}.`);
    }
  }),
};

export const stateMachineStandard: PackResourcePolicy = {
  name: 'state-machine-standard',
  description: `State machines are STANDARD: Step Functions keeps a STANDARD execution's history ${RETENTION.stepFunctionsHistoryDays} days (Step Functions履歴), which the guide's timeout and failure responses read; an EXPRESS machine keeps none.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, report) => {
    const type = read(() => machine.type) ?? 'STANDARD';
    if (type !== 'STANDARD') {
      report(
        `State machine "${displayName(machine, args.name)}" is ${isUnknown(type) ? 'of a type unknown at preview' : type}: an EXPRESS machine keeps no execution history, the guide keeps it ${RETENTION.stepFunctionsHistoryDays} days; set type STANDARD.`,
      );
    }
  }),
};
