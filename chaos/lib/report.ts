/**
 * chaos/results/latest.json and latest.md (quick.* for `--quick`): for each part tried / passed /
 * failed, its counts and up to 20 failures, and the machine it ran on with the share of the CPU
 * that other processes took meanwhile (bench/lib/cpu.ts). A run of some parts (`--only`) updates
 * only their sections. The Markdown is rendered from the JSON only, so the two never disagree.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OTHER_WORK_WARNING } from '../../bench/lib/cpu';
import { machineLine, type Machine } from '../../bench/lib/machine';
import { table } from '../../bench/report/tables';
import type { PartResult } from '../types';

export const RESULTS_DIR = join(__dirname, '..', 'results');

export interface PartRecord {
  result: PartResult;
  command: string;
  seed: number;
  ranAt: string;
  machine: Machine;
  /** Share of all cores other processes used while the part ran (0–1). */
  otherWork?: number;
}

export interface ChaosResults {
  parts: Record<string, PartRecord>;
}

export function readResults(file: string): ChaosResults {
  if (!existsSync(file)) return { parts: {} };
  return JSON.parse(readFileSync(file, 'utf8')) as ChaosResults;
}

const percent = (share: number | undefined) => (share === undefined ? '–' : `${Math.round(share * 100)} %`);

function section(name: string, p: PartRecord): string {
  const r = p.result;
  const contended =
    (p.otherWork ?? 0) > OTHER_WORK_WARNING
      ? ` **Contended:** other processes took ${percent(p.otherWork)} of the CPU meanwhile; run it again on a quiet machine for the timings.`
      : '';
  return [
    `## ${name}`,
    '',
    `\`${p.command}\` · seed ${p.seed} · ${p.ranAt} · ${Math.round(r.durationMs / 1000)} s · ${machineLine(p.machine)}.${contended}`,
    '',
    table(
      ['figure', 'value'],
      Object.entries(r.counts).map(([k, v]) => [k, v]),
    ),
    '',
    r.failures.length ? ['Failures (up to 20):', '', ...r.failures.map((f) => `- ${f}`)].join('\n') : 'No failures.',
  ].join('\n');
}

export function renderMarkdown(results: ChaosResults): string {
  const names = Object.keys(results.parts);
  return [
    '# Chaos suite results',
    '',
    'Written by `npm run chaos` (see the README, "Durability and recovery"); every figure comes from `latest.json`.',
    '',
    table(
      ['part', 'tried', 'passed', 'failed', 'duration', "other processes' CPU"],
      names.map((n) => {
        const p = results.parts[n]!;
        return [n, p.result.tried, p.result.passed, p.result.failed, `${Math.round(p.result.durationMs / 1000)} s`, percent(p.otherWork)];
      }),
    ),
    '',
    ...names.map((n) => `${section(n, results.parts[n]!)}\n`),
  ].join('\n');
}

export function writeResults(base: 'latest' | 'quick', records: Record<string, PartRecord>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${base}.json`);
  const results = readResults(file);
  Object.assign(results.parts, records);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, `${base}.md`), renderMarkdown(results));
  return file;
}
