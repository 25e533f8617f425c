/** The PagerDuty model: one incident per alarm while open, escalation at the guide's minutes, ack stops it, OK resolves. */
import { ESCALATION } from '../../../../guide';
import { escalationTimeline, modelPagerDuty } from '../../../../observability/scenarios/pagerduty';

const T = Date.UTC(2026, 0, 5, 3, 0, 0);
const min = (m: number) => T + m * 60_000;
const levels = ESCALATION.map((t) => t.responder);

describe('modelPagerDuty', () => {
  it('opens one incident on the first ALARM, joins repeats to it, and resolves it on OK', () => {
    const [incident, ...rest] = modelPagerDuty(
      [
        { at: min(0), alarmName: 'a', state: 'ALARM' },
        { at: min(3), alarmName: 'a', state: 'ALARM' },
        { at: min(10), alarmName: 'a', state: 'OK' },
      ],
      { until: min(120) },
    );
    expect(rest).toEqual([]);
    expect(incident!.events.map((e) => e.type)).toEqual(['triggered', 'notified', 'deduplicated', 'resolved']);
    expect(escalationTimeline(incident!)).toBe(`0 min ${levels[0]}, 10 min resolved`);
  });

  it('escalates to the team lead at 30 minutes and the manager at 60 while nobody acknowledges', () => {
    const [incident] = modelPagerDuty(
      [
        { at: min(0), alarmName: 'a', state: 'ALARM' },
        { at: min(75), alarmName: 'a', state: 'OK' },
      ],
      { until: min(120) },
    );
    expect(escalationTimeline(incident!)).toBe(`0 min ${levels[0]}, 30 min ${levels[1]}, 60 min ${levels[2]}, 75 min resolved`);
  });

  it('stops escalating once acknowledged', () => {
    const [incident] = modelPagerDuty(
      [
        { at: min(0), alarmName: 'a', state: 'ALARM' },
        { at: min(90), alarmName: 'a', state: 'OK' },
      ],
      { until: min(120), acknowledgeAfterMinutes: 12 },
    );
    expect(escalationTimeline(incident!)).toBe(`0 min ${levels[0]}, 12 min acknowledged, 90 min resolved`);
  });

  it('opens a new incident for an ALARM after the last one resolved, and ignores an OK with none open', () => {
    const incidents = modelPagerDuty(
      [
        { at: min(0), alarmName: 'a', state: 'OK' },
        { at: min(1), alarmName: 'a', state: 'ALARM' },
        { at: min(2), alarmName: 'a', state: 'OK' },
        { at: min(3), alarmName: 'a', state: 'ALARM' },
      ],
      { until: min(10) },
    );
    expect(incidents.map((i) => [i.openedAt, i.resolvedAt])).toEqual([
      [min(1), min(2)],
      [min(3), undefined],
    ]);
  });
});
