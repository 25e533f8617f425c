/** Every alarm of a stack, and every kind the runbook documents. */
import type { AlarmSpec } from './spec';
import { compositeSpecs, type CompositeSpec } from './composites';
import { INCIDENT_KINDS } from './incidents';
import { DR_KINDS, drAlarms } from './dr-alarms';
import { GUIDE_KINDS, PIPELINE_KINDS, SLO_KINDS, type AlarmKind } from './kinds';
import { guideAlarms, pipelineAlarms, sloAlarms } from './process-alarms';
import type { MonitoredResources } from '../monitored-resources';
import {
  accountAlarms,
  alertingAlarms,
  apiAlarms,
  auroraAlarms,
  backupAlarms,
  bedrockAlarms,
  edgeAlarms,
  lambdaAlarms,
  stepFunctionsAlarms,
} from './service-alarms';
import { SERVICE_KINDS } from './service-kinds';

/** In runbook order: what pages first, then the guide's alerts, SLOs, pipeline health, services. */
export const ALARM_KINDS: readonly AlarmKind[] = [
  ...INCIDENT_KINDS,
  ...Object.values(GUIDE_KINDS),
  ...Object.values(SLO_KINDS),
  ...Object.values(PIPELINE_KINDS),
  ...Object.values(SERVICE_KINDS),
  ...Object.values(DR_KINDS),
];

/** CloudWatch limits of one alarm (PutMetricAlarm): metric-math queries and the name. */
export const ALARM_LIMITS = { maxQueries: 10, maxNameLength: 255 } as const;

/** Every metric alarm of a stack. */
export function alarmSpecs<V>(r: MonitoredResources<V>): AlarmSpec<V>[] {
  const specs = [
    ...guideAlarms(r),
    ...sloAlarms(r),
    ...pipelineAlarms(r),
    ...lambdaAlarms(r),
    ...accountAlarms(r),
    ...stepFunctionsAlarms(r),
    ...apiAlarms(r),
    ...edgeAlarms(r),
    ...auroraAlarms(r),
    ...bedrockAlarms(r),
    ...backupAlarms(r),
    ...alertingAlarms(r),
    ...drAlarms(r),
  ];
  validateAlarmSpecs(specs);
  return specs;
}

export interface AlarmCatalog<V = string> {
  readonly metrics: AlarmSpec<V>[];
  readonly composites: CompositeSpec[];
}

/** Every alarm of a stack: the metric alarms, and the composites built over them. */
export function alarmCatalog<V>(r: MonitoredResources<V>): AlarmCatalog<V> {
  const metrics = alarmSpecs(r);
  return { metrics, composites: compositeSpecs(r.stack, metrics) };
}

/** A mistake in the catalog fails the program (and the tests) before anything reaches AWS. */
export function validateAlarmSpecs<V>(specs: readonly AlarmSpec<V>[]): void {
  const seen = new Set<string>();
  for (const p of specs) {
    if (seen.has(p.id)) throw new Error(`Alarm id "${p.id}" is used twice: give the second a subject`);
    seen.add(p.id);
    const returned = p.queries.filter((q) => q.returnData).length;
    if (returned !== 1) throw new Error(`Alarm "${p.id}" returns ${returned} series; an alarm evaluates exactly one`);
    if (p.queries.length > ALARM_LIMITS.maxQueries)
      throw new Error(`Alarm "${p.id}" has ${p.queries.length} queries; CloudWatch allows ${ALARM_LIMITS.maxQueries}`);
    if (p.name.length > ALARM_LIMITS.maxNameLength)
      throw new Error(`Alarm name "${p.name}" is longer than ${ALARM_LIMITS.maxNameLength} characters`);
    if (!ALARM_KINDS.includes(p.kind)) throw new Error(`Alarm "${p.id}" has a kind the runbook does not document: add it to ALARM_KINDS`);
    if ((p.kind.severity === 'critical') !== (p.kind.incident !== undefined)) {
      throw new Error(`Alarm "${p.id}": a kind is critical exactly when it belongs to an incident class (its composite pages)`);
    }
  }
}
