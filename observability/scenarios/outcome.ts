/**
 * Judging a scenario: the stack's alarms (the evaluator's definitions of the offline run) over the
 * samples the run produced, then what the notifications did: which alarms fired, how many Slack
 * and e-mail notifications went out, and the pages and escalations PagerDuty made of the critical
 * topic's (pagerduty.ts). Pure: the runner supplies alarms and samples.
 */
import { replay, type AlarmDefinition, type MetricSample } from '../evaluator';
import { escalationTimeline, modelPagerDuty, type Incident } from './pagerduty';
import type { Scenario } from './scenarios';

export interface JudgeInput {
  readonly scenario: Scenario;
  /** The alarms the runtime can feed (the stack's, without the AWS-only ones). */
  readonly alarms: readonly AlarmDefinition[];
  readonly samples: readonly MetricSample[];
  readonly region: string;
  readonly accountId: string;
  /** ARNs of the topics: the critical one reaches PagerDuty; every topic reaches Slack and e-mail. */
  readonly topics: { readonly critical: string; readonly others: readonly string[] };
  /** The alarm name prefix of the stack (`AsyncProcessing-prod-`), to show ids. */
  readonly prefix: string;
  readonly from: number;
  readonly to: number;
}

export interface ScenarioPage {
  readonly incident: string;
  readonly openedAtMinute: number;
  readonly resolvedAtMinute?: number;
  readonly escalatedTo: readonly string[];
  readonly timeline: string;
}

export interface ScenarioOutcome {
  readonly id: string;
  /** Minutes played, and the compression they played at (set by the runner). */
  readonly minutes?: number;
  readonly timeScale?: number;
  readonly title: string;
  readonly critical: boolean;
  /** Alarm ids that went to ALARM, in the order they first did, with the minute. */
  readonly fired: readonly { readonly id: string; readonly minute: number }[];
  /** Every state change of the alarms that fired: `12 ALARM`, `20 OK` (minutes). */
  readonly timelines: Readonly<Record<string, readonly string[]>>;
  readonly pages: readonly ScenarioPage[];
  /** Slack / e-mail notifications on ALARM (each topic reaches both) and on recovery. */
  readonly notifications: { readonly alarm: number; readonly ok: number };
  readonly problems: readonly string[];
  readonly passed: boolean;
}

const MINUTE = 60_000;
/** An alarm back in ALARM this soon after it recovered is flapping. */
export const FLAP_MINUTES = 15;

/** `['8 ALARM', '24 OK', '25 ALARM']`: back in ALARM within FLAP_MINUTES of an OK. */
function flaps(changes: readonly string[]): boolean {
  let okAt: number | undefined;
  for (const c of changes) {
    const [minute, state] = c.split(' ') as [string, string];
    if (state === 'OK') okAt = Number(minute);
    else if (state === 'ALARM' && okAt !== undefined && Number(minute) - okAt < FLAP_MINUTES) return true;
  }
  return false;
}

export function judge(input: JudgeInput): ScenarioOutcome {
  const { scenario, prefix } = input;
  const result = replay(input.alarms, input.samples, { from: input.from, to: input.to, region: input.region, accountId: input.accountId });
  const idOf = (name: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const minuteOf = (at: number) => Math.round((at - input.from) / MINUTE);

  const fired: { id: string; minute: number }[] = [];
  for (const t of result.transitions) {
    if (t.to === 'ALARM' && !fired.some((f) => f.id === idOf(t.alarmName))) fired.push({ id: idOf(t.alarmName), minute: minuteOf(t.at) });
  }
  const timelines: Record<string, string[]> = {};
  for (const t of result.transitions) {
    const id = idOf(t.alarmName);
    if (!fired.some((f) => f.id === id) || (t.to === 'OK' && !timelines[id])) continue;
    timelines[id] = [...(timelines[id] ?? []), `${minuteOf(t.at)} ${t.to}`];
  }
  const topicArns = new Set([input.topics.critical, ...input.topics.others]);
  const delivered = result.actions.filter((a) => topicArns.has(a.arn));
  // Recoveries: OK after an ALARM (every alarm also notifies OK once when it is created).
  const alarmed = new Set<string>();
  let recoveries = 0;
  for (const a of [...delivered].sort((x, y) => x.at - y.at)) {
    if (a.state === 'ALARM') alarmed.add(a.alarmName);
    else if (a.state === 'OK' && alarmed.has(a.alarmName)) recoveries++;
  }
  const notifications = { alarm: delivered.filter((a) => a.state === 'ALARM').length, ok: recoveries };
  const incidents = modelPagerDuty(
    result.actions.filter((a) => a.arn === input.topics.critical).map((a) => ({ at: a.at, alarmName: a.alarmName, state: a.state })),
    { until: input.to, acknowledgeAfterMinutes: scenario.expect.acknowledgeAfterMinutes },
  );
  const pages = incidents.map((i: Incident) => ({
    incident: idOf(i.alarmName),
    openedAtMinute: minuteOf(i.openedAt),
    resolvedAtMinute: i.resolvedAt === undefined ? undefined : minuteOf(i.resolvedAt),
    escalatedTo: i.events.flatMap((e) => (e.type === 'notified' ? [e.responder] : [])),
    timeline: escalationTimeline(i),
  }));

  const problems: string[] = [];
  const expected = new Set(scenario.expect.fires);
  const got = new Set(fired.map((f) => f.id));
  const missing = [...expected].filter((id) => !got.has(id));
  const extra = [...got].filter((id) => !expected.has(id));
  if (missing.length) problems.push(`did not fire: ${missing.join(', ')}`);
  if (extra.length) problems.push(`fired but must not: ${extra.join(', ')}`);
  const pageIds = pages.map((p) => `${p.incident} → ${p.escalatedTo.join(', ')}`);
  const expectedPages = scenario.expect.pages.map((p) => `incident-${p.incident} → ${p.escalatesTo.join(', ')}`);
  if (JSON.stringify(pageIds) !== JSON.stringify(expectedPages))
    problems.push(`pages ${JSON.stringify(pageIds)}, expected ${JSON.stringify(expectedPages)}`);
  // No flapping: an alarm that recovered does not fire again within FLAP_MINUTES (a later, separate event may).
  const flapped = Object.entries(timelines)
    .filter(([, changes]) => flaps(changes))
    .map(([id, c]) => `${id} (${c.join(', ')})`);
  if (flapped.length) problems.push(`flapped: ${flapped.join('; ')}`);
  return {
    id: scenario.id,
    title: scenario.title,
    critical: scenario.critical,
    fired,
    timelines,
    pages,
    notifications,
    problems,
    passed: problems.length === 0,
  };
}
