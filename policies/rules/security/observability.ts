/**
 * Tracing (cdk-nag's X-Ray rules in spirit): one X-Ray trace follows a process from the API
 * handler through Step Functions into the worker, which the guide's timeout investigation needs.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

export const lambdaXrayTracing: PackResourcePolicy = {
  name: 'lambda-xray-tracing',
  description:
    'Every Lambda function traces with X-Ray (tracingConfig Active), so a slow or failed process can be followed across the handler, the workflow and the worker.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) => {
    const mode = fn.tracingConfig?.mode ?? 'PassThrough';
    if (mode !== 'Active') report(`Lambda "${displayName(fn, args.name)}" has X-Ray tracing ${mode}; set tracingConfig.mode Active.`);
  }),
};

export const stepFunctionsXray: PackResourcePolicy = {
  name: 'step-functions-xray',
  description: "Every state machine traces with X-Ray, joining the API handler's trace to the worker's.",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, report) => {
    if (machine.tracingConfiguration?.enabled !== true)
      report(`State machine "${displayName(machine, args.name)}" does not trace with X-Ray (tracingConfiguration.enabled).`);
  }),
};
