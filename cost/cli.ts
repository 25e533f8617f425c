/**
 * `npm run cost -- --per-day N [--mix SUBGOAL=0.5,ACTION=0.3,TASK=0.2] [--stack prod|dev]
 * [--format md|json] [--chart <png>]`, and `npm run cost -- --measure [--processes N]`.
 * Returns the exit code: 0 done, 2 usage (the message names the flag and the fix).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { PROCESS_TYPES, type ProcessType } from '../guide';
import { STAGES } from '../infra/config';
import { costChartSvg, svgToPng } from './chart';
import { DEFAULT_MIX, type Mix } from './model';
import { loadProfile, PROFILE_FILE } from './profile';
import type { ProgramSettings } from './program';
import { buildReport, renderJson, renderMarkdown } from './report';

export const USAGE = `usage: npm run cost -- --per-day N [--mix SUBGOAL=0.5,ACTION=0.3,TASK=0.2] [--stack prod|dev] [--format md|json] [--chart <file.png>]
       npm run cost -- --measure [--processes N]

  --per-day N      processes started per day (average)
  --mix T=share,…  share of each type, summing to 1 (SUBGOAL, ACTION, TASK); default ${mixText(DEFAULT_MIX)}
  --stack S        the stack whose Pulumi.<stack>.yaml is read (${STAGES.join(', ')}); default prod
  --format F       md (default) or json
  --chart FILE     also draw cost against traffic as a PNG (and FILE.svg beside it)
  --measure        re-measure the per-process profile on the local runtime → ${PROFILE_FILE.replace(/.*\/cost\//, 'cost/')}
  --processes N    processes per type for --measure (default 20)`;

export class UsageError extends Error {}

function mixText(mix: Mix): string {
  return PROCESS_TYPES.map((t) => `${t.replace('_GENERATION', '')}=${mix[t]}`).join(',');
}

/** `SUBGOAL=0.5,ACTION=0.3,TASK=0.2` (full type names accepted); types left out get 0. */
export function parseMix(text: string): Mix {
  const mix = Object.fromEntries(PROCESS_TYPES.map((t) => [t, 0])) as Mix;
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z_]+)=([0-9.]+)$/.exec(part);
    if (!m) throw new UsageError(`--mix: "${part}" is not TYPE=share (e.g. SUBGOAL=0.5)`);
    const name = m[1]!.toUpperCase();
    const type = PROCESS_TYPES.find((t) => t === name || t === `${name}_GENERATION`) as ProcessType | undefined;
    if (!type)
      throw new UsageError(`--mix: unknown type "${m[1]}"; use ${PROCESS_TYPES.map((t) => t.replace('_GENERATION', '')).join(', ')}`);
    const share = Number(m[2]);
    if (!Number.isFinite(share) || share < 0 || share > 1)
      throw new UsageError(`--mix: the share of ${type} must be between 0 and 1, not ${m[2]}`);
    mix[type] = share;
  }
  const sum = PROCESS_TYPES.reduce((n, t) => n + mix[t], 0);
  if (Math.abs(sum - 1) > 1e-6)
    throw new UsageError(`--mix: the shares add up to ${Number(sum.toFixed(6))}, not 1 (e.g. ${mixText(DEFAULT_MIX)})`);
  return mix;
}

export interface CostArgs {
  readonly perDay?: number;
  readonly mix: Mix;
  readonly stack: string;
  readonly format: 'md' | 'json';
  readonly chart?: string;
  readonly measure: boolean;
  readonly processes: number;
  readonly help: boolean;
}

function positiveNumber(flag: string, raw: string | undefined, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} of at least 0, not "${raw}"`);
  }
  return n;
}

const parseOptions = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: false,
    strict: true,
    options: {
      'per-day': { type: 'string' },
      mix: { type: 'string' },
      stack: { type: 'string', default: 'prod' },
      format: { type: 'string', default: 'md' },
      chart: { type: 'string' },
      measure: { type: 'boolean', default: false },
      processes: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });

export function parseCostArgs(argv: readonly string[]): CostArgs {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const v = parsed.values;
  const stack = String(v.stack);
  if (!(STAGES as readonly string[]).includes(stack)) throw new UsageError(`--stack must be one of ${STAGES.join(', ')}, not "${stack}"`);
  const format = String(v.format);
  if (format !== 'md' && format !== 'json') throw new UsageError(`--format must be md or json, not "${format}"`);
  if (v.chart !== undefined && !/\.png$/i.test(v.chart)) throw new UsageError(`--chart must name a .png file, not "${v.chart}"`);
  const perDay = positiveNumber('--per-day', v['per-day'], false);
  const processes = positiveNumber('--processes', v.processes, true) ?? 20;
  if (v.processes !== undefined && !v.measure) throw new UsageError('--processes only goes with --measure');
  if (v.measure && processes < 1) throw new UsageError('--processes must be at least 1');
  if (!v.help && !v.measure && perDay === undefined)
    throw new UsageError('--per-day is required: the processes started per day, e.g. --per-day 1000');
  return {
    perDay,
    mix: v.mix === undefined ? DEFAULT_MIX : parseMix(v.mix),
    stack,
    format,
    chart: v.chart,
    measure: v.measure === true,
    processes,
    help: v.help === true,
  };
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  loadProgram(stack: string): Promise<ProgramSettings>;
  /** Measures and writes the profile (cost/measure/run.ts); injected so the parser loads without the bench harness. */
  measure(opts: { perType: number; command: string }): Promise<{ measuredAt: string }>;
}

export async function runCost(argv: readonly string[], io: Io): Promise<number> {
  let args: CostArgs;
  try {
    args = parseCostArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  if (args.measure) {
    const profile = await io.measure({ perType: args.processes, command: `npm run cost -- --measure --processes ${args.processes}` });
    io.out(`Measured ${args.processes} processes per type → ${PROFILE_FILE} (${profile.measuredAt})`);
    return 0;
  }
  const model = { program: await io.loadProgram(args.stack), profile: loadProfile() };
  const report = buildReport(model, { perDay: args.perDay!, mix: args.mix });
  io.out(args.format === 'json' ? renderJson(report) : renderMarkdown(report));
  if (args.chart) {
    // From 100/day to ten times the traffic asked about or where the budget breaks, whichever is larger.
    const end = Math.max(args.perDay! * 10, Number.isFinite(report.breakEven.total) ? report.breakEven.total * 10 : 0, 10_000);
    const svg = costChartSvg({
      model,
      mix: args.mix,
      from: 100,
      to: 10 ** Math.ceil(Math.log10(end)),
      breakEven: report.breakEven.total,
      saturation: report.saturation,
      title: `async-ai-pipeline (${args.stack}): monthly cost against traffic, ${mixText(args.mix)}`,
    });
    mkdirSync(dirname(args.chart), { recursive: true });
    writeFileSync(args.chart.replace(/\.png$/i, '.svg'), svg);
    writeFileSync(args.chart, await svgToPng(svg));
    io.err(`Chart: ${args.chart}`);
  }
  return 0;
}
