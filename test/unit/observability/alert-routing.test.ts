/** Escalation stages and the alert topics' policies: pure, no Pulumi. */
import { ESCALATION } from '../../../guide';
import { alertKeyPolicy, alertTopicPolicy } from '../../../observability/alert-routing';
import { escalationStages } from '../../../observability/escalation-stages';

describe('escalationStages', () => {
  it('engages each tier of the guide for its time, the last one until someone acknowledges', () => {
    // A tier lasts until the next one starts; the last has no successor (0: no end).
    const untilNext = ESCALATION.map((t, i) => (ESCALATION[i + 1] ? ESCALATION[i + 1]!.fromMinutes - t.fromMinutes : 0));
    expect(escalationStages()).toEqual(ESCALATION.map((t, i) => ({ responder: t.responder, durationInMinutes: untilNext[i] })));
    expect(escalationStages().map((s) => s.responder)).toEqual(['on-call', 'team-lead', 'manager']);
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
    expect(statement).toMatchObject({ Action: 'sns:Publish', Resource: 'arn:aws:sns:ap-northeast-1:111122223333:t', Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } });
  });
});
