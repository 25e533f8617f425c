/**
 * The composite alarms of a stack, as data: one per burn-rate window pair (long AND short) and one
 * per incident class (any of its critical alarms). The Alarms component turns each into an
 * `aws.cloudwatch.CompositeAlarm`; the evaluator and the policies read them like any alarm.
 */
import { ERROR_BUDGET, type BurnWindowKey } from '../../guide';
import type { AlarmKind, IncidentClassId } from './kinds';
import { CAUSE_KIND, INCIDENT_CLASSES, causeAlarmId, incidentAlarmId } from './incidents';
import { BUDGETS, burnSubject } from './process-alarms';
import type { AlarmSpec, TopicSeverity } from './spec';
import { alarmName } from '../monitored-resources';

export interface CompositeSpec {
  readonly id: string;
  readonly name: string;
  readonly kind: AlarmKind;
  readonly subject?: string;
  /** The alarm names it combines, and how. */
  readonly children: readonly string[];
  readonly operator: 'AND' | 'OR';
  /** The AlarmRule: `ALARM("<name>") OR ALARM("<name>") …`. */
  readonly rule: string;
  readonly condition: string;
  readonly notifies: TopicSeverity;
  readonly suppressor?: { readonly alarmName: string; readonly waitSeconds: number; readonly extensionSeconds: number };
}

/** Creation order: classes nothing suppresses, then the cause composites over them, then the suppressed classes. */
const rank = (c: CompositeSpec): number => (c.suppressor ? 2 : c.kind === CAUSE_KIND ? 1 : 0);

/** CloudWatch's limit of one composite alarm's rule (PutCompositeAlarm AlarmRule). */
export const MAX_RULE_LENGTH = 10_240;

function composite(stack: string, c: Omit<CompositeSpec, 'name' | 'rule' | 'condition'>, shortNames: readonly string[]): CompositeSpec {
  const rule = c.children.map((n) => `ALARM("${n}")`).join(` ${c.operator} `);
  const condition = `${c.operator === 'AND' ? 'all of' : 'any of'} ${shortNames.join(', ')} in ALARM`;
  return { ...c, name: alarmName(stack, c.id), rule, condition };
}

export function compositeSpecs<V>(stack: string, specs: readonly AlarmSpec<V>[]): CompositeSpec[] {
  const byId = new Map(specs.map((s) => [s.id, s]));
  const burns = BUDGETS.flatMap((budget) =>
    (Object.keys(ERROR_BUDGET.windows) as BurnWindowKey[]).flatMap((w) => {
      const parts = [burnSubject(w, 'long'), burnSubject(w, 'short')].map((sub) => byId.get(`${budget.kind.section}-${sub}`));
      if (parts.some((p) => !p)) return [];
      return [
        composite(
          stack,
          {
            id: `${budget.kind.section}-${w}`,
            kind: budget.kind,
            subject: w,
            operator: 'AND',
            notifies: 'warning',
            children: parts.map((p) => p!.name),
          },
          parts.map((p) => p!.id),
        ),
      ];
    }),
  );
  const burnParts = new Set(burns.flatMap((b) => b.children));
  const classes = Object.keys(INCIDENT_CLASSES) as IncidentClassId[];
  const incidents = classes.flatMap((id) => {
    const cls = INCIDENT_CLASSES[id];
    const members = [
      ...specs.filter((s) => s.kind.incident === id && !burnParts.has(s.name)).map((s) => ({ id: s.id, name: s.name })),
      ...burns.filter((b) => b.kind.incident === id).map((b) => ({ id: b.id, name: b.name })),
    ];
    if (members.length === 0) return [];
    const by = cls.suppressedBy;
    // Each cause's composite, and its aftermath alarm (in ALARM while what the cause stranded may still end).
    const causes = by
      ? by.by.flatMap((c) => [
          { id: incidentAlarmId(c), name: alarmName(stack, incidentAlarmId(c)) },
          ...(by.throughAftermath ? specs.filter((s) => s.kind.aftermathOf === c).map((s) => ({ id: s.id, name: s.name })) : []),
        ])
      : [];
    const cause =
      causes.length > 1
        ? [
            composite(
              stack,
              {
                id: causeAlarmId(id),
                kind: CAUSE_KIND,
                subject: id,
                operator: 'OR',
                notifies: 'warning',
                children: causes.map((c) => c.name),
              },
              causes.map((c) => c.id),
            ),
          ]
        : [];
    const suppressorName = cause[0]?.name ?? causes[0]?.name;
    return [
      ...cause,
      composite(
        stack,
        {
          id: incidentAlarmId(id),
          kind: cls.kind,
          operator: 'OR',
          notifies: 'critical',
          children: members.map((m) => m.name),
          ...(by && suppressorName
            ? { suppressor: { alarmName: suppressorName, waitSeconds: by.waitSeconds, extensionSeconds: by.extensionSeconds } }
            : {}),
        },
        members.map((m) => m.id),
      ),
    ];
  });
  // Causes and suppressors before the composites that name them.
  incidents.sort((a, b) => rank(a) - rank(b));
  validateComposites([...burns, ...incidents], specs);
  return [...burns, ...incidents];
}

/** Every critical alarm pages through exactly one incident composite; rules stay within CloudWatch's limit. */
export function validateComposites<V>(composites: readonly CompositeSpec[], specs: readonly AlarmSpec<V>[]): void {
  const names = new Set([...specs.map((s) => s.name), ...composites.map((c) => c.name)]);
  for (const c of composites) {
    if (c.rule.length > MAX_RULE_LENGTH)
      throw new Error(`Composite alarm "${c.id}" has a rule of ${c.rule.length} characters; CloudWatch allows ${MAX_RULE_LENGTH}`);
    const missing = c.children.filter((n) => !names.has(n));
    if (missing.length) throw new Error(`Composite alarm "${c.id}" names alarms that do not exist: ${missing.join(', ')}`);
    if (c.suppressor && !names.has(c.suppressor.alarmName))
      throw new Error(`Composite alarm "${c.id}" is suppressed by ${c.suppressor.alarmName}, which does not exist`);
  }
  const incidents = composites.filter((c) => c.kind.category === 'incident' && c.kind !== CAUSE_KIND);
  const burnsOf = new Map(composites.filter((c) => c.kind.category !== 'incident').map((c) => [c.name, c.children]));
  for (const s of specs.filter((x) => x.kind.severity === 'critical')) {
    const paths = incidents.filter((i) => i.children.some((n) => n === s.name || burnsOf.get(n)?.includes(s.name)));
    if (paths.length !== 1)
      throw new Error(
        `Critical alarm "${s.id}" pages through ${paths.length} incident composites; it must page through exactly one (kind.incident)`,
      );
    if (s.notifies !== 'warning')
      throw new Error(`Critical alarm "${s.id}" notifies the ${s.notifies} topic itself; its incident composite pages`);
  }
}
