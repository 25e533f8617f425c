/**
 * Alerting config of a stack. Plain settings live in `Pulumi.<stack>.yaml` under
 * `async-ai-pipeline:alerting` and `async-ai-pipeline:pagerDuty`; what must not be committed (the
 * Slack ids, the PagerDuty API token) are secrets set with `pulumi config set --secret`.
 *
 * Prod must say where alerts go and where the runbook is: a real e-mail list and an https runbook
 * base URL (an alarm read at 3 a.m. links there). Dev and offline runs (`npm run plan`, policies,
 * tests, generators) may use the placeholders below. `parseAlertingSettings` is pure and unit-tested.
 */
import * as pulumi from '@pulumi/pulumi';
import { ESCALATION, NOTIFICATIONS } from '../../guide';
import { StackConfigError, PROJECT, Reader } from './reader';
import { rawConfigOf } from './stack';
import { PAGERDUTY_TOKEN_KEY, type SECRET_KEYS } from '../../observability/alert-routing';
import type { Responder } from '../../observability/escalation-stages';

/** Who PagerDuty engages at a level of the escalation policy: a user, or a schedule (the on-call rotation). */
export interface EscalationTarget {
  readonly type: 'user' | 'schedule';
  /** PagerDuty's id, e.g. `PABC123`. */
  readonly id: string;
}

export interface AlertingSettings {
  /** The team's alert list; in prod required and not a placeholder. @default (dev) the guide's ops-team@example.com */
  readonly email: string;
  /** Where the runbook is read, absolute https; alarm descriptions link to `<runbookUrl>#<section>`. @default (dev) a placeholder URL */
  readonly runbookUrl: string;
  /** AWS Chatbot's API answers in a few regions only; the configuration itself is global. @default us-west-2 */
  readonly chatbotRegion: string;
  readonly pagerDuty: {
    /** The guide's escalation levels (エスカレーション), each a PagerDuty user or schedule. */
    readonly escalation: Readonly<Record<Responder, EscalationTarget>>;
    /** The PagerDuty service region of the account (its events endpoint). @default us */
    readonly serviceRegion: 'us' | 'eu';
  };
  /**
   * AWS Systems Manager Incident Manager as an incident record only (a response plan without
   * engagements: PagerDuty alone escalates). Closed to new customers since 7 November 2025, so off
   * by default: on an account without it, `pulumi up` would fail. @default false
   */
  readonly incidentManager: { readonly enabled: boolean; readonly createReplicationSet: boolean };
}

export interface AlertingSecrets {
  readonly slackWorkspaceId: pulumi.Output<string>;
  readonly slackChannelId: pulumi.Output<string>;
}

/** What the committed files and offline runs use where a stack has not set its own value. */
export const PLACEHOLDERS = {
  email: NOTIFICATIONS.email,
  runbookUrl: 'https://github.com/example/async-ai-pipeline/blob/main/docs/runbook.md',
  escalation: {
    'on-call': { type: 'schedule', id: 'PONCALL' },
    'team-lead': { type: 'user', id: 'PTEAMLD' },
    manager: { type: 'user', id: 'PMANAGR' },
  } satisfies Record<Responder, EscalationTarget>,
} as const;

/** Config key an offline runner sets: placeholders are fine, nothing is deployed. */
export const OFFLINE_KEY = `${PROJECT}:offlinePlaceholders`;

/**
 * Stand-ins for the secrets where nothing is deployed (`npm run plan`, tests under mocks): valid in
 * form, useless in AWS. A runner without the stack's secrets passes them as config overrides.
 */
export const OFFLINE_SECRETS: Readonly<Record<string, string>> = {
  [`${PROJECT}:slackWorkspaceId`]: 'T0OFFLINE',
  [`${PROJECT}:slackChannelId`]: 'C0OFFLINE',
  [PAGERDUTY_TOKEN_KEY]: 'offline-placeholder-token',
} satisfies Record<`${typeof PROJECT}:${(typeof SECRET_KEYS)[number]}` | typeof PAGERDUTY_TOKEN_KEY, string>;

/** Everything an offline run adds to a stack's config: the secrets' stand-ins and the placeholder marker. */
export const OFFLINE_CONFIG: Readonly<Record<string, string>> = { ...OFFLINE_SECRETS, [OFFLINE_KEY]: 'true' };

const EMAIL = { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, what: 'an e-mail address' };
const REGION = { pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, what: 'an AWS region' };
const HTTPS = { pattern: /^https:\/\/[^\s/]+\.[^\s/]+(\/[^\s#]*)?$/, what: 'an absolute https:// URL without a #fragment' };
const TARGET = /^(user|schedule):(P[A-Z0-9]{6})$/;
/** Domains reserved for documentation and tests (RFC 2606, RFC 6761): never a real recipient or runbook. */
const RESERVED = /(^|[@.])(example\.(com|net|org)|[^.]+\.(example|invalid|test|localhost))$/i;
const hostOf = (url: string): string => url.replace(/^https:\/\//, '').split('/')[0]!;

export interface ParseOptions {
  /** Placeholders allowed: dev, and runs that deploy nothing. */
  readonly placeholders: boolean;
}

function escalationTargets(r: Reader, placeholders: boolean): Record<Responder, EscalationTarget> {
  const out = {} as Record<Responder, EscalationTarget>;
  for (const { responder } of ESCALATION) {
    const path = `pagerDuty.escalation.${responder}`;
    const example = responder === 'on-call' ? 'schedule:PABC123' : 'user:PDEF456';
    const v = r.get(path);
    if (v === undefined && placeholders) {
      out[responder] = PLACEHOLDERS.escalation[responder];
      continue;
    }
    const m = typeof v === 'string' ? TARGET.exec(v) : null;
    if (!m) {
      r.fail(
        path,
        v === undefined
          ? 'is not set (the PagerDuty user or schedule of this escalation level, as user:<id> or schedule:<id>)'
          : `must be user:<id> or schedule:<id> with a PagerDuty id, got ${JSON.stringify(v)}`,
        example,
      );
      continue;
    }
    const target = { type: m[1] as EscalationTarget['type'], id: m[2]! };
    if (!placeholders && target.id === PLACEHOLDERS.escalation[responder].id)
      r.fail(path, 'is the placeholder; set the real PagerDuty id', example);
    out[responder] = target;
  }
  return out;
}

export function parseAlertingSettings(raw: Readonly<Record<string, unknown>>, opts: ParseOptions): AlertingSettings {
  const r = new Reader(raw);
  const required = (path: string, placeholder: string, check: { pattern: RegExp; what: string }, real: (v: string) => boolean) => {
    if (r.get(path) === undefined && opts.placeholders) return placeholder;
    const v = r.string(
      path,
      placeholder === PLACEHOLDERS.email
        ? 'alerts@your-company.com'
        : 'https://github.com/<org>/async-ai-pipeline/blob/main/docs/runbook.md',
      check,
    );
    if (v && check.pattern.test(v) && !opts.placeholders && !real(v)) {
      r.fail(
        path,
        `is a placeholder (${JSON.stringify(v)}): prod alerts must reach the team`,
        placeholder === PLACEHOLDERS.email
          ? 'alerts@your-company.com'
          : 'https://github.com/<org>/async-ai-pipeline/blob/main/docs/runbook.md',
      );
    }
    return v;
  };
  const settings: AlertingSettings = {
    email: required('alerting.email', PLACEHOLDERS.email, EMAIL, (v) => !RESERVED.test(v.split('@')[1] ?? '')),
    runbookUrl: required(
      'alerting.runbookUrl',
      PLACEHOLDERS.runbookUrl,
      HTTPS,
      (v) => !RESERVED.test(hostOf(v)) && !v.includes('/example/'),
    ),
    chatbotRegion: r.get('alerting.chatbotRegion') === undefined ? 'us-west-2' : r.string('alerting.chatbotRegion', 'us-west-2', REGION),
    pagerDuty: {
      escalation: escalationTargets(r, opts.placeholders),
      serviceRegion: r.oneOf('pagerDuty.serviceRegion', ['us', 'eu'] as const, 'us'),
    },
    incidentManager: {
      enabled: r.boolean('alerting.incidentManager.enabled', false),
      createReplicationSet: r.boolean('alerting.incidentManager.createReplicationSet', true),
    },
  };
  if (r.problems.length > 0) throw new StackConfigError(r.problems);
  return settings;
}

/** Placeholders are allowed in dev, and in any run that says it deploys nothing. */
export function placeholdersAllowed(raw: Readonly<Record<string, unknown>>): boolean {
  return raw[`${PROJECT}:stage`] !== 'prod' || raw[OFFLINE_KEY] === true || raw[OFFLINE_KEY] === 'true';
}

export function readAlertingSettings(): AlertingSettings {
  const raw = rawConfigOf([[PROJECT, ['alerting', 'pagerDuty', 'stage', 'offlinePlaceholders']]]);
  return parseAlertingSettings(raw, { placeholders: placeholdersAllowed(raw) });
}

/** Secrets stay secret: they are read as Outputs, never printed. */
export function readAlertingSecrets(): AlertingSecrets {
  const cfg = new pulumi.Config(PROJECT);
  return {
    slackWorkspaceId: cfg.requireSecret('slackWorkspaceId'),
    slackChannelId: cfg.requireSecret('slackChannelId'),
  };
}
