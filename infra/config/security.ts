/**
 * The security-incident contacts of a stack (連絡先: security team, emergency number, Slack
 * channel), in `Pulumi.<stack>.yaml` under `async-ai-pipeline:security`. Unset, they are the
 * guide's placeholders (guide/operations.ts SECURITY_CONTACTS), which the runbook marks as such.
 * They are the team's addresses, not a person's: a personal number belongs in the stack's ESC
 * environment (`pulumiConfig`), never in the committed file.
 */
import * as pulumi from '@pulumi/pulumi';
import { SECURITY_CONTACTS } from '../../guide';
import type { StackContacts } from '../../observability/runbook-procedures';
import { PROJECT, Reader, StackConfigError } from './reader';

/** The runbook's shape of them (observability/runbook-procedures.ts). */
export type SecurityContacts = StackContacts;

/** The keys, and the `pulumi config set` that sets each. */
export const SECURITY_CONTACT_KEYS = ['email', 'phone', 'slackChannel'] as const satisfies readonly (keyof SecurityContacts)[];
export const setContactCommand = (key: keyof SecurityContacts, value = '<value>'): string =>
  `pulumi config set --path security.${key} ${value}`;

const CHECKS: Record<keyof SecurityContacts, { pattern: RegExp; what: string; example: string }> = {
  email: { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, what: 'an e-mail address', example: 'security@corp.example' },
  phone: {
    pattern: new RegExp(`^(\\+[1-9]\\d{6,14}|${SECURITY_CONTACTS.phone.replace(/[+]/g, '\\+')})$`),
    what: 'a phone number in E.164 form (+81…)',
    example: '+81300000000',
  },
  slackChannel: {
    pattern: /^#[a-z0-9][a-z0-9_-]{0,79}$/,
    what: 'a Slack channel name such as #security-incidents',
    example: "'#security-incidents'",
  },
};

export function parseSecurityContacts(raw: Readonly<Record<string, unknown>>): SecurityContacts {
  const r = new Reader(raw);
  const read = (key: keyof SecurityContacts) =>
    r.get(`security.${key}`) === undefined ? SECURITY_CONTACTS[key] : r.string(`security.${key}`, CHECKS[key].example, CHECKS[key]);
  const contacts = { email: read('email'), phone: read('phone'), slackChannel: read('slackChannel') };
  if (r.problems.length > 0) throw new StackConfigError(r.problems);
  return contacts;
}

/** Which contacts are still the guide's placeholders (the runbook and the preflight say so). */
export const placeholderContacts = (c: SecurityContacts): (keyof SecurityContacts)[] =>
  SECURITY_CONTACT_KEYS.filter((k) => c[k] === SECURITY_CONTACTS[k]);

export function readSecurityContacts(): SecurityContacts {
  const raw = new pulumi.Config(PROJECT).getObject<unknown>('security');
  return parseSecurityContacts(raw === undefined ? {} : { [`${PROJECT}:security`]: raw });
}
