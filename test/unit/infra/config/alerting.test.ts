/** Alerting config: pure, no Pulumi. */
import { ESCALATION, NOTIFICATIONS } from '../../../../guide';
import { StackConfigError } from '../../../../infra/config/reader';
import { PLACEHOLDERS, parseAlertingSettings, placeholdersAllowed } from '../../../../infra/config/alerting';

const ALERTING = 'async-ai-pipeline:alerting';
const PAGERDUTY = 'async-ai-pipeline:pagerDuty';
const REAL = {
  [ALERTING]: {
    email: 'oncall-list@corp.co.jp',
    runbookUrl: 'https://git.corp.co.jp/platform/async-ai-pipeline/blob/main/docs/runbook.md',
  },
  [PAGERDUTY]: { escalation: { 'on-call': 'schedule:PABC123', 'team-lead': 'user:PDEF456', manager: 'user:PGHI789' } },
};
const prod = { placeholders: false };
const dev = { placeholders: true };

describe('parseAlertingSettings', () => {
  it('fills the placeholders where they are allowed (dev, offline runs): the guide’s address, an absolute runbook URL, placeholder PagerDuty ids', () => {
    expect(parseAlertingSettings({}, dev)).toEqual({
      email: NOTIFICATIONS.email,
      runbookUrl: PLACEHOLDERS.runbookUrl,
      chatbotRegion: 'us-west-2',
      pagerDuty: { escalation: PLACEHOLDERS.escalation, serviceRegion: 'us' },
      incidentManager: { enabled: false, createReplicationSet: true },
    });
    expect(PLACEHOLDERS.runbookUrl).toMatch(/^https:\/\//);
  });

  it('reads the stack’s own values: an escalation level is a PagerDuty user or schedule', () => {
    const settings = parseAlertingSettings(REAL, prod);
    expect(settings.email).toBe('oncall-list@corp.co.jp');
    expect(settings.pagerDuty.escalation).toEqual({
      'on-call': { type: 'schedule', id: 'PABC123' },
      'team-lead': { type: 'user', id: 'PDEF456' },
      manager: { type: 'user', id: 'PGHI789' },
    });
    expect(Object.keys(settings.pagerDuty.escalation)).toEqual(ESCALATION.map((t) => t.responder));
  });

  it('requires a real e-mail and an https runbook base URL in prod, naming the key and the fix', () => {
    const attempt = () => parseAlertingSettings({ [PAGERDUTY]: REAL[PAGERDUTY] }, prod);
    expect(attempt).toThrow(StackConfigError);
    expect(attempt).toThrow(
      'async-ai-pipeline:alerting.email is not set. Fix: pulumi config set --path alerting.email alerts@your-company.com',
    );
    expect(attempt).toThrow('async-ai-pipeline:alerting.runbookUrl is not set. Fix: pulumi config set --path alerting.runbookUrl https://');
  });

  it.each([
    ['alerting.email', { email: NOTIFICATIONS.email }, 'is a placeholder ("ops-team@example.com")'],
    ['alerting.email', { email: 'ops@team.test' }, 'is a placeholder'],
    [
      'alerting.runbookUrl',
      { runbookUrl: 'docs/runbook.md' },
      'must be an absolute https:// URL without a #fragment, got "docs/runbook.md"',
    ],
    ['alerting.runbookUrl', { runbookUrl: 'http://git.corp.co.jp/runbook.md' }, 'must be an absolute https:// URL'],
    ['alerting.runbookUrl', { runbookUrl: PLACEHOLDERS.runbookUrl }, 'is a placeholder'],
  ])('refuses %s %j in prod', (key, alerting, message) => {
    const raw = { ...REAL, [ALERTING]: { ...REAL[ALERTING], ...alerting } };
    expect(() => parseAlertingSettings(raw, prod)).toThrow(`async-ai-pipeline:${key} ${message}`);
  });

  it('refuses a relative runbook URL even in dev: a page at 3 a.m. needs a link that opens', () => {
    expect(() => parseAlertingSettings({ [ALERTING]: { runbookUrl: 'docs/runbook.md' } }, dev)).toThrow(
      'alerting.runbookUrl must be an absolute https:// URL',
    );
  });

  it('refuses a malformed or placeholder PagerDuty target in prod', () => {
    const bad = {
      ...REAL,
      [PAGERDUTY]: {
        escalation: { ...REAL[PAGERDUTY].escalation, 'team-lead': 'PDEF456', manager: `user:${PLACEHOLDERS.escalation.manager.id}` },
      },
    };
    const attempt = () => parseAlertingSettings(bad, prod);
    expect(attempt).toThrow(
      'async-ai-pipeline:pagerDuty.escalation.team-lead must be user:<id> or schedule:<id> with a PagerDuty id, got "PDEF456". Fix: pulumi config set --path pagerDuty.escalation.team-lead user:PDEF456',
    );
    expect(attempt).toThrow('pagerDuty.escalation.manager is the placeholder');
  });

  it('names the setting and the fix when a value is wrong', () => {
    expect(() => parseAlertingSettings({ [ALERTING]: { email: 'not-an-address' } }, dev)).toThrow(
      'async-ai-pipeline:alerting.email must be an e-mail address, got "not-an-address". Fix: pulumi config set --path alerting.email alerts@your-company.com',
    );
  });
});

describe('placeholdersAllowed', () => {
  it('allows placeholders in dev and in offline runs of prod, never in a prod deployment', () => {
    expect(placeholdersAllowed({ 'async-ai-pipeline:stage': 'dev' })).toBe(true);
    expect(placeholdersAllowed({ 'async-ai-pipeline:stage': 'prod' })).toBe(false);
    expect(placeholdersAllowed({ 'async-ai-pipeline:stage': 'prod', 'async-ai-pipeline:offlinePlaceholders': 'true' })).toBe(true);
  });
});
