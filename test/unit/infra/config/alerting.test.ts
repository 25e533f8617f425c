/** Alerting config: pure, no Pulumi. */
import { ESCALATION, NOTIFICATIONS } from '../../../../guide';
import { StackConfigError } from '../../../../infra/config/reader';
import {
  channelTypeOf, checkPagerDutyUrl, parseAlertingSettings, parseEscalationAddresses,
} from '../../../../infra/config/alerting';

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
