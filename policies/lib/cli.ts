/**
 * `npm run policy -- --stack dev|prod [--preview] [--json]`: the pack over a stack without AWS or
 * the Pulumi CLI. `--mutations` runs the mutation suite instead; `--rules-table` prints the
 * README's rules table. Exit codes (EXIT): 0 passes (advisories allowed), 1 a mandatory violation
 * (or, with --mutations, the suite below its target), 2 a usage or policy-config error, 3 the
 * program did not run (the message names the module that failed, no stack trace).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { PolicyPackConfig } from '@pulumi/policy';
import { REPO_ROOT } from '../../infra/build/bundle';
import { stackConfigPath } from '../../infra/config/stack-file';
import { StackConfigError } from '../../infra/config/reader';
import { runMutations } from '../mutations/run';
import {
  COMMAND,
  RESULTS_DIR,
  RESULTS_JSON,
  RESULTS_MD,
  TARGET_PERCENT,
  formatJson,
  formatMarkdown,
  formatSummary,
  meetsTarget,
  type SuiteReport,
} from '../mutations/report';
import { POLICIES, PACK } from '../rules';
import { captureStack, type CapturedStack } from './capture';
import { runPolicies } from './engine';
import { configPath, loadPackConfig } from './pack-config';
import { formatReport, mandatoryCount, type RunSummary } from './report';
import { rulesTable } from './rules-table';

export const EXIT = { pass: 0, violation: 1, usage: 2, program: 3 } as const;

export const USAGE = [
  'usage: npm run policy -- --stack <dev|prod> [--preview] [--json]',
  '       npm run policy -- --mutations [--stack prod]',
  '       npm run --silent policy -- --rules-table',
].join('\n');

export const HELP = `${USAGE}

Runs the CrossGuard pack (policies/) over a stack without AWS or the Pulumi CLI: the program runs
under Pulumi's mocks with Pulumi.<stack>.yaml and the pack with policies/config/<stack>.json.

  --stack <name>   the stack to check (dev, prod)
  --preview        check the stack as a first \`pulumi preview\` sees it: values AWS computes are unknown
  --json           print the result as JSON
  --config-dir <d> where Pulumi.<stack>.yaml is (default: the repository root)
  --mutations      run the mutation suite (on prod unless --stack), at up and at preview, and write
                   policies/results/mutations.{json,md}
  --rules-table    print the README's rules table
  -h, --help       this text

Exit codes: 0 passes (advisories allowed), 1 a mandatory violation (or the mutation suite below
${TARGET_PERCENT} %), 2 a usage or policy-config error, 3 the program did not run.`;

/** The stacks whose config the README table shows. */
export const STACKS = ['dev', 'prod'] as const;

export interface Console {
  log(text: string): void;
  error(text: string): void;
}

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'rules-table' }
  | { readonly kind: 'check'; readonly stack: string; readonly json: boolean; readonly preview: boolean; readonly configDir?: string }
  | { readonly kind: 'mutations'; readonly stack: string; readonly configDir?: string };

const parseOptions = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: false,
    strict: true,
    options: {
      stack: { type: 'string' },
      json: { type: 'boolean' },
      preview: { type: 'boolean' },
      'config-dir': { type: 'string' },
      mutations: { type: 'boolean' },
      'rules-table': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;

/** The command line as a command, or the usage problem. */
export function parseCommand(argv: readonly string[]): Command | { readonly error: string } {
  let values: ReturnType<typeof parseOptions>;
  try {
    values = parseOptions(argv);
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (values.help) return { kind: 'help' };
  if (values['rules-table']) return { kind: 'rules-table' };
  if (values.stack !== undefined && (values.stack === '' || values.stack.startsWith('-')))
    return { error: `--stack needs a stack name, got "${values.stack}"` };
  const configDir = values['config-dir'] !== undefined ? { configDir: values['config-dir'] } : {};
  if (values.mutations) return { kind: 'mutations', stack: values.stack ?? 'prod', ...configDir };
  if (!values.stack) return { error: 'Missing --stack' };
  return { kind: 'check', stack: values.stack, json: values.json === true, preview: values.preview === true, ...configDir };
}

export const packVersion = (): string =>
  (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

export const generatedRulesTable = (): string =>
  rulesTable(POLICIES, Object.fromEntries(STACKS.map((s) => [s, loadPackConfig(s, POLICIES)])));

export type Capture = (stack: string, options?: { preview?: boolean }) => Promise<CapturedStack>;

const defaultCapture: Capture = (stack, options) => captureStack(stack, options);

/** The program failed under mocks (as opposed to a policy or the harness). */
export class ProgramError extends Error {
  constructor(
    readonly stackName: string,
    readonly failure: unknown,
  ) {
    super(programError(stackName, failure));
  }
}

async function captureOrFail(capture: Capture, stack: string, preview: boolean): Promise<CapturedStack> {
  try {
    return await capture(stack, { preview });
  } catch (err) {
    throw new ProgramError(stack, err);
  }
}

/** Captures the stack, runs every policy, returns the summary (no printing). */
export async function checkStack(
  stack: string,
  capture: Capture = defaultCapture,
  config = loadPackConfig(stack, POLICIES),
  preview = false,
): Promise<RunSummary> {
  const captured = await captureOrFail(capture, stack, preview);
  const violations = await runPolicies(POLICIES, captured.resources, config, { name: PACK.name, version: packVersion() });
  const file = configPath(stack);
  return {
    stack,
    pack: PACK.name,
    version: packVersion(),
    policyCount: POLICIES.length,
    resourceCount: captured.resources.length,
    configFile: existsSync(file) ? relative(process.cwd(), file) : undefined,
    violations,
    preview,
  };
}

/** Frames of the harness itself: an error is located in the program, not in what runs it. */
const HARNESS = [/^node_modules\//, /^policies\//, /^infra\/lib\/(offline|mocks)\.ts$/, /^node:/];

/** The first frame of an error's stack inside the repository's own program code, as `path:line`. */
export function failingModule(stack: string | undefined, root = REPO_ROOT): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = relative(root, m[1]!.replace(/^file:\/\//, ''));
    if (file.startsWith('..') || HARNESS.some((re) => re.test(file))) continue;
    return `${file}:${m[2]}`;
  }
  return undefined;
}

/** What to print when the program did not run: the message and where, never a stack trace. */
export function programError(stack: string, err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const where = failingModule(e.stack);
  const head = `The program of stack ${stack} did not run under mocks${where ? ` (it failed in ${where})` : ''}, so no policy could be checked:`;
  if (e instanceof StackConfigError || (e as { problems?: unknown }).problems) {
    const problems = (e as StackConfigError).problems;
    return [head, `Pulumi.${stack}.yaml (or its secrets) is invalid:`, ...problems.map((p) => `  - ${p}`)].join('\n');
  }
  return `${head}\n  ${e.name}: ${e.message.split('\n')[0]}`;
}

async function mutationSuite(stack: string, out: Console, capture: Capture, config: PolicyPackConfig): Promise<number> {
  const modes = [];
  for (const mode of ['up', 'preview'] as const) {
    const captured = await captureOrFail(capture, stack, mode === 'preview');
    modes.push(await runMutations(mode, captured, POLICIES, config));
  }
  const report: SuiteReport = { stack, command: COMMAND, targetPercent: TARGET_PERCENT, modes };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(RESULTS_JSON, formatJson(report));
  writeFileSync(RESULTS_MD, formatMarkdown(report));
  out.log(`${formatSummary(report)}\nWrote ${relative(process.cwd(), RESULTS_MD)} and ${relative(process.cwd(), RESULTS_JSON)}.`);
  return meetsTarget(report) ? EXIT.pass : EXIT.violation;
}

export async function runPolicyCli(argv: readonly string[], out: Console, given?: Capture): Promise<number> {
  const command = parseCommand(argv);
  if ('error' in command) {
    out.error(`${command.error}\n${USAGE}`);
    return EXIT.usage;
  }
  if (command.kind === 'help') {
    out.log(HELP);
    return EXIT.pass;
  }
  if (command.kind === 'rules-table') {
    out.log(generatedRulesTable());
    return EXIT.pass;
  }
  const { stack, configDir } = command;
  if (!existsSync(stackConfigPath(stack, configDir))) {
    out.error(`No stack file ${stackConfigPath(stack, configDir)}.\n${USAGE}`);
    return EXIT.usage;
  }
  const capture: Capture = given ?? ((s, options) => captureStack(s, { ...options, configDir }));
  let config: PolicyPackConfig;
  try {
    config = loadPackConfig(stack, POLICIES);
  } catch (err) {
    out.error(`Invalid policy config ${(err as Error).message}`);
    return EXIT.usage;
  }
  try {
    if (command.kind === 'mutations') return await mutationSuite(stack, out, capture, config);
    const summary = await checkStack(stack, capture, config, command.preview);
    out.log(command.json ? JSON.stringify(summary, null, 2) : formatReport(summary));
    return mandatoryCount(summary) > 0 ? EXIT.violation : EXIT.pass;
  } catch (err) {
    if (!(err instanceof ProgramError)) throw err;
    out.error(err.message);
    return EXIT.program;
  }
}
