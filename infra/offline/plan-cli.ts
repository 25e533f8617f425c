/**
 * The offline plan's command line (`infra/offline/plan.ts`): runs the program under mocks with a stack's
 * `Pulumi.<stack>.yaml` and prints the inventory. Returns the exit code: 0 planned, 1 invalid
 * stack config (the message names each key and its fix), 2 usage.
 */
import { existsSync } from 'node:fs';
import { parseArgs as parseNodeArgs } from 'node:util';
import { StackConfigError } from '../config/reader';
import { formatInventory, inventory } from './inventory';
import { stackConfigPath } from '../config/stack-file';
import { runOffline } from './run';

export const USAGE = 'usage: npm run plan -- --stack <dev|prod> [--json]';

export interface Console {
  log(text: string): void;
  error(text: string): void;
}

/** `--stack <name>` (or `--stack=<name>`) and `--json`; anything else is a usage error, said in words. */
export function parseArgs(argv: readonly string[]): { stack: string; json: boolean } | { error: string } {
  try {
    const { values } = parseNodeArgs({
      args: [...argv],
      options: { stack: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    return values.stack ? { stack: values.stack, json: values.json ?? false } : { error: 'No --stack given.' };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

export async function runPlan(argv: readonly string[], out: Console, configDir?: string): Promise<number> {
  const args = parseArgs(argv);
  if ('error' in args) {
    out.error(`${args.error}\n${USAGE}`);
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
    out.log(
      args.json
        ? JSON.stringify({ stack: run.stack, groups, outputs: run.outputs }, null, 2)
        : formatInventory(run.stack, groups, run.outputs),
    );
    return 0;
  } catch (err) {
    if (!(err instanceof StackConfigError)) throw err;
    out.error(`Pulumi.${args.stack}.yaml: ${err.message}`);
    return 1;
  }
}
