/**
 * Alerting config of a stack. Plain settings live in `Pulumi.<stack>.yaml` under
 * `async-ai-pipeline:alerting`; what must not be committed (the PagerDuty integration URL, the
 * Slack ids, the escalation contacts' addresses) are secrets set with `pulumi config set --secret`.
 * `parseAlertingSettings` and `parseEscalationAddresses` are pure and unit-tested.
 */
import * as pulumi from '@pulumi/pulumi';
import { ESCALATION, NOTIFICATIONS } from '../../guide';
import { StackConfigError, PROJECT, Reader } from './reader';
import type { SECRET_KEYS } from '../../observability/alert-routing';
import type { Responder } from '../../observability/escalation-stages';

export interface AlertingSettings {
  /** @default the guide's ops-team@example.com (a placeholder: set the real list's address). */
  readonly email: string;
  /** Where the runbook is read; alarm descriptions link to `<runbookUrl>#<section>`. @default docs/runbook.md */
  readonly runbookUrl: string;
  /** AWS Chatbot's API answers in a few regions only; the configuration itself is global. @default us-west-2 */
  readonly chatbotRegion: string;
  /** Incident Manager needs one replication set per account; false when another stack owns it. @default true */
  readonly createReplicationSet: boolean;
}

export interface AlertingSecrets {
  readonly pagerDutyIntegrationUrl: pulumi.Output<string>;
  readonly slackWorkspaceId: pulumi.Output<string>;
  readonly slackChannelId: pulumi.Output<string>;
  /** Each escalation tier's address: e-mail for the on-call (Slack and PagerDuty come from SNS), phone for the others. */
  readonly escalationAddresses: pulumi.Output<Record<Responder, string>>;
}


/**
 * Stand-ins for the secrets where nothing is deployed (`npm run plan`, tests under mocks): valid in
 * form, useless in AWS. A runner without the stack's secrets passes them as config overrides.
 */
export const OFFLINE_SECRETS: Readonly<Record<`${typeof PROJECT}:${(typeof SECRET_KEYS)[number]}`, string>> = {
  [`${PROJECT}:pagerDutyIntegrationUrl`]: 'https://events.pagerduty.com/integration/offline0placeholder/enqueue',
  [`${PROJECT}:slackWorkspaceId`]: 'T0OFFLINE',
  [`${PROJECT}:slackChannelId`]: 'C0OFFLINE',
  [`${PROJECT}:escalationAddresses`]: JSON.stringify({ 'on-call': 'oncall@example.com', 'team-lead': '+819000000001', manager: '+819000000002' }),
};

const EMAIL = { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, what: 'an e-mail address' };
const REGION = { pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, what: 'an AWS region' };
const PAGERDUTY = /^https:\/\/events\.(eu\.)?pagerduty\.com\/integration\/[A-Za-z0-9]+\/enqueue$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export function parseAlertingSettings(raw: Readonly<Record<string, unknown>>): AlertingSettings {
  const r = new Reader(raw);
  const optional = (path: string, fallback: string, check?: { pattern: RegExp; what: string }) =>
    r.get(path) === undefined ? fallback : r.string(path, fallback, check);
  const settings: AlertingSettings = {
    email: optional('alerting.email', NOTIFICATIONS.email, EMAIL),
    runbookUrl: optional('alerting.runbookUrl', 'docs/runbook.md'),
    chatbotRegion: optional('alerting.chatbotRegion', 'us-west-2', REGION),
    createReplicationSet: r.boolean('alerting.createReplicationSet', true),
  };
  if (r.problems.length > 0) throw new StackConfigError(r.problems);
  return settings;
}

/** The channel Incident Manager engages a tier by: the guide's 電話 is a voice call. */
export const channelTypeOf = (responder: Responder): 'EMAIL' | 'VOICE' => {
  const tier = ESCALATION.find((t) => t.responder === responder)!;
  return (tier.channels as readonly string[]).includes('phone') ? 'VOICE' : 'EMAIL';
};

export function parseEscalationAddresses(raw: unknown): Record<Responder, string> {
  const problems: string[] = [];
  const value = typeof raw === 'string' ? safeJson(raw) : raw;
  const out = {} as Record<Responder, string>;
  for (const { responder } of ESCALATION) {
    const address = (value as Record<string, unknown> | undefined)?.[responder];
    const type = channelTypeOf(responder);
    const ok = typeof address === 'string' && (type === 'VOICE' ? E164.test(address) : EMAIL.pattern.test(address));
    if (!ok) problems.push(`${PROJECT}:escalationAddresses.${responder} must be ${type === 'VOICE' ? 'a phone number in E.164 form (+81…)' : 'an e-mail address'}. Fix: pulumi config set --secret --path escalationAddresses.${responder} <address>`);
    else out[responder] = address;
  }
  if (problems.length > 0) throw new StackConfigError(problems);
  return out;
}

export function checkPagerDutyUrl(url: string): string {
  if (!PAGERDUTY.test(url)) {
    throw new StackConfigError([`${PROJECT}:pagerDutyIntegrationUrl must be a PagerDuty CloudWatch integration URL (https://events.pagerduty.com/integration/<key>/enqueue). Fix: pulumi config set --secret pagerDutyIntegrationUrl <url>`]);
  }
  return url;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

export function readAlertingSettings(): AlertingSettings {
  const raw = new pulumi.Config(PROJECT).getObject<unknown>('alerting');
  return parseAlertingSettings(raw === undefined ? {} : { [`${PROJECT}:alerting`]: raw });
}

/** Secrets stay secret: they are validated inside the Output, never printed. */
export function readAlertingSecrets(): AlertingSecrets {
  const cfg = new pulumi.Config(PROJECT);
  return {
    pagerDutyIntegrationUrl: cfg.requireSecret('pagerDutyIntegrationUrl').apply(checkPagerDutyUrl),
    slackWorkspaceId: cfg.requireSecret('slackWorkspaceId'),
    slackChannelId: cfg.requireSecret('slackChannelId'),
    escalationAddresses: cfg.requireSecret('escalationAddresses').apply(parseEscalationAddresses),
  };
}
