/**
 * The mutation suite's committed results: `policies/results/mutations.json` (every mutation, its
 * outcome and which policies caught it, per mode) and `mutations.md` (the figures a reader wants:
 * overall and per category, at `up` and at preview, and the misses). Written by
 * `npm run policy -- --mutations`; a test fails when they are out of date.
 */
import { join } from 'node:path';
import { CATEGORIES, type Category } from './catalog';
import type { ModeReport, Tally } from './run';

export const RESULTS_DIR = join(__dirname, '..', 'results');
export const RESULTS_JSON = join(RESULTS_DIR, 'mutations.json');
export const RESULTS_MD = join(RESULTS_DIR, 'mutations.md');
export const COMMAND = 'npm run policy -- --mutations';
/** The share of mutations the pack must catch with mandatory enforcement (issue 14). */
export const TARGET_PERCENT = 95;

export interface SuiteReport {
  readonly stack: string;
  readonly command: string;
  readonly targetPercent: number;
  readonly modes: readonly ModeReport[];
}

const pct = (t: Tally): string => `${t.caught}/${t.applicable} (${t.percent} %)${t.notApplicable ? `, ${t.notApplicable} n/a` : ''}`;

export const meetsTarget = (r: SuiteReport): boolean => r.modes.every((m) => m.overall.percent >= r.targetPercent);

export function formatMarkdown(r: SuiteReport): string {
  const [up, preview] = [r.modes.find((m) => m.mode === 'up')!, r.modes.find((m) => m.mode === 'preview')!];
  const total = up.results.length;
  const lines = [
    '# Policy pack mutation suite',
    '',
    `${total} realistic misconfigurations of the ${r.stack} stack, each applied to the resource inputs the program registers (no Pulumi run per mutation), checked by the whole pack with ${r.stack}'s policy config. A mutation is caught when the pack reports a mandatory violation the unmutated stack does not have. "At preview" runs the same on the stack as a first \`pulumi preview\` sees it (values AWS computes are unknown); a mutation whose target is unknown there is not applicable (n/a) and is checked at \`up\` only.`,
    '',
    `Regenerate: \`${r.command}\`. Target: at least ${r.targetPercent} % caught in both modes.`,
    '',
    '| category | at up | at preview |',
    '| --- | --- | --- |',
    `| **all** | **${pct(up.overall)}** | **${pct(preview.overall)}** |`,
    ...(Object.keys(CATEGORIES) as Category[]).map(
      (c) => `| ${c}: ${CATEGORIES[c]} | ${pct(up.byCategory[c])} | ${pct(preview.byCategory[c])} |`,
    ),
    '',
  ];
  for (const m of r.modes) {
    const missed = m.results.filter((x) => x.outcome === 'missed');
    const na = m.results.filter((x) => x.outcome === 'not-applicable');
    lines.push(`## ${m.mode === 'up' ? 'At up' : 'At preview'}: missed ${missed.length}, not applicable ${na.length}`, '');
    for (const x of missed) lines.push(`- missed \`${x.id}\` (${x.category}): ${x.description}`);
    for (const x of na) lines.push(`- n/a \`${x.id}\` (${x.category}): ${x.description}`);
    if (missed.length + na.length === 0) lines.push('- none');
    lines.push('');
  }
  lines.push(
    '## Every mutation',
    '',
    '| mutation | category | what the engineer did | caught at up by | at preview |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const x of up.results) {
    const p = preview.results.find((y) => y.id === x.id)!;
    const cell = (y: typeof x) => (y.outcome === 'caught' ? y.caughtBy.map((n) => `\`${n}\``).join(', ') : y.outcome);
    lines.push(
      `| \`${x.id}\` | ${x.category} | ${x.description.replace(/\|/g, '\\|')} | ${cell(x)} | ${p.outcome === 'caught' ? 'caught' : p.outcome} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const formatJson = (r: SuiteReport): string => `${JSON.stringify(r, null, 2)}\n`;

export function formatSummary(r: SuiteReport): string {
  const lines = [`Mutation suite on stack ${r.stack}: ${r.modes[0]!.results.length} misconfigurations, target ${r.targetPercent} %`];
  for (const m of r.modes) {
    lines.push(`  ${m.mode.padEnd(8)} caught ${pct(m.overall)}`);
    for (const x of m.results.filter((y) => y.outcome === 'missed')) lines.push(`    missed ${x.id}: ${x.description}`);
  }
  lines.push(meetsTarget(r) ? 'The pack meets the target.' : `The pack misses the ${r.targetPercent} % target.`);
  return lines.join('\n');
}
