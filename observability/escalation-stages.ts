/**
 * The guide's escalation table (エスカレーション) as Incident Manager stages: each tier is engaged
 * when the previous one has had its time without acknowledging.
 */
import { ESCALATION } from '../guide';

export type Responder = (typeof ESCALATION)[number]['responder'];

export interface EscalationStage {
  readonly responder: Responder;
  /** Minutes until the next stage starts; the last stage has none after it. */
  readonly durationInMinutes: number;
}

export function escalationStages(): EscalationStage[] {
  return ESCALATION.map((tier) => ({
    responder: tier.responder,
    durationInMinutes: tier.toMinutes === undefined ? 0 : tier.toMinutes - tier.fromMinutes,
  }));
}

/** Contact aliases are unique per account and may hold [a-z0-9_-] only. */
export const contactAlias = (stack: string, who: Responder | 'escalation'): string => `async-processing-${stack}-${who}`;

export const responsePlanName = (stack: string): string => `AsyncProcessing-${stack}-critical`;

/** Incident Manager impact 1 is "critical": the guide's 重要度 高. */
export const CRITICAL_IMPACT = 1;
