/**
 * Runs one policy of the pack over hand-made resources through the same engine as the offline run
 * (no policy server), and returns the messages it reported.
 */
import type { PolicyPackConfig } from '@pulumi/policy';
import { runPolicies, type CheckedResource } from '../../../../policies/lib/engine';
import { policyNamed } from '../../../../policies/rules';

let counter = 0;

/** A resource whose inputs and outputs are both `props` (a created resource that kept its inputs). */
export function resource(type: string, props: Record<string, any>, name = `r${++counter}`): CheckedResource {
  return { type, name, urn: `urn:pulumi:test::async-ai-pipeline::${type}::${name}`, inputs: props, outputs: props };
}

/** The messages `policyName` reports over these resources; `config` is the policy's own settings. */
export async function violations(
  policyName: string, resources: CheckedResource | readonly CheckedResource[], config?: Record<string, unknown>,
): Promise<string[]> {
  const pack: PolicyPackConfig = config ? { [policyName]: config } : {};
  const list = Array.isArray(resources) ? resources : [resources as CheckedResource];
  const found = await runPolicies([policyNamed(policyName)], list, pack);
  return found.map((v) => v.message);
}

/** A copy of `base` with `path` (dot-separated) set to `value`, or removed when `value` is undefined. */
export function mutate<T extends Record<string, any>>(base: T, path: string, value: unknown): T {
  const copy = structuredClone(base);
  const keys = path.split('.');
  let at: any = copy;
  for (const k of keys.slice(0, -1)) at = at[k];
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}
