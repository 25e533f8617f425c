/**
 * Per-stack policy configuration: `policies/config/<stack>.json`, the same file
 * `pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json` reads.
 * Checked here as the CLI would: known policies, known properties, values of the schema's type.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnforcementLevel, PolicyPackConfig } from '@pulumi/policy';
import type { PackPolicy } from './pack-policy';

export const CONFIG_DIR = join(__dirname, '..', 'config');
export const configPath = (stack: string, dir = CONFIG_DIR): string => join(dir, `${stack}.json`);

const LEVELS: readonly EnforcementLevel[] = ['advisory', 'mandatory', 'remediate', 'disabled'];

function typeOk(value: unknown, type: string | string[] | undefined): boolean {
  const types = type === undefined ? [] : Array.isArray(type) ? type : [type];
  if (types.length === 0) return true;
  return types.some((t) => (t === 'integer' ? Number.isInteger(value) : t === 'array' ? Array.isArray(value) : typeof value === t));
}

/** Problems of a pack config, one line each; empty when it is valid. */
export function configProblems(config: PolicyPackConfig, policies: readonly PackPolicy[]): string[] {
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(config)) {
    const policy = policies.find((p) => p.name === name);
    if (!policy && name !== 'all') {
      problems.push(`"${name}" is not a policy of the pack`);
      continue;
    }
    const { enforcementLevel, ...props } = typeof entry === 'string' ? { enforcementLevel: entry } : entry;
    if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel))
      problems.push(`${name}: enforcementLevel "${enforcementLevel}" is not one of ${LEVELS.join(', ')}`);
    for (const [key, value] of Object.entries(props)) {
      const schema = policy?.configSchema?.properties[key];
      if (!schema) problems.push(`${name}: "${key}" is not a setting of this policy`);
      else if (!typeOk(value, schema.type)) problems.push(`${name}.${key}: ${JSON.stringify(value)} is not of type ${schema.type}`);
      else if (schema.enum && !schema.enum.includes(value as never))
        problems.push(`${name}.${key}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
      else if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum)
        problems.push(`${name}.${key}: ${value} is below ${schema.minimum}`);
    }
  }
  return problems;
}

/** The stack's pack config ({} when the stack has no file), validated. */
export function loadPackConfig(stack: string, policies: readonly PackPolicy[], dir = CONFIG_DIR): PolicyPackConfig {
  const file = configPath(stack, dir);
  if (!existsSync(file)) return {};
  const config = JSON.parse(readFileSync(file, 'utf8')) as PolicyPackConfig;
  const problems = configProblems(config, policies);
  if (problems.length) throw new Error(`${file}:\n  ${problems.join('\n  ')}`);
  return config;
}
