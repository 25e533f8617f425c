/**
 * The guide's escalation table (エスカレーション) as PagerDuty escalation rules: the on-call is
 * notified at once; unacknowledged after 30 minutes PagerDuty engages the team lead, after 60 the
 * manager. Acknowledging stops it; the OK action resolves the incident. PagerDuty is the one engine.
 */
import { ESCALATION } from '../guide';

export type Responder = (typeof ESCALATION)[number]['responder'];

export interface EscalationRule {
  readonly responder: Responder;
  /** When this level is engaged, counted from the incident's start. */
  readonly fromMinutes: number;
  /**
   * Minutes until the next level is engaged (PagerDuty's escalationDelayInMinutes). The last level
   * has no next one (the policy does not loop); PagerDuty still wants a delay, so it repeats the
   * level before it.
   */
  readonly escalationDelayInMinutes: number;
}

export function escalationRules(): EscalationRule[] {
  return ESCALATION.map((tier, i) => {
    const previous = ESCALATION[i - 1];
    const delay = tier.toMinutes !== undefined ? tier.toMinutes - tier.fromMinutes : tier.fromMinutes - (previous?.fromMinutes ?? 0);
    return { responder: tier.responder, fromMinutes: tier.fromMinutes, escalationDelayInMinutes: delay };
  });
}

/** The PagerDuty service and escalation policy of a stack. */
export const pagerDutyServiceName = (stack: string): string => `AsyncProcessing ${stack}`;
export const escalationPolicyName = (stack: string): string => `AsyncProcessing ${stack} escalation`;

/** The Incident Manager response plan (optional incident record, no engagements). */
export const responsePlanName = (stack: string): string => `AsyncProcessing-${stack}-critical`;

/** Incident Manager impact 1 is "critical": the guide's 重要度 高. */
export const CRITICAL_IMPACT = 1;
