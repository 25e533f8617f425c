/** A report as Markdown (what a person reads, in S3 or on a terminal) and as a one-message summary (Slack). */
import type { Cell, Check, Report, Section, Table } from './report';

const cell = (c: Cell): string => (c === null ? '—' : String(c).replace(/\|/g, '\\|'));
const MARK = { ok: '✅', breach: '❌', unknown: '❔' } as const;

function table(t: Table): string[] {
  return [
    `| ${t.columns.join(' | ')} |`,
    `| ${t.columns.map(() => '---').join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

const checks = (cs: readonly Check[]): string[] =>
  table({
    columns: ['', 'item', 'value', 'target', 'note'],
    rows: cs.map((c) => [MARK[c.status], c.item, c.value, c.target, c.note ?? '']),
  });

function section(x: Section): string[] {
  return [
    `## ${x.title}`,
    '',
    `> ${x.guide}`,
    '',
    ...(x.table ? [...table(x.table), ''] : []),
    ...(x.checks ? [...checks(x.checks), ''] : []),
    ...(x.notes ?? []).flatMap((n) => [n, '']),
  ];
}

export function renderMarkdown(r: Report): string {
  return [
    `# ${r.title}`,
    '',
    `- 期間: ${r.window.label}`,
    `- 出典: ${r.source}`,
    `- 作成: ${r.generatedAt}`,
    `- 基準を外れた項目: ${r.breaches}`,
    '',
    ...r.sections.flatMap(section),
  ]
    .join('\n')
    .replace(/\n+$/, '\n');
}

/** Slack (through the alert topics): the title, the window, and every check that breaches. */
export function renderSummary(r: Report, link?: string): string {
  const breached = r.sections.flatMap((x) =>
    (x.checks ?? []).filter((c) => c.status === 'breach').map((c) => `❌ ${c.item}: ${cell(c.value)} (target ${c.target})`),
  );
  return [
    `${r.title} ${r.window.label} (${r.source}): ${breached.length ? `${breached.length} item(s) outside the guide` : 'all checks within the guide'}`,
    ...breached,
    ...(link ? [link] : []),
  ].join('\n');
}
