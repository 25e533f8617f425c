/**
 * A small model of what PagerDuty does with the critical topic's notifications (its Amazon
 * CloudWatch integration and the service's escalation policy, infra/components/observability/paging.ts):
 * - an ALARM notification opens an incident keyed by the alarm (the integration's incident key is
 *   the alarm), unless one is open for that alarm: then it is de-duplicated into it;
 * - an OK notification resolves the open incident of that alarm (none open: ignored);
 * - an open incident notifies the escalation levels at the guide's minutes (escalationRules) until
 *   it is acknowledged or resolved; the policy does not loop.
 */
import { escalationRules, type Responder } from '../escalation-stages';

export interface TopicNotification {
  readonly at: number;
  readonly alarmName: string;
  readonly state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
}

export type IncidentEvent =
  | { readonly at: number; readonly type: 'triggered' | 'deduplicated' | 'acknowledged' | 'resolved' }
  | { readonly at: number; readonly type: 'notified'; readonly level: number; readonly responder: Responder };

export interface Incident {
  readonly alarmName: string;
  readonly openedAt: number;
  readonly resolvedAt?: number;
  readonly acknowledgedAt?: number;
  readonly events: readonly IncidentEvent[];
}

export interface PagingOptions {
  /** Minutes after an incident opens at which its responder acknowledges it. @default never */
  readonly acknowledgeAfterMinutes?: number;
  /** The end of the observation: escalations after it are not modelled. */
  readonly until: number;
}

const MINUTE = 60_000;

export function modelPagerDuty(notifications: readonly TopicNotification[], opts: PagingOptions): Incident[] {
  const incidents: { alarmName: string; openedAt: number; resolvedAt?: number; acknowledgedAt?: number; events: IncidentEvent[] }[] = [];
  const open = new Map<string, (typeof incidents)[number]>();
  for (const n of [...notifications].sort((a, b) => a.at - b.at)) {
    const current = open.get(n.alarmName);
    if (n.state === 'ALARM') {
      if (current) current.events.push({ at: n.at, type: 'deduplicated' });
      else {
        const incident = { alarmName: n.alarmName, openedAt: n.at, events: [{ at: n.at, type: 'triggered' }] as IncidentEvent[] };
        incidents.push(incident);
        open.set(n.alarmName, incident);
      }
    } else if (n.state === 'OK' && current) {
      current.resolvedAt = n.at;
      open.delete(n.alarmName);
    }
  }
  const rules = escalationRules();
  return incidents.map((i) => {
    const acknowledgedAt = opts.acknowledgeAfterMinutes === undefined ? undefined : i.openedAt + opts.acknowledgeAfterMinutes * MINUTE;
    const stop = Math.min(i.resolvedAt ?? Infinity, acknowledgedAt ?? Infinity, opts.until);
    const notified: IncidentEvent[] = rules
      .map((r, k) => ({ at: i.openedAt + r.fromMinutes * MINUTE, type: 'notified' as const, level: k + 1, responder: r.responder }))
      .filter((e) => e.at === i.openedAt || e.at < stop);
    const ack =
      acknowledgedAt !== undefined && acknowledgedAt < (i.resolvedAt ?? Infinity) && acknowledgedAt <= opts.until
        ? [{ at: acknowledgedAt, type: 'acknowledged' as const }]
        : [];
    const resolved = i.resolvedAt !== undefined ? [{ at: i.resolvedAt, type: 'resolved' as const }] : [];
    const events = [...i.events, ...notified, ...ack, ...resolved].sort((a, b) => a.at - b.at || order(a) - order(b));
    return { alarmName: i.alarmName, openedAt: i.openedAt, resolvedAt: i.resolvedAt, acknowledgedAt: ack[0]?.at, events };
  });
}

const order = (e: IncidentEvent): number => ['triggered', 'notified', 'deduplicated', 'acknowledged', 'resolved'].indexOf(e.type);

/** `0 min on-call, 30 min team-lead, 42 min resolved`, minutes from the incident's start. */
export function escalationTimeline(incident: Incident): string {
  return incident.events
    .filter((e) => e.type !== 'triggered' && e.type !== 'deduplicated')
    .map((e) => `${Math.round((e.at - incident.openedAt) / MINUTE)} min ${e.type === 'notified' ? e.responder : e.type}`)
    .join(', ');
}
