/**
 * What the cost model reads from the program itself, never from a second copy:
 * - the stack config (`Pulumi.<stack>.yaml` through infra/config.ts's validation): Aurora capacity,
 *   network, reserved concurrency, API throttling, model id;
 * - the functions' plan (infra/specs/lambdas.ts over guide FUNCTIONS): memory, timeout,
 *   architecture, reserved concurrency;
 * - the workflow's ASL (transitions.ts): transitions and worker invocations per execution;
 * - the resource inventory of the offline plan (the Pulumi program under mocks): alarms and the
 *   metrics they read, dashboards, the web ACL and its rules, NAT gateways, interface endpoints,
 *   keys, secrets, budgets, log groups, the state machine's log level, tracing.
 */
import { DESIGN, FUNCTIONS, INFRA, type FunctionKey } from '../guide';
import { parseStackConfig, type StackConfig } from '../infra/config';
import { lambdaSpecs } from '../infra/specs/lambdas';
import { rawStackConfig } from '../infra/config/stack-file';
import { runOffline, type PlannedResource } from '../infra/offline/run';
import { countPath, type PathCount } from './transitions';

export interface FunctionSettings {
  readonly key: FunctionKey;
  readonly name: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number;
  readonly architecture: string;
}

export interface Inventory {
  readonly alarms: number;
  /** Metrics the alarms read (a metric-math alarm is billed per metric). */
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly webAcls: number;
  readonly wafRules: number;
  readonly natGateways: number;
  /** Interface endpoints × the subnets (AZs) each is in. */
  readonly interfaceEndpointAzs: number;
  readonly kmsKeys: number;
  /** Secrets Manager secrets, the RDS-managed master secret included. */
  readonly secrets: number;
  readonly budgets: number;
  readonly responsePlans: number;
  readonly firehoseStreams: number;
  /** Log groups that a subscription filter sends to the archive. */
  readonly archivedLogGroups: number;
  /** `ALL` logs every history event of every execution. */
  readonly stateMachineLogLevel: string;
  readonly stateMachineIncludesData: boolean;
  /** Functions with X-Ray active tracing. */
  readonly tracedFunctions: number;
  /** The API stage's access log line format (API Gateway `$context` variables). */
  readonly accessLogFormat?: string;
}

export interface ProgramSettings {
  readonly stack: string;
  readonly config: StackConfig;
  readonly functions: Record<FunctionKey, FunctionSettings>;
  readonly slices: number;
  readonly paths: { readonly success: PathCount; readonly generateRetry: PathCount; readonly failure: PathCount };
  readonly inventory: Inventory;
}

/** The stack file's values as Pulumi hands them to the program (objects parsed). */
export function stackConfig(stack: string, configDir?: string): StackConfig {
  return parseStackConfig(rawStackConfig(stack, configDir), stack);
}

const ofType = (rs: readonly PlannedResource[], type: string) => rs.filter((r) => r.type === type);

/** Counts what the offline plan would create; pure, so tests can hand it a made-up plan. */
export function inventoryFrom(resources: readonly PlannedResource[]): Inventory {
  const alarms = ofType(resources, 'aws:cloudwatch/metricAlarm:MetricAlarm');
  const waf = ofType(resources, 'aws:wafv2/webAcl:WebAcl');
  const vpc = ofType(resources, 'awsx:ec2:Vpc');
  const clusters = ofType(resources, 'aws:rds/cluster:Cluster');
  const machine = ofType(resources, 'aws:sfn/stateMachine:StateMachine')[0];
  const stage = ofType(resources, 'aws:apigatewayv2/stage:Stage')[0];
  const nat = vpc.reduce(
    (n, v) =>
      n +
      (v.inputs.natGateways?.strategy === 'OnePerAz'
        ? Number(v.inputs.numberOfAvailabilityZones ?? 2)
        : v.inputs.natGateways?.strategy === 'Single'
          ? 1
          : 0),
    0,
  );
  return {
    alarms: alarms.length,
    alarmMetrics: alarms.reduce(
      (n, a) => n + (Array.isArray(a.inputs.metricQueries) ? a.inputs.metricQueries.filter((q: any) => q.metric).length : 1),
      0,
    ),
    dashboards: ofType(resources, 'aws:cloudwatch/dashboard:Dashboard').length,
    webAcls: waf.length,
    wafRules: waf.reduce((n, w) => n + (w.inputs.rules?.length ?? 0), 0),
    natGateways: nat,
    interfaceEndpointAzs: ofType(resources, 'aws:ec2/vpcEndpoint:VpcEndpoint')
      .filter((e) => e.inputs.vpcEndpointType === 'Interface')
      .reduce((n, e) => n + (e.inputs.subnetIds?.length ?? 1), 0),
    kmsKeys: ofType(resources, 'aws:kms/key:Key').length,
    secrets:
      ofType(resources, 'aws:secretsmanager/secret:Secret').length + clusters.filter((c) => c.inputs.manageMasterUserPassword).length,
    budgets: ofType(resources, 'aws:budgets/budget:Budget').length,
    responsePlans: ofType(resources, 'aws:ssmincidents/responsePlan:ResponsePlan').length,
    firehoseStreams: ofType(resources, 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream').length,
    archivedLogGroups: ofType(resources, 'aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter').length,
    stateMachineLogLevel: machine?.inputs.loggingConfiguration?.level ?? 'OFF',
    stateMachineIncludesData: machine?.inputs.loggingConfiguration?.includeExecutionData === true,
    tracedFunctions: ofType(resources, 'aws:lambda/function:Function').filter((f) => f.inputs.tracingConfig?.mode === 'Active').length,
    accessLogFormat: stage?.inputs.accessLogSettings?.format,
  };
}

export function functionSettings(config: StackConfig): Record<FunctionKey, FunctionSettings> {
  const out = {} as Record<FunctionKey, FunctionSettings>;
  for (const plan of lambdaSpecs(config.functions)) {
    out[plan.key] = {
      key: plan.key,
      name: FUNCTIONS[plan.key].name,
      memoryMb: plan.memoryMb,
      timeoutSeconds: plan.timeoutSeconds,
      reservedConcurrency: plan.reservedConcurrency,
      architecture: INFRA.lambda.architecture,
    };
  }
  return out;
}

/** Everything but the inventory, which needs the (slower) offline run. */
export function settingsWith(stack: string, inventory: Inventory, configDir?: string): ProgramSettings {
  const config = stackConfig(stack, configDir);
  const slices = DESIGN.workflow.generationSteps;
  return {
    stack,
    config,
    functions: functionSettings(config),
    slices,
    paths: {
      success: countPath({ slices }),
      generateRetry: countPath({ slices, generateRetries: 1 }),
      failure: countPath({ slices, failAtSlice: 1 }),
    },
    inventory,
  };
}

/** The program's settings for a stack, inventory from the offline plan (about 5 s). */
export async function loadProgram(stack: string): Promise<ProgramSettings> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // Pulumi keeps a stack trace per resource; the run is much faster without
  try {
    const run = await runOffline(stack);
    return settingsWith(stack, inventoryFrom(run.resources));
  } finally {
    Error.stackTraceLimit = limit;
  }
}
