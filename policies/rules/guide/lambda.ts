/**
 * Lambda against the guide (パフォーマンス管理, キャパシティプランニング): memory and timeout per function,
 * reserved concurrency within the capacity table, provisioned concurrency only where that table
 * plans capacity, and every function's log group created by the stack.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { FUNCTIONS, logGroupName, type FunctionKey, type FunctionSpec } from '../../../guide';
import { refersTo } from '../../lib/graph';
import { read } from '../../lib/known';
import { displayName, type PackResourcePolicy, type PackStackPolicy } from '../../lib/pack-policy';

/** Lambda's defaults when a property is left out. */
const LAMBDA_DEFAULT_MEMORY_MB = 128;
const LAMBDA_DEFAULT_TIMEOUT_S = 3;

export function guideFunction(name: string | undefined): { key: FunctionKey; spec: FunctionSpec } | undefined {
  const key = (Object.keys(FUNCTIONS) as FunctionKey[]).find((k) => FUNCTIONS[k].name === name);
  return key ? { key, spec: FUNCTIONS[key] } : undefined;
}

const label = (name: string, spec?: FunctionSpec): string => (spec ? `Lambda "${name}" (${spec.component})` : `Lambda "${name}"`);

export const lambdaGuideSizes: PackResourcePolicy = {
  name: 'lambda-guide-sizes',
  description:
    "Every Lambda function is one of the guide's FUNCTIONS with exactly its memory and timeout (guide/index.ts), so a size changes in one reviewed place.",
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) => {
    const name = displayName(fn, args.name);
    const found = guideFunction(fn.name);
    if (!found) {
      report(`${label(name)} is not in the guide's FUNCTIONS (guide/index.ts): add it there with its memory and timeout.`);
      return;
    }
    const { spec, key } = found;
    const memory = fn.memorySize ?? LAMBDA_DEFAULT_MEMORY_MB;
    if (memory !== spec.memoryMb)
      report(`${label(name, spec)} has ${memory} MB of memory; the guide sets ${spec.memoryMb} MB (FUNCTIONS.${key}).`);
    const timeout = fn.timeout ?? LAMBDA_DEFAULT_TIMEOUT_S;
    if (timeout !== spec.timeoutSeconds)
      report(`${label(name, spec)} has a ${timeout} s timeout; the guide sets ${spec.timeoutSeconds} s (FUNCTIONS.${key}).`);
  }),
};

export const CONCURRENCY_LEVELS = ['none', 'current', 'target'] as const;
export interface ReservedConcurrencyConfig {
  /** The least a planned function must reserve: a level of the guide's capacity table, or `none` (at least 1). */
  readonly minimumLevel: (typeof CONCURRENCY_LEVELS)[number];
}

export const lambdaReservedConcurrency: PackResourcePolicy = {
  name: 'lambda-reserved-concurrency',
  description:
    "The API handlers and the worker reserve concurrency within the guide's capacity table (current / target / upper limit): above the limit they starve the account, without a reservation they can be starved.",
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  configSchema: {
    properties: {
      minimumLevel: {
        type: 'string',
        enum: [...CONCURRENCY_LEVELS],
        default: 'current',
        description: "Least reservation: a level of the guide's table, or none (at least 1).",
      },
    },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) => {
    const found = guideFunction(fn.name);
    const plan = found?.spec.reservedConcurrency;
    if (!found || !plan) return;
    const name = label(displayName(fn, args.name), found.spec);
    const { minimumLevel } = args.getConfig<ReservedConcurrencyConfig>();
    const reserved = fn.reservedConcurrentExecutions;
    if (reserved === undefined || reserved < 0) {
      report(`${name} reserves no concurrency; the guide plans ${plan.current} (current) to ${plan.max} (upper limit).`);
    } else if (reserved > plan.max) {
      report(`${name} reserves ${reserved} concurrent executions, above the guide's upper limit of ${plan.max}.`);
    } else if (reserved === 0) {
      report(`${name} reserves 0 concurrent executions, which stops it from running.`);
    } else if (minimumLevel !== 'none' && reserved < plan[minimumLevel]) {
      report(
        `${name} reserves ${reserved} concurrent executions; this stack requires at least the guide's ${minimumLevel} capacity of ${plan[minimumLevel]}.`,
      );
    }
  }),
};

export const lambdaProvisionedConcurrency: PackStackPolicy = {
  name: 'lambda-provisioned-concurrency',
  description:
    "Provisioned concurrency (the guide's cold-start option) only on a function the capacity table plans, within its reserved concurrency: anywhere else it costs money every hour and buys nothing.",
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const functions = args.resources.filter((r) => r.isType(aws.lambda.Function));
    for (const config of args.resources.filter((r) => r.isType(aws.lambda.ProvisionedConcurrencyConfig))) {
      const fn = functions.find((f) => refersTo(args.resources, config, 'functionName', f));
      const target = fn ? displayName(fn.props, fn.name) : String(read(() => config.props.functionName) ?? '');
      const provisioned = Number(config.props.provisionedConcurrentExecutions ?? 0);
      if (!fn) {
        report(`Provisioned concurrency on "${target}", which is not a Lambda function of this stack.`, config.urn);
        continue;
      }
      const found = guideFunction(fn.props.name);
      if (!found?.spec.reservedConcurrency) {
        report(
          `${label(target, found?.spec)} has provisioned concurrency, but the guide plans capacity for the API handlers and the worker only.`,
          config.urn,
        );
        continue;
      }
      const reserved = fn.props.reservedConcurrentExecutions;
      if (typeof reserved === 'number' && reserved >= 0 && provisioned > reserved) {
        report(
          `${label(target, found.spec)} provisions ${provisioned} concurrent executions, more than the ${reserved} it reserves.`,
          config.urn,
        );
      }
    }
  },
};

export const lambdaLogGroups: PackStackPolicy = {
  name: 'lambda-log-groups',
  description:
    "Every Lambda function logs to the guide's /aws/lambda/<name> log group, created by the stack: a group Lambda creates itself keeps logs forever, outside the 30-day retention.",
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  validateStack: (args, report) => {
    const groups = new Set(args.resources.filter((r) => r.isType(aws.cloudwatch.LogGroup)).map((r) => r.props.name as string));
    for (const fn of args.resources.filter((r) => r.isType(aws.lambda.Function))) {
      const name = displayName(fn.props, fn.name);
      const expected = logGroupName(name);
      const actual: string = fn.props.loggingConfig?.logGroup ?? expected;
      if (actual !== expected) {
        report(`Lambda "${name}" logs to ${actual}, not the guide's ${expected}.`, fn.urn);
      } else if (!groups.has(expected)) {
        report(`Lambda "${name}" logs to ${expected}, which this stack does not create: Lambda would create it with no retention.`, fn.urn);
      }
    }
  },
};
