/**
 * Argument parsing for `npm run ops`: `node:util` parseArgs (strict: an unknown flag is an error),
 * and the one error a user's typing can cause, UsageError, which names the flag and the fix.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line: exit code 2, the message and how to get help. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}

/** A problem the user can fix outside the command line (nothing running, a server unreachable): exit code 1. */
export class OpsError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

export function parse(command: string, args: readonly string[], options: Options, maxPositionals = 0): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }) as Parsed;
  } catch (err) {
    // parseArgs' own messages name the flag ("Unknown option '--maxx'", "Option '--max <value>' argument missing").
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''), command);
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}`, command);
  }
  return parsed;
}

/** A whole number flag within bounds; `undefined` when not given. */
export function intFlag(command: string, flag: string, raw: string | boolean | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`, command);
  }
  return n;
}

/** One of a list of words; `undefined` when not given. */
export function choiceFlag<T extends string>(
  command: string,
  flag: string,
  raw: string | boolean | undefined,
  choices: readonly T[],
): T | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`, command);
  }
  return raw as T;
}

/** An ISO 8601 instant with its offset (`2026-12-07T09:00:00+09:00`, `…Z`). */
export function timeFlag(command: string, flag: string, raw: string | boolean | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const ok = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw);
  const at = ok ? new Date(raw as string) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new UsageError(
      `--${flag} must be an ISO 8601 time with its offset, e.g. 2026-12-07T09:00:00+09:00, got ${JSON.stringify(raw)}`,
      command,
    );
  }
  return at;
}
