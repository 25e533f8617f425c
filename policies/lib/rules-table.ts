/**
 * The README's rules table, generated from the rules' own metadata and the per-stack config files
 * (`npm run --silent policy -- --rules-table`); a test keeps the README in step with it.
 */
import type { PolicyPackConfig } from '@pulumi/policy';
import { configOf, enforcementOf } from './engine';
import type { PackPolicy } from './pack-policy';

const KIND = { guide: 'guide limit', security: 'security' } as const;

/** A policy's level in one stack, with its settings when it has any. */
function inStack(policy: PackPolicy, config: PolicyPackConfig): string {
  const level = enforcementOf(policy, config);
  const settings =
    level === 'disabled'
      ? []
      : Object.entries(configOf(policy, config)).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : v}`);
  return [level, ...settings].join(', ');
}

/** Table-safe text: pipes escaped, and `<name>` kept visible (not read as an HTML tag). */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ');

export function rulesTable(policies: readonly PackPolicy[], configs: Record<string, PolicyPackConfig>): string {
  const stacks = Object.keys(configs);
  return [
    `| rule | kind | checks, and why | ${stacks.join(' | ')} |`,
    `| --- | --- | --- | ${stacks.map(() => '---').join(' | ')} |`,
    ...policies.map(
      (p) =>
        `| \`${p.name}\` | ${KIND[p.tags[0]]}${'validateStack' in p ? ' (stack)' : ''} | ${cell(p.description)} | ${stacks.map((s) => inStack(p, configs[s]!)).join(' | ')} |`,
    ),
  ].join('\n');
}
