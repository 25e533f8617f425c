/**
 * The alarm description: what Slack, e-mail and PagerDuty show. It carries the severity, the
 * condition, the guide's response steps and the runbook link, within CloudWatch's 1024 characters.
 */
import type { AlarmSpec } from './spec';

export const MAX_DESCRIPTION = 1024;

export const runbookLink = (runbookUrl: string, section: string): string => `${runbookUrl}#${section}`;

const numbered = (steps: readonly string[]): string => steps.map((s, i) => `${i + 1}. ${s}`).join(' ');

/** What a description says of a metric or composite alarm. */
export type Described<V = string> = Pick<AlarmSpec<V>, 'kind' | 'subject' | 'condition'>;

export function describeAlarm<V>(spec: Described<V>, runbookUrl: string): string {
  const { kind } = spec;
  const title = kind.titleJa ? `${kind.title} (${kind.titleJa})` : kind.title;
  // A critical alarm pages through its incident's composite; say which, so Slack shows the link.
  const pages = kind.incident && kind.category !== 'incident' ? ` Pages as incident-${kind.incident}.` : '';
  const head = `[${kind.severity.toUpperCase()}] ${title}${spec.subject ? ` — ${spec.subject}` : ''}: ${spec.condition}.${pages}`;
  const link = `Runbook: ${runbookLink(runbookUrl, kind.section)}`;
  const en = `Steps: ${numbered(kind.responseSteps)}`;
  const ja = kind.responseStepsJa ? `対応手順: ${numbered(kind.responseStepsJa)}` : undefined;
  // Prefer both languages; drop the Japanese (the runbook has it), then shorten, never the link.
  for (const body of [[en, ja], [en]]) {
    const text = [head, ...body.filter(Boolean), link].join('\n');
    if (text.length <= MAX_DESCRIPTION) return text;
  }
  const room = MAX_DESCRIPTION - head.length - link.length - 3;
  return [head, `${en.slice(0, room)}…`, link].join('\n');
}
