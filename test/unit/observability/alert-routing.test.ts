/** Escalation stages and the alert topics' policies: pure, no Pulumi. */
import { alertKeyPolicy, alertTopicPolicy } from '../../../observability/alert-routing';
import { escalationStages } from '../../../observability/escalation-stages';

describe('escalationStages', () => {
  it('engages on-call for 30 minutes, then the team lead for 30, then the manager', () => {
    expect(escalationStages()).toEqual([
      { responder: 'on-call', durationInMinutes: 30 },
      { responder: 'team-lead', durationInMinutes: 30 },
      { responder: 'manager', durationInMinutes: 0 },
    ]);
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
