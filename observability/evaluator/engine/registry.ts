/**
 * The alarms of one evaluator: compiled, named by name and ARN, composite rules resolved to the
 * alarms they read (an unknown alarm or a cycle is an error, as PutCompositeAlarm's would be),
 * and composites ordered so that each comes after the composites it reads.
 */
import { parseRule, ruleAlarms, type Rule } from '../composite/rule';
import { Suppression } from '../composite/suppression';
import type { AlarmDefinition, AlarmState, CompositeAlarmDefinition } from '../types';
import { compileMetricAlarm, type CompiledMetricAlarm } from './compile';
import { CREATED_REASON } from './reason';

export interface AlarmRecord {
  readonly name: string;
  readonly arn: string;
  readonly kind: 'metric' | 'composite';
  readonly actions: Readonly<Record<AlarmState, readonly string[]>>;
  readonly actionsEnabled: boolean;
  readonly metric?: CompiledMetricAlarm;
  composite?: { readonly rule: Rule; readonly suppressor?: string; readonly suppression?: Suppression };
  state: AlarmState;
  reason: string;
  since: number;
  evaluatedAt?: number;
}

export interface RegistryOptions {
  readonly region: string;
  readonly accountId: string;
  readonly createdAt: number;
}

export class AlarmRegistry {
  readonly all: AlarmRecord[] = [];
  private readonly byName = new Map<string, AlarmRecord>();
  private readonly byArn = new Map<string, AlarmRecord>();
  /** Composite alarms, each after every composite its rule reads. */
  readonly composites: AlarmRecord[];

  constructor(definitions: readonly AlarmDefinition[], options: RegistryOptions) {
    for (const d of definitions) {
      if (this.byName.has(d.name)) throw new Error(`Two alarms are named ${d.name}: alarm names are unique in an account and region.`);
      const record: AlarmRecord = {
        name: d.name,
        arn: d.arn ?? `arn:aws:cloudwatch:${options.region}:${options.accountId}:alarm:${d.name}`,
        kind: d.kind,
        actions: { ALARM: d.alarmActions ?? [], OK: d.okActions ?? [], INSUFFICIENT_DATA: d.insufficientDataActions ?? [] },
        actionsEnabled: d.actionsEnabled ?? true,
        metric: d.kind === 'metric' ? compileMetricAlarm(d) : undefined,
        state: 'INSUFFICIENT_DATA',
        reason: CREATED_REASON,
        since: options.createdAt,
      };
      this.all.push(record);
      this.byName.set(record.name, record);
      this.byArn.set(record.arn, record);
    }
    definitions.forEach((d) => {
      if (d.kind === 'composite') this.byName.get(d.name)!.composite = this.compile(d);
    });
    this.composites = this.order();
  }

  /** The alarm a name or ARN refers to. */
  find(ref: string): AlarmRecord | undefined {
    const exact = this.byName.get(ref) ?? this.byArn.get(ref);
    if (exact) return exact;
    const name = /^arn:aws[\w-]*:cloudwatch:[^:]*:\d*:alarm:(.+)$/.exec(ref)?.[1];
    return name === undefined ? undefined : this.byName.get(name);
  }

  get(ref: string, where = 'The evaluator'): AlarmRecord {
    return (
      this.find(ref) ??
      ((): never => {
        throw new Error(`${where}: no alarm is named ${ref}.`);
      })()
    );
  }

  private compile(d: CompositeAlarmDefinition) {
    let rule: Rule;
    try {
      rule = parseRule(d.alarmRule);
    } catch (e) {
      throw new Error(`Composite alarm ${d.name}: ${(e as Error).message}`);
    }
    const named = (ref: string) => this.get(ref, `Composite alarm ${d.name}`).name;
    const resolve = (r: Rule): Rule => {
      switch (r.type) {
        case 'state':
          return { ...r, alarm: named(r.alarm) };
        case 'not':
          return { ...r, rule: resolve(r.rule) };
        case 'and':
        case 'or':
          return { ...r, left: resolve(r.left), right: resolve(r.right) };
        default:
          return r;
      }
    };
    const s = d.actionsSuppressor;
    if (s && !(s.waitPeriod >= 0 && s.extensionPeriod >= 0)) {
      throw new Error(`Composite alarm ${d.name}: actionsSuppressor needs waitPeriod and extensionPeriod in seconds (>= 0).`);
    }
    return { rule: resolve(rule), suppressor: s && named(s.alarm), suppression: s && new Suppression(s) };
  }

  private order(): AlarmRecord[] {
    const out: AlarmRecord[] = [];
    const visit = (r: AlarmRecord, path: string[]) => {
      if (r.kind !== 'composite' || out.includes(r)) return;
      if (path.includes(r.name)) throw new Error(`Composite alarms read each other in a cycle: ${[...path, r.name].join(' → ')}.`);
      for (const child of ruleAlarms(r.composite!.rule)) visit(this.get(child), [...path, r.name]);
      out.push(r);
    };
    this.all.forEach((r) => visit(r, []));
    return out;
  }
}
