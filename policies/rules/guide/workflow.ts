/**
 * The state machine (AIGenerationStateMachine): every execution and every Task state ends by a
 * timeout within the design's bounds (the guide's TIMEOUT status exists because work can hang),
 * the full execution is logged, since the guide's first response to a timeout alert is its
 * execution history, and it is a STANDARD machine, whose history Step Functions keeps 90 days.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { DESIGN, RETENTION, SLO } from '../../../guide';
import { isUnknown, read } from '../../lib/known';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

/** The shortest execution timeout: the slowest type's upper average completion, so healthy runs finish. */
export const MIN_WORKFLOW_TIMEOUT_SECONDS = Math.max(...Object.values(SLO.completionMinutes).map(([, upper]) => upper)) * 60;
const { workflowTimeoutSeconds: MAX_WORKFLOW_TIMEOUT_SECONDS, stepTimeoutSeconds: MAX_STEP_TIMEOUT_SECONDS } = DESIGN.workflow;
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
function taskTimeoutProblem(state: AslState): string | undefined {
  if (state.TimeoutSecondsPath !== undefined) return `takes its timeout from the input (TimeoutSecondsPath ${state.TimeoutSecondsPath}), which nothing bounds; set TimeoutSeconds of at most ${MAX_STEP_TIMEOUT_SECONDS} s`;
  if (state.TimeoutSeconds === undefined) return `has no TimeoutSeconds (Step Functions' default is 99999999 s); set at most ${MAX_STEP_TIMEOUT_SECONDS} s`;
  if (state.TimeoutSeconds > MAX_STEP_TIMEOUT_SECONDS) {
    return `has TimeoutSeconds ${state.TimeoutSeconds}; a step is one worker invocation, at most ${MAX_STEP_TIMEOUT_SECONDS} s (DESIGN.workflow.stepTimeoutSeconds)`;
  }
  return undefined;
}

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
  description:
    `A state machine ends every execution within ${MIN_WORKFLOW_TIMEOUT_SECONDS}–${MAX_WORKFLOW_TIMEOUT_SECONDS} s (long enough for the slowest type's completion time, short enough that a stuck run ends TIMEOUT) and every Task within ${MAX_STEP_TIMEOUT_SECONDS} s (one worker invocation), and logs ALL events to a log group, which the guide's timeout response reads first. Its definition must be known at preview, so the timeouts are checked before anything is created.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, report) => {
    const name = `State machine "${displayName(machine, args.name)}"`;
    const level = read(() => machine.loggingConfiguration?.level);
    if (level !== 'ALL') report(`${name} logs at level ${isUnknown(level) ? 'unknown' : level ?? 'OFF'}; the execution history needs level ALL (loggingConfiguration.level).`);
    else {
      // Unknown at preview: computed from the log group created with it (checked as an ARN at up).
      const destination = read(() => machine.loggingConfiguration?.logDestination);
      if (!destination) report(`${name} logs at level ALL but to no log group: set loggingConfiguration.logDestination to "<log group ARN>:*".`);
      else if (!isUnknown(destination) && !LOG_GROUP_ARN.test(destination)) {
        report(`${name} logs to "${destination}", which is not a log group ARN ending in ":*" (arn:aws:logs:<region>:<account>:log-group:<name>:*).`);
      }
    }
    const definition = read(() => machine.definition);
    if (isUnknown(definition)) {
      report(`${name} has a definition that is not known until other resources exist, so its timeouts cannot be checked at preview: build it from values known before deployment (e.g. the worker's ARN from its guide name).`);
      return;
    }
    const asl = parseDefinition(definition);
    if (!asl) {
      report(`${name} has a definition that is not JSON, so its timeouts cannot be checked.`);
      return;
    }
    if (asl.TimeoutSeconds === undefined) {
      report(`${name} has no TimeoutSeconds: a stuck execution would run until Step Functions' one-year limit; set ${MAX_WORKFLOW_TIMEOUT_SECONDS} s (DESIGN.workflow.workflowTimeoutSeconds).`);
    } else if (asl.TimeoutSeconds > MAX_WORKFLOW_TIMEOUT_SECONDS) {
      report(`${name} has TimeoutSeconds ${asl.TimeoutSeconds}; a stuck execution must end TIMEOUT within ${MAX_WORKFLOW_TIMEOUT_SECONDS} s (DESIGN.workflow.workflowTimeoutSeconds).`);
    } else if (asl.TimeoutSeconds < MIN_WORKFLOW_TIMEOUT_SECONDS) {
      report(`${name} has TimeoutSeconds ${asl.TimeoutSeconds}, shorter than the slowest type's upper completion time (${MIN_WORKFLOW_TIMEOUT_SECONDS} s): healthy processes would end TIMEOUT.`);
    }
    for (const { path, state } of taskStates(asl)) {
      const problem = taskTimeoutProblem(state);
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
      report(`State machine "${displayName(machine, args.name)}" is ${isUnknown(type) ? 'of a type unknown at preview' : type}: an EXPRESS machine keeps no execution history, the guide keeps it ${RETENTION.stepFunctionsHistoryDays} days; set type STANDARD.`);
    }
  }),
};
