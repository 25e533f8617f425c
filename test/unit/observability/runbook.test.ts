/**
 * The runbook's procedures: each is present, every item of the guide's checklists and phases is in
 * its section, in order, with the guide's numbers, the checks link to the report commands, and the
 * security contacts come from each stack's config (placeholders marked until set).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AUTH,
  BACKUP,
  CHECKLISTS,
  CHECKS,
  DR,
  OPERATOR_CHECKS,
  SECURITY_AUDIT,
  SECURITY_CONTACTS,
  SECURITY_INCIDENT_PHASES,
  type CheckItem,
} from '../../../guide';
import { parseSecurityContacts, placeholderContacts } from '../../../infra/config/security';
import { StackConfigError } from '../../../infra/config/reader';
import { alarmSpecs } from '../../../observability/alarms/catalog';
import { renderRunbook, RUNBOOK_PATH } from '../../../observability/runbook';
import { hhmm, phaseSpan, PROCEDURE_SECTIONS, REPORT_COMMANDS } from '../../../observability/runbook-procedures';
import { reviewResources, ROOT, STACKS } from '../../../tools/review-stacks';

const committed = readFileSync(join(ROOT, RUNBOOK_PATH), 'utf8');
const specs = Object.fromEntries(STACKS.map((s) => [s, alarmSpecs(reviewResources(s))]));

/** The text under a heading, up to the next heading of the same or a higher level. */
function section(doc: string, heading: string): string {
  const lines = doc.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`No heading ${JSON.stringify(heading)} in the runbook`);
  const level = heading.indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The checklist lines of `text`, as the guide items they start with. */
const itemsIn = (text: string): string[] => [...text.matchAll(/^- \[ \] \*\*(.+?)\*\* \((.+?)\):/gm)].map((m) => m[1]!);
const ja = (items: readonly CheckItem[]) => items.map((i) => i.ja);

describe("The runbook's procedures", () => {
  it('lists each procedure at the top, linked to its section', () => {
    for (const anchor of [...Object.values(PROCEDURE_SECTIONS).filter((a) => a !== PROCEDURE_SECTIONS.drTest), 'disaster-recovery']) {
      expect(committed).toMatch(new RegExp(`^- \\[[^\\]]+\\]\\(#${anchor}\\)$`, 'm'));
    }
  });

  it("has the daily checks at the guide's times, each item of the guide in order, linked to the daily report", () => {
    const morning = section(committed, `### Daily, ${hhmm(CHECKS.dailyMorning)} (朝)`);
    const evening = section(committed, `### Daily, ${hhmm(CHECKS.dailyEvening)} (夕方)`);
    expect(itemsIn(morning)).toEqual([...ja(OPERATOR_CHECKS.dailyMorning)]);
    expect(itemsIn(evening)).toEqual([...ja(OPERATOR_CHECKS.dailyEvening), ...ja(SECURITY_AUDIT.daily)]);
    for (const s of [morning, evening]) expect(s).toContain(`\`${REPORT_COMMANDS.daily}\``);
    expect(evening).toContain(`limit ${AUTH.rateLimit.requests} requests per ${AUTH.rateLimit.windowSeconds} s`);
  });

  it('has the weekly and monthly checks with their security audits, linked to their reports', () => {
    const weekly = section(committed, '### Weekly, Monday (月曜日)');
    const monthly = section(committed, `### Monthly, ${CHECKS.monthly} (月初)`);
    expect(itemsIn(weekly)).toEqual([...ja(OPERATOR_CHECKS.weekly), ...ja(SECURITY_AUDIT.weekly)]);
    expect(itemsIn(monthly)).toEqual([...ja(OPERATOR_CHECKS.monthly), ...ja(SECURITY_AUDIT.monthly)]);
    expect(weekly).toContain(`\`${REPORT_COMMANDS.weekly}\``);
    expect(monthly).toContain(`\`${REPORT_COMMANDS.monthly}\``);
  });

  it("has the security-incident procedure: the guide's four phases with their time bounds and tasks", () => {
    const incident = section(committed, '## Security incident');
    SECURITY_INCIDENT_PHASES.forEach((p, i) => {
      const phase = section(incident, `### ${i + 1}. ${p.title} (${p.titleJa}), ${phaseSpan(p)}`);
      expect(itemsIn(phase)).toEqual([...ja(p.tasks)]);
    });
    // Phases follow one another without a gap, the last one open-ended.
    SECURITY_INCIDENT_PHASES.slice(1).forEach((p, i) => expect(p.fromMinutes).toBe(SECURITY_INCIDENT_PHASES[i]!.toMinutes));
    expect(SECURITY_INCIDENT_PHASES.at(-1)!.toMinutes).toBeUndefined();
  });

  it('writes the phase bounds as the guide does: minutes below an hour, hours above, open at the end', () => {
    expect(phaseSpan({ fromMinutes: 0, toMinutes: 10 })).toBe('0–10 min');
    expect(phaseSpan({ fromMinutes: 10, toMinutes: 60 })).toBe('10–60 min');
    expect(phaseSpan({ fromMinutes: 120, toMinutes: 360 })).toBe('2–6 h');
    expect(phaseSpan({ fromMinutes: 360, toMinutes: undefined })).toBe('from 6 h');
  });

  it('has the outage and deploy checklists and the rollback procedure', () => {
    expect(itemsIn(section(committed, '## Outage checklist'))).toEqual([...ja(CHECKLISTS.outage)]);
    expect(itemsIn(section(committed, '## Deploy checklist'))).toEqual([...ja(CHECKLISTS.deploy)]);
    const rollback = section(committed, '## Rollback');
    expect(rollback).toContain('pulumi stack history');
    expect(rollback).toContain('pulumi preview --diff');
    expect(rollback).toMatch(/Migrations only go forward/);
  });

  it("has the DR procedure with the guide's RTO and RPO, and how the monthly test is validated", () => {
    const dr = section(committed, '## Disaster recovery');
    expect(dr).toContain(`**RTO ${BACKUP.rtoHours} h, RPO ${BACKUP.rpoHours} h**`);
    expect(dr).toContain('### Restore the database (the procedure)');
    const validation = section(dr, '### Validating the monthly DR test');
    expect(validation).toContain(`\`${DR.metrics.validationFailed.name}\` is 0`);
    expect(validation).toContain(`\`${DR.metrics.restoreTime.name}\` ≤ ${BACKUP.rtoHours * 3600} s (RTO ${BACKUP.rtoHours} h)`);
    expect(validation).toContain(`\`${DR.metrics.recoveryPointAge.name}\` ≤ ${BACKUP.rpoHours * 3600} s (RPO ${BACKUP.rpoHours} h)`);
    expect(validation).toContain('ValidationStatus');
  });
});

describe('Security-incident contacts', () => {
  const contacts = (doc: string) => section(section(doc, '## Security incident'), '### Contacts (連絡先)');

  it("are the guide's placeholders until a stack sets them, marked so, with the command that sets each", () => {
    const text = contacts(committed);
    for (const stack of STACKS) {
      expect(text).toContain(
        `| ${stack} | ${SECURITY_CONTACTS.email} (placeholder) | ${SECURITY_CONTACTS.phone} (placeholder) | ${SECURITY_CONTACTS.slackChannel} (placeholder) |`,
      );
    }
    for (const key of ['email', 'phone', 'slackChannel']) expect(text).toContain(`pulumi config set --path security.${key} `);
  });

  it("come from each stack's config", () => {
    const prod = parseSecurityContacts({ 'async-ai-pipeline:security': { email: 'sec@corp.example', phone: '+81312345678' } });
    expect(prod).toEqual({ email: 'sec@corp.example', phone: '+81312345678', slackChannel: SECURITY_CONTACTS.slackChannel });
    expect(placeholderContacts(prod)).toEqual(['slackChannel']);
    const text = contacts(renderRunbook(specs, {}, { dev: parseSecurityContacts({}), prod }));
    expect(text).toContain(`| prod | sec@corp.example | +81312345678 | ${SECURITY_CONTACTS.slackChannel} (placeholder) |`);
    expect(text).toContain(`| dev | ${SECURITY_CONTACTS.email} (placeholder) |`);
  });

  it('refuse a malformed value, naming the key and the fix', () => {
    const problems = (security: Record<string, unknown>) => {
      try {
        parseSecurityContacts({ 'async-ai-pipeline:security': security });
        return [];
      } catch (err) {
        if (!(err instanceof StackConfigError)) throw err;
        return err.problems;
      }
    };
    expect(problems({ phone: '03-1234-5678' })).toEqual([
      'async-ai-pipeline:security.phone must be a phone number in E.164 form (+81…), got "03-1234-5678". Fix: pulumi config set --path security.phone +81300000000',
    ]);
    expect(problems({ email: 'nobody', slackChannel: 'security' })).toHaveLength(2);
  });
});
