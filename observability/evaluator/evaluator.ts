/**
 * The alarm evaluator: a clock the caller advances, samples it is fed, and the alarms of a stack
 * evaluated the way CloudWatch evaluates them. Each metric alarm is evaluated every minute (every
 * period for sub-minute periods); composite alarms are evaluated right after, in the same instant,
 * so they follow each child's change at once. Every state change is a `Transition` with CloudWatch's
 * reason text; every action taken is an `ActionInvocation` (ARNs of SNS topics, response plans, …).
 */
import { evaluateRule, ruleAlarms } from './composite/rule';
import { evaluateMetricAlarm } from './engine/metric-alarm';
import { AlarmRegistry, type AlarmRecord } from './engine/registry';
import { compositeReason } from './engine/reason';
import { cadenceOf, firstTickAtOrAfter } from './engine/windows';
import { MetricStore } from './samples/store';
import type { ActionInvocation, AlarmDefinition, AlarmState, AlarmStatus, EvaluatedDatapoint, MetricSample, Transition } from './types';

export interface EvaluatorOptions {
  /** When the alarms are created (in INSUFFICIENT_DATA); the clock starts here. */
  readonly start: number | Date;
  /** For the ARNs of alarms whose definition has none. @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** A sample becomes visible to evaluations this long after its timestamp (CloudWatch ingests with a delay). @default 0 */
  readonly ingestionDelaySeconds?: number;
  /**
   * How many periods an evaluation retrieves (the evaluation range). CloudWatch does not publish
   * the rule; its documented example retrieves 5 for evaluationPeriods 3. @default evaluationPeriods + 2
   */
  readonly evaluationRange?: (alarm: { readonly evaluationPeriods: number; readonly periodSeconds: number }) => number;
}

export interface Step {
  readonly transitions: readonly Transition[];
  readonly actions: readonly ActionInvocation[];
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
const toMs = (t: number | Date): number => (typeof t === 'number' ? t : t.getTime());

export class AlarmEvaluator {
  readonly store = new MetricStore();
  private readonly registry: AlarmRegistry;
  private readonly tickMs: number;
  private readonly delayMs: number;
  private readonly range: NonNullable<EvaluatorOptions['evaluationRange']>;
  private clock: number;
  private nextTick: number;
  private readonly transitionLog: Transition[] = [];
  private readonly actionLog: ActionInvocation[] = [];

  constructor(definitions: readonly AlarmDefinition[], options: EvaluatorOptions) {
    this.clock = toMs(options.start);
    this.registry = new AlarmRegistry(definitions, {
      region: options.region ?? 'us-east-1',
      accountId: options.accountId ?? '123456789012',
      createdAt: this.clock,
    });
    this.tickMs = this.registry.all.reduce((g, r) => (r.metric ? gcd(g, cadenceOf(r.metric.periodSeconds)) : g), 60_000);
    this.nextTick = firstTickAtOrAfter(this.clock, this.tickMs);
    this.delayMs = (options.ingestionDelaySeconds ?? 0) * 1000;
    this.range = options.evaluationRange ?? ((a) => a.evaluationPeriods + 2);
  }

  get now(): number {
    return this.clock;
  }

  /** Feeds samples; they count from the next evaluation on, whatever their timestamp. */
  put(samples: MetricSample | Iterable<MetricSample>): this {
    this.store.put(samples);
    return this;
  }

  /** Runs every evaluation due up to and including `time`. */
  advanceTo(time: number | Date): Step {
    const target = toMs(time);
    if (target < this.clock) throw new Error(`The evaluator's clock only moves forward: it is at ${new Date(this.clock).toISOString()}.`);
    const from = { t: this.transitionLog.length, a: this.actionLog.length };
    while (this.nextTick <= target) {
      this.releaseHeldActions(this.nextTick);
      this.tick(this.nextTick);
      this.nextTick += this.tickMs;
    }
    this.releaseHeldActions(target);
    this.clock = target;
    return { transitions: this.transitionLog.slice(from.t), actions: this.actionLog.slice(from.a) };
  }

  advanceBy(seconds: number): Step {
    return this.advanceTo(this.clock + seconds * 1000);
  }

  /** Like SetAlarmState: the state holds until the next evaluation decides otherwise. */
  setAlarmState(ref: string, state: AlarmState, reason: string): Step {
    const from = { t: this.transitionLog.length, a: this.actionLog.length };
    const record = this.registry.get(ref);
    const changes = record.state !== state;
    if (changes) this.transition(record, state, reason, this.clock);
    this.evaluateComposites(this.clock, new Set(changes ? [record.name] : []));
    return { transitions: this.transitionLog.slice(from.t), actions: this.actionLog.slice(from.a) };
  }

  status(ref: string): AlarmStatus {
    const r = this.registry.get(ref);
    return { name: r.name, arn: r.arn, kind: r.kind, state: r.state, reason: r.reason, since: r.since, evaluatedAt: r.evaluatedAt };
  }

  statuses(): AlarmStatus[] {
    return this.registry.all.map((r) => this.status(r.name));
  }

  /** Every transition so far, oldest first. */
  get transitions(): readonly Transition[] {
    return this.transitionLog;
  }

  /** Every action taken so far, oldest first. */
  get actions(): readonly ActionInvocation[] {
    return this.actionLog;
  }

  private tick(t: number): void {
    const changed = new Set<string>();
    for (const r of this.registry.all) {
      if (!r.metric || t % cadenceOf(r.metric.periodSeconds) !== 0) continue;
      const rangeLength = this.range({ evaluationPeriods: r.metric.evaluationPeriods, periodSeconds: r.metric.periodSeconds });
      const result = evaluateMetricAlarm(r.metric, t, {
        store: this.store,
        rangeLength,
        visibleUntil: this.delayMs ? t - this.delayMs : undefined,
      });
      r.evaluatedAt = t;
      if (result.state && result.state !== r.state) {
        this.transition(r, result.state, result.reason!, t, result.datapoints);
        changed.add(r.name);
      }
    }
    this.evaluateComposites(t, changed);
  }

  /** Composites are evaluated once at creation, then whenever an alarm their rule reads changes state. */
  private evaluateComposites(t: number, changed: Set<string>): void {
    for (const r of this.registry.composites) {
      const rule = r.composite!.rule;
      const children = ruleAlarms(rule);
      const trigger = [...changed].reverse().find((n) => children.includes(n));
      if (r.evaluatedAt !== undefined && trigger === undefined) continue;
      const to: AlarmState = evaluateRule(rule, (name) => this.registry.get(name).state) ? 'ALARM' : 'OK';
      r.evaluatedAt = t;
      if (to === r.state) continue;
      this.transition(r, to, compositeReason(to, t, trigger === undefined ? undefined : this.registry.get(trigger)), t);
      changed.add(r.name);
    }
  }

  private transition(r: AlarmRecord, to: AlarmState, reason: string, at: number, datapoints?: readonly EvaluatedDatapoint[]): void {
    const from = r.state;
    Object.assign(r, { state: to, reason, since: at });
    const configured = r.actions[to];
    let suppressedBy: Transition['actionsSuppressedBy'];
    if (configured.length && !r.actionsEnabled) suppressedBy = 'ActionsDisabled';
    else if (configured.length && r.composite?.suppression) {
      suppressedBy = r.composite.suppression.onTransition(to, at, this.registry.get(r.composite.suppressor!).state);
    }
    const actions = suppressedBy ? [] : configured;
    this.transitionLog.push({
      alarmName: r.name,
      alarmArn: r.arn,
      kind: r.kind,
      at,
      from,
      to,
      reason,
      ...(datapoints ? { evaluatedDatapoints: datapoints } : {}),
      actions,
      ...(suppressedBy ? { actionsSuppressedBy: suppressedBy } : {}),
    });
    this.actionLog.push(...actions.map((arn) => ({ at, alarmName: r.name, state: to, arn, transitionAt: at })));
    for (const c of this.registry.composites) if (c.composite!.suppressor === r.name) c.composite!.suppression!.onSuppressor(to, at);
  }

  /** Composite actions whose wait or extension period ran out by `t`. */
  private releaseHeldActions(t: number): void {
    for (const r of this.registry.composites) {
      const due = r.composite!.suppression?.due(t, r.state);
      if (!due) continue;
      this.actionLog.push(
        ...r.actions[due.state].map((arn) => ({ at: due.at, alarmName: r.name, state: due.state, arn, transitionAt: due.transitionAt })),
      );
    }
  }
}
