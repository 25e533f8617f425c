/**
 * The committed results of a scenario run (observability/results/latest.json and latest.md): per
 * scenario the alarms that fired, the pages with their escalation and the notifications; which
 * alarms no scenario fired (there must be none but the AWS-only ones, listed with why); and the
 * run's settings and machine.
 */
import { createHash } from 'node:crypto';
import type { AlarmDefinition } from '../evaluator';
import type { ScenarioOutcome } from './outcome';
import type { Scenario } from './scenarios';

export const RESULTS_DIR = 'observability/results';

export interface AlarmCoverage {
  /** Every alarm of the stack (metric and composite), by id. */
  readonly alarms: readonly string[];
  /** AWS-only alarm id → why (AlarmKind.awsOnly). */
  readonly awsOnly: Readonly<Record<string, string>>;
}

export interface RunInfo {
  readonly stack: string;
  readonly variant: 'full' | 'fast';
  /** Virtual seconds per real second. */
  readonly timeScale: number;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: string;
  readonly command: string;
}

export interface ScenarioResults {
  readonly run: RunInfo;
  readonly scenarios: readonly ScenarioOutcome[];
  /** Alarms that fired in no scenario and are not AWS-only: must be empty. */
  readonly neverFired: readonly string[];
  readonly awsOnly: Readonly<Record<string, string>>;
  readonly passed: boolean;
}

/**
 * What a committed table was computed from: digests of the scenario definitions and of the alarm
 * definitions they were judged by. A test recomputes both: a table older than either is stale.
 */
export interface ResultInputs {
  readonly scenarios: string;
  readonly alarms: string;
}

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

export function resultInputs(scenarios: readonly Scenario[], alarms: readonly AlarmDefinition[]): ResultInputs {
  return { scenarios: digest(scenarios), alarms: digest([...alarms].sort((a, b) => a.name.localeCompare(b.name))) };
}

export function results(run: RunInfo, scenarios: readonly ScenarioOutcome[], coverage: AlarmCoverage): ScenarioResults {
  const fired = new Set(scenarios.flatMap((s) => s.fired.map((f) => f.id)));
  const neverFired = coverage.alarms.filter((id) => !fired.has(id) && !(id in coverage.awsOnly));
  return { run, scenarios, neverFired, awsOnly: coverage.awsOnly, passed: neverFired.length === 0 && scenarios.every((s) => s.passed) };
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function renderResults(r: ScenarioResults): string {
  const rows = r.scenarios.map((s) => {
    const alarms = s.fired.length ? s.fired.map((f) => `${f.id} (${f.minute})`).join(', ') : '—';
    const pages = s.pages.length ? s.pages.map((p) => `${p.incident}: ${p.timeline}`).join('; ') : '0';
    const played = s.minutes ? ` ${s.minutes} min${s.timeScale && s.timeScale !== r.run.timeScale ? ` at ${s.timeScale}×` : ''}` : '';
    return `| ${s.passed ? 'pass' : '**FAIL**'} | ${cell(s.title)}${s.critical ? ' (critical)' : ''}${played} | ${s.fired.length} | ${cell(alarms)} | ${s.pages.length} | ${cell(pages)} | ${s.notifications.alarm} / ${s.notifications.ok} |`;
  });
  const problems = r.scenarios.flatMap((s) => s.problems.map((p) => `- ${s.id}: ${p}`));
  const awsOnlyIds = Object.keys(r.awsOnly);
  const byReason = new Map<string, string[]>();
  for (const id of awsOnlyIds) byReason.set(r.awsOnly[id]!, [...(byReason.get(r.awsOnly[id]!) ?? []), id]);
  return [
    '# Failure scenarios: results',
    '',
    '<!-- Written by `npm run scenarios`. Do not edit: change observability/scenarios/ and run it again. -->',
    '',
    `Stack **${r.run.stack}** (the offline run of the Pulumi program, every alarm it deploys), evaluated over the metrics the local runtime produced. ` +
      `Variant ${r.run.variant}; clock compressed ${r.run.timeScale}× (one real second plays ${r.run.timeScale} s); started ${r.run.startedAt}, took ${r.run.durationSeconds} s on ${r.run.machine} (\`${r.run.command}\`). ` +
      "Minutes are minutes of the scenario's clock. Every scenario starts on a service that had a normal day: the normal-day scenario's outcome metrics fill the 6 hours before its minute 0 (the longest alarm window). " +
      'A shared machine: the run passes on assertions, not on timings.',
    '',
    `**${r.passed ? 'Passed' : 'FAILED'}**: ${r.scenarios.filter((s) => s.passed).length} of ${r.scenarios.length} scenarios; ${r.neverFired.length ? `alarms no scenario fired and not AWS-only: ${r.neverFired.join(', ')}` : 'every alarm fired in a scenario or is AWS-only'}.`,
    '',
    '| result | scenario | alarms fired | which (first minute) | pages | PagerDuty incident: escalation | notifications (Slack + e-mail: alarm / recovery) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(problems.length ? ['## Problems', '', ...problems, ''] : []),
    '## Alarms that stay AWS-only',
    '',
    `${awsOnlyIds.length} alarms read metrics the local runtime cannot produce faithfully; they are listed in the catalog (AlarmKind.awsOnly) and the runbook:`,
    '',
    '| alarms | why |',
    '| --- | --- |',
    ...[...byReason].map(([why, ids]) => `| ${ids.join(', ')} | ${cell(why)} |`),
    '',
  ].join('\n');
}
