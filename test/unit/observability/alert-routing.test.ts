/** Escalation rules, the PagerDuty endpoint and the alert topics' policies: pure, no Pulumi. */
import { ESCALATION } from '../../../guide';
import { alertKeyPolicy, alertTopicPolicy, pagerDutyIntegrationUrl } from '../../../observability/alert-routing';
import { escalationRules } from '../../../observability/escalation-stages';

describe('escalationRules', () => {
  it('engages the on-call at once, the team lead after 30 unacknowledged minutes, the manager after 60', () => {
    const rules = escalationRules();
    expect(rules.map((r) => [r.responder, r.fromMinutes])).toEqual(ESCALATION.map((t) => [t.responder, t.fromMinutes]));
    // Each level hands over when the next one's time in the guide starts.
    const handover = rules.slice(0, -1).map((r) => r.fromMinutes + r.escalationDelayInMinutes);
    expect(handover).toEqual(ESCALATION.slice(1).map((t) => t.fromMinutes));
    // The last level has no successor; PagerDuty wants a delay anyway: the one before it.
    expect(rules[rules.length - 1]!.escalationDelayInMinutes).toBe(rules[rules.length - 2]!.escalationDelayInMinutes);
  });
});

describe('pagerDutyIntegrationUrl', () => {
  it('is the CloudWatch integration endpoint of the key, in the account’s service region', () => {
    expect(pagerDutyIntegrationUrl('abc123')).toBe('https://events.pagerduty.com/integration/abc123/enqueue');
    expect(pagerDutyIntegrationUrl('abc123', 'eu')).toBe('https://events.eu.pagerduty.com/integration/abc123/enqueue');
  });
});

describe('alert topic policies', () => {
  it('lets CloudWatch and Budgets use the key, or their alerts to the encrypted topics are lost', () => {
    const statement = alertKeyPolicy('111122223333').Statement.find((s) => s.Sid === 'PublishersEncryptAlerts')!;
    expect(statement.Principal).toEqual({ Service: ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com'] });
    expect(statement.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  it('lets only this account’s alarms and budgets publish', () => {
    const [statement] = alertTopicPolicy('arn:aws:sns:ap-northeast-1:111122223333:t', '111122223333').Statement;
    expect(statement).toMatchObject({
      Action: 'sns:Publish',
      Resource: 'arn:aws:sns:ap-northeast-1:111122223333:t',
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    });
  });
});
