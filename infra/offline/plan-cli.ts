/**
 * The offline plan's command line (`infra/offline/plan.ts`): runs the program under mocks with a stack's
 * `Pulumi.<stack>.yaml` and prints the inventory. Returns the exit code: 0 planned, 1 invalid
 * stack config (the message names each key and its fix), 2 usage.
 */
import { existsSync } from 'node:fs';
import { StackConfigError } from '../config/reader';
import { formatInventory, inventory } from './inventory';
import { stackConfigPath } from '../config/stack-file';
import { runOffline } from './run';

export const USAGE = 'usage: npm run plan -- --stack <dev|prod> [--json]';

export interface Console {
  log(text: string): void;
  error(text: string): void;
}

export function parseArgs(argv: readonly string[]): { stack: string; json: boolean } | undefined {
  const i = argv.indexOf('--stack');
  const stack = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--stack='))?.slice('--stack='.length);
  if (!stack || stack.startsWith('-')) return undefined;
  return { stack, json: argv.includes('--json') };
}

export async function runPlan(argv: readonly string[], out: Console, configDir?: string): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    out.error(USAGE);
    return 2;
  }
  const file = stackConfigPath(args.stack, configDir);
  if (!existsSync(file)) {
    out.error(`No stack file ${file}. ${USAGE}`);
    return 2;
  }
  try {
    const run = await runOffline(args.stack, { configDir });
    const groups = inventory(run.resources);
    out.log(args.json ? JSON.stringify({ stack: run.stack, groups, outputs: run.outputs }, null, 2) : formatInventory(run.stack, groups, run.outputs));
    return 0;
  } catch (err) {
    if (!(err instanceof StackConfigError)) throw err;
    out.error(`Pulumi.${args.stack}.yaml: ${err.message}`);
    return 1;
  }
}
