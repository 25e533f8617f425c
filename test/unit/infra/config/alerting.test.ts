/** Alerting config, escalation stages and topic policies: pure, no Pulumi. */
import { ESCALATION, NOTIFICATIONS } from '../../../../guide';
import { StackConfigError } from '../../../../infra/config/reader';
import {
  channelTypeOf, checkPagerDutyUrl, parseAlertingSettings, parseEscalationAddresses,
} from '../../../../infra/config/alerting';
import { escalationStages } from '../../../../infra/observability/plan/escalation';
import { alertKeyPolicy, alertTopicPolicy } from '../../../../infra/observability/plan/policies';

const ALERTING = 'async-ai-pipeline:alerting';
const ADDRESSES = { 'on-call': 'oncall@example.com', 'team-lead': '+819012345678', manager: '+819087654321' };

describe('parseAlertingSettings', () => {
  it('defaults to the guide’s address, the repository runbook, us-west-2 for Chatbot and a replication set', () => {
    expect(parseAlertingSettings({})).toEqual({
      email: NOTIFICATIONS.email, runbookUrl: 'docs/runbook.md', chatbotRegion: 'us-west-2', createReplicationSet: true,
    });
  });

  it('reads the stack’s own values', () => {
    const raw = { [ALERTING]: { email: 'oncall-list@corp.example', runbookUrl: 'https://git.example/runbook.md', chatbotRegion: 'eu-west-1', createReplicationSet: false } };
    expect(parseAlertingSettings(raw)).toEqual({ email: 'oncall-list@corp.example', runbookUrl: 'https://git.example/runbook.md', chatbotRegion: 'eu-west-1', createReplicationSet: false });
  });

  it('names the setting and the fix when a value is wrong', () => {
    expect(() => parseAlertingSettings({ [ALERTING]: { email: 'not-an-address' } })).toThrow(
      'async-ai-pipeline:alerting.email must be an e-mail address, got "not-an-address". Fix: pulumi config set --path alerting.email ops-team@example.com',
    );
  });
});

describe('parseEscalationAddresses', () => {
  it('takes an e-mail for the on-call and phone numbers for the tiers the guide reaches by phone', () => {
    expect(parseEscalationAddresses(JSON.stringify(ADDRESSES))).toEqual(ADDRESSES);
    expect(ESCALATION.map((t) => channelTypeOf(t.responder))).toEqual(['EMAIL', 'VOICE', 'VOICE']);
  });

  it('refuses a missing or malformed address, telling how to set it as a secret', () => {
    const attempt = () => parseEscalationAddresses({ 'on-call': 'oncall@example.com', 'team-lead': '090-1234-5678' });
    expect(attempt).toThrow(StackConfigError);
    expect(attempt).toThrow('escalationAddresses.team-lead must be a phone number in E.164 form (+81…). Fix: pulumi config set --secret --path escalationAddresses.team-lead <address>');
    expect(attempt).toThrow('escalationAddresses.manager must be');
  });
});

describe('checkPagerDutyUrl', () => {
  it('accepts a PagerDuty CloudWatch integration URL and refuses anything else', () => {
    expect(checkPagerDutyUrl('https://events.pagerduty.com/integration/abc123/enqueue')).toBe('https://events.pagerduty.com/integration/abc123/enqueue');
    expect(() => checkPagerDutyUrl('http://events.pagerduty.com/integration/abc123/enqueue')).toThrow('pagerDutyIntegrationUrl must be a PagerDuty CloudWatch integration URL');
  });
});

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
