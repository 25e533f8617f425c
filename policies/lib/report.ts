/**
 * The offline run's output, shaped like `pulumi preview --policy-pack`'s "Policies:" section: one
 * line per pack with ✅ / ⚠️ / ❌, then each violation with its level, policy, resource, the
 * policy's description and the message.
 */
import type { Violation } from './engine';

export interface RunSummary {
  readonly stack: string;
  readonly pack: string;
  readonly version: string;
  readonly policyCount: number;
  readonly resourceCount: number;
  readonly configFile?: string;
  readonly violations: readonly Violation[];
  /** Checked as a first `pulumi preview` sees the stack. */
  readonly preview?: boolean;
}

export const mandatoryCount = (s: Pick<RunSummary, 'violations'>): number =>
  s.violations.filter((v) => v.enforcementLevel === 'mandatory').length;

export function formatReport(s: RunSummary): string {
  const mandatory = mandatoryCount(s);
  const advisory = s.violations.length - mandatory;
  const icon = mandatory > 0 ? '❌' : advisory > 0 ? '⚠️' : '✅';
  const lines = [
    `Stack ${s.stack}${s.preview ? ' as a first preview (values AWS computes are unknown)' : ''}: ${s.resourceCount} resources checked offline (Pulumi mocks, no AWS calls), policy config ${s.configFile ?? 'none (policy defaults)'}`,
    '',
    'Policies:',
    `    ${icon} ${s.pack}@v${s.version} (local: policies)`,
  ];
  for (const v of s.violations) {
    const where = v.resource ? `  (${v.resource.type}: ${v.resource.name})` : '';
    lines.push(`        - [${v.enforcementLevel}]  ${v.policyName}${where}`, `          ${v.description}`, `          ${v.message}`);
  }
  lines.push(
    '',
    `${s.policyCount} policies: ${mandatory} mandatory and ${advisory} advisory violation(s). ${mandatory > 0 ? `Stack ${s.stack} FAILS the policy pack.` : `Stack ${s.stack} passes.`}`,
  );
  return lines.join('\n');
}
