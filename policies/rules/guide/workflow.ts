/**
 * The state machine (AIGenerationStateMachine): every execution and every Task state ends by a
 * timeout (the guide's TIMEOUT status exists because work can hang), and the full execution is
 * logged, since the guide's first response to a timeout alert is its execution history.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

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

/** Task states without a timeout, nested ones (Parallel branches, Map processors) included. */
export function tasksWithoutTimeout(machine: AslMachine, prefix = ''): string[] {
  const missing: string[] = [];
  for (const [name, state] of Object.entries(machine.States ?? {})) {
    const path = `${prefix}${name}`;
    if (state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) missing.push(path);
    for (const inner of [...(state.Branches ?? []), state.Iterator, state.ItemProcessor]) {
      if (inner) missing.push(...tasksWithoutTimeout(inner, `${path}/`));
    }
  }
  return missing;
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
    'A state machine has an execution timeout and a timeout on every Task, so a hung step ends TIMEOUT instead of running for a year, and logs ALL events, which the guide\'s timeout response reads first.',
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, report) => {
    const name = `State machine "${displayName(machine, args.name)}"`;
    const logging = machine.loggingConfiguration;
    if (logging?.level !== 'ALL') report(`${name} logs at level ${logging?.level ?? 'OFF'}; the execution history needs level ALL.`);
    else if (!logging.logDestination) report(`${name} logs at level ALL but to no log group (logDestination).`);
    const asl = parseDefinition(machine.definition);
    if (!asl) {
      report(`${name} has a definition that is not JSON, so its timeouts cannot be checked.`);
      return;
    }
    if (asl.TimeoutSeconds === undefined) report(`${name} has no TimeoutSeconds: a stuck execution would run until Step Functions' one-year limit.`);
    for (const task of tasksWithoutTimeout(asl)) report(`${name}: Task state "${task}" has no TimeoutSeconds.`);
  }),
};
