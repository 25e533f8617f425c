/**
 * Composite alarm action suppression (user guide, "Suppressing composite alarm actions"): while
 * the suppressor alarm is in ALARM the composite takes no actions. When the composite goes to
 * ALARM and the suppressor is not in ALARM, the composite waits up to `waitPeriod` for it to get
 * there (suppressed by WaitPeriod); when the suppressor leaves ALARM, the composite's actions stay
 * suppressed for `extensionPeriod` more. Either way, if the composite is still in the state when
 * the period runs out, it takes that state's actions then.
 */
import type { ActionsSuppressor, AlarmState } from '../types';

export type SuppressedBy = 'Alarm' | 'WaitPeriod' | 'ExtensionPeriod';

interface Held {
  readonly state: AlarmState;
  readonly transitionAt: number;
  /** When the actions go out if nothing changes (undefined while the suppressor is in ALARM). */
  readonly until?: number;
  readonly by: SuppressedBy;
}

export class Suppression {
  private held?: Held;

  constructor(readonly config: ActionsSuppressor) {}

  /** The composite entered `state`: undefined means act now, otherwise why the actions wait. */
  onTransition(state: AlarmState, at: number, suppressorState: AlarmState): SuppressedBy | undefined {
    this.held = undefined;
    if (suppressorState === 'ALARM') this.held = { state, transitionAt: at, by: 'Alarm' };
    else if (state === 'ALARM' && this.config.waitPeriod > 0) {
      this.held = { state, transitionAt: at, until: at + this.config.waitPeriod * 1000, by: 'WaitPeriod' };
    }
    return this.held?.by;
  }

  /** The suppressor changed state. */
  onSuppressor(to: AlarmState, at: number): void {
    if (!this.held) return;
    if (to === 'ALARM') this.held = { ...this.held, until: undefined, by: 'Alarm' };
    else if (this.held.by === 'Alarm') this.held = { ...this.held, until: at + this.config.extensionPeriod * 1000, by: 'ExtensionPeriod' };
  }

  /** The held actions that are due by `now` for a composite still in `current`: their state and time. */
  due(now: number, current: AlarmState): { state: AlarmState; at: number; transitionAt: number } | undefined {
    const h = this.held;
    if (!h || h.until === undefined || h.until > now) return undefined;
    this.held = undefined;
    return h.state === current ? { state: h.state, at: h.until, transitionAt: h.transitionAt } : undefined;
  }

  /** The earliest time held actions may go out. */
  get nextDue(): number | undefined {
    return this.held?.until;
  }

  get suppressedBy(): SuppressedBy | undefined {
    return this.held?.by;
  }
}
