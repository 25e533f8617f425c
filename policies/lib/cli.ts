/**
 * `npm run policy -- --stack dev|prod [--json]`: the pack over a stack without AWS or the Pulumi
 * CLI. Exit code: 0 passes (advisories allowed), 1 a mandatory violation, 2 usage or policy config
 * error, 3 the program could not run (e.g. an invalid Pulumi.<stack>.yaml).
 * `--rules-table` prints the README's rules table instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PolicyPackConfig } from '@pulumi/policy';
import { stackConfigPath } from '../../infra/config/stack-file';
import { POLICIES, PACK } from '../rules';
import { captureStack, type CapturedStack } from './capture';
import { runPolicies } from './engine';
import { configPath, loadPackConfig } from './pack-config';
import { formatReport, mandatoryCount, type RunSummary } from './report';
import { rulesTable } from './rules-table';

export const USAGE = 'usage: npm run policy -- --stack <dev|prod> [--json]   |   npm run --silent policy -- --rules-table';
/** The stacks whose config the README table shows. */
export const STACKS = ['dev', 'prod'] as const;

export interface Console {
  log(text: string): void;
  error(text: string): void;
}

export function parseArgs(argv: readonly string[]): { stack?: string; json: boolean; rulesTable: boolean } | undefined {
  const i = argv.indexOf('--stack');
  const stack = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--stack='))?.slice('--stack='.length);
  const rules = argv.includes('--rules-table');
  if (!rules && (!stack || stack.startsWith('-'))) return undefined;
  return { stack, json: argv.includes('--json'), rulesTable: rules };
}

export const packVersion = (): string => (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

export const generatedRulesTable = (): string =>
  rulesTable(POLICIES, Object.fromEntries(STACKS.map((s) => [s, loadPackConfig(s, POLICIES)])));

export type Capture = (stack: string) => Promise<CapturedStack>;

/** Captures the stack, runs every policy, returns the summary (no printing). */
export async function checkStack(stack: string, capture: Capture = captureStack, config = loadPackConfig(stack, POLICIES)): Promise<RunSummary> {
  const captured = await capture(stack);
  const violations = await runPolicies(POLICIES, captured.resources, config);
  const file = configPath(stack);
  return {
    stack, pack: PACK.name, version: packVersion(), policyCount: POLICIES.length, resourceCount: captured.resources.length,
    configFile: existsSync(file) ? relative(process.cwd(), file) : undefined, violations,
  };
}

export async function runPolicyCli(argv: readonly string[], out: Console, capture: Capture = captureStack): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    out.error(USAGE);
    return 2;
  }
  if (args.rulesTable) {
    out.log(generatedRulesTable());
    return 0;
  }
  const stack = args.stack!;
  if (!existsSync(stackConfigPath(stack))) {
    out.error(`No stack file ${stackConfigPath(stack)}. ${USAGE}`);
    return 2;
  }
  let config: PolicyPackConfig;
  try {
    config = loadPackConfig(stack, POLICIES);
  } catch (err) {
    out.error(`Invalid policy config ${(err as Error).message}`);
    return 2;
  }
  let summary: RunSummary;
  try {
    summary = await checkStack(stack, capture, config);
  } catch (err) {
    out.error(`The program of stack ${stack} did not run under mocks, so no policy could be checked:\n${(err as Error).stack ?? String(err)}`);
    return 3;
  }
  out.log(args.json ? JSON.stringify(summary, null, 2) : formatReport(summary));
  return mandatoryCount(summary) > 0 ? 1 : 0;
}
