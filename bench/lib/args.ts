/** The bench command line (`node:util` parseArgs): which suites, quick mode, profile mode. */
import { parseArgs } from 'node:util';
import { DEFAULT_SUITES, SUITES, type SuiteName } from '../suites';

export const USAGE = `usage: npm run bench [-- --only ${SUITES.join(',')}] [--quick] [--profile]\n(without --only: ${DEFAULT_SUITES.join(', ')}; scale runs on request)`;

export class UsageError extends Error {}

export interface BenchArgs {
  readonly suites: SuiteName[];
  readonly quick: boolean;
  readonly profile: boolean;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values: { only?: string; quick?: boolean; profile?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { only: { type: 'string' }, quick: { type: 'boolean' }, profile: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const selected = values.only ? values.only.split(',').map((s) => s.trim()) : [...DEFAULT_SUITES];
  const unknown = selected.filter((s) => !(SUITES as readonly string[]).includes(s));
  if (unknown.length) throw new UsageError(`Unknown suite ${unknown.join(', ')}\n${USAGE}`);
  return { suites: selected as SuiteName[], quick: values.quick ?? false, profile: values.profile ?? false };
}
