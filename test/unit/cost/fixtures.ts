/** A small made-up program inventory and measured profile, in round numbers, for hand-computed cases. */
import { PROCESS_TYPES, type ProcessType } from '../../../guide';
import type { MeasuredProfile, TypeProfile } from '../../../cost/profile';
import { settingsWith, type Inventory, type ProgramSettings } from '../../../cost/program';
import type { Model } from '../../../cost/model';

export const INVENTORY: Inventory = {
  alarms: 10,
  alarmMetrics: 12,
  dashboards: 1,
  webAcls: 1,
  wafRules: 4,
  natGateways: 2,
  interfaceEndpointAzs: 6,
  kmsKeys: 1,
  secrets: 1,
  budgets: 4,
  responsePlans: 1,
  firehoseStreams: 1,
  archivedLogGroups: 3,
  stateMachineLogLevel: 'ALL',
  stateMachineIncludesData: true,
  tracedFunctions: 0,
  accessLogFormat: '{"requestId":"abc"}',
};

export const TYPE: TypeProfile = {
  processes: 10,
  completed: 10,
  modelCalls: 4,
  inputTokens: 1000,
  outputTokens: 400,
  localUsage: { inputTokens: 700, outputTokens: 300 },
  modelRequestBytes: 1000,
  modelResponseBytes: 500,
  workerLocalMs: 400,
  workerLogs: { bytes: 3000, events: 10 },
  startLogs: { bytes: 800, events: 3 },
  startLatencyMs: 20,
  startRequestBytes: 900,
  startResponseBytes: 600,
  databaseCpuMs: 5,
  walBytes: 8192,
  rowBytes: 2000,
};

export const PROFILE: MeasuredProfile = {
  measuredAt: '2026-12-07T00:00:00.000Z',
  command: 'fixture',
  machine: 'fixture',
  tokenizer: 'fixture',
  perType: Object.fromEntries(PROCESS_TYPES.map((t) => [t, TYPE])) as Record<ProcessType, TypeProfile>,
  statusCheck: { requests: 100, latencyMs: 10, responseBytes: 1000, requestBytes: 800, logs: { bytes: 0, events: 0 } },
  queueMonitor: { invocations: 5, logs: { bytes: 500, events: 2 } },
  metricSeries: Array.from({ length: 17 }, (_, i) => `AsyncProcessing/M${i}{service=x}`),
  notes: [],
};

/** The prod stack's real config and functions, with the made-up inventory. */
export const program = (inventory: Partial<Inventory> = {}, stack = 'prod'): ProgramSettings =>
  settingsWith(stack, { ...INVENTORY, ...inventory });

export const model = (inventory: Partial<Inventory> = {}, profile: MeasuredProfile = PROFILE): Model => ({
  program: program(inventory),
  profile,
});
