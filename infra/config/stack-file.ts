/**
 * A stack file (`Pulumi.<stack>.yaml`) read from disk, as the Pulumi CLI would hand it to the
 * program: for the offline run, the policy check and the generators, none of which has the CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../build/bundle';

export const stackConfigPath = (stack: string, dir = REPO_ROOT): string => join(dir, `Pulumi.${stack}.yaml`);

/** The `config:` map of a stack file, values as Pulumi stores them (objects as JSON text). */
export function loadStackConfig(stack: string, dir = REPO_ROOT): Record<string, string> {
  const doc = parse(readFileSync(stackConfigPath(stack, dir), 'utf8')) as { config?: Record<string, unknown> } | null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc?.config ?? {})) {
    if (v && typeof v === 'object' && 'secure' in v) continue; // encrypted values need the CLI; none are required here
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** The `config:` map of `Pulumi.<stack>.yaml` as the program reads it: objects parsed, like `rawPulumiConfig`. */
export function rawStackConfig(stack: string, dir = REPO_ROOT): Record<string, unknown> {
  return Object.fromEntries(Object.entries(loadStackConfig(stack, dir)).map(([k, v]) => [k, /^[[{]/.test(v.trim()) ? JSON.parse(v) : v]));
}
