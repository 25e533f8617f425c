/**
 * Runs one policy of the pack over hand-made resources through the same engine as the offline run
 * (no policy server), and returns the messages it reported.
 *
 * Every check runs twice: at `up` (every value known) and at a first preview, where the values a
 * fixture marks `computed(...)` (what the program computes from other resources: ARNs, ids) are
 * the analyzer's unknowns. `violations` fails the test unless both report the same, so a rule that
 * reads an unknown (and would be downgraded to "can't run during preview") or that misses at
 * preview what it catches at `up` is caught here.
 */
import type { PolicyPackConfig } from '@pulumi/policy';
import { UNKNOWN } from '../../../../policies/lib/capture';
import { runPolicies, type CheckedResource } from '../../../../policies/lib/engine';
import { policyNamed } from '../../../../policies/rules';

export type Mode = 'up' | 'preview';
export const MODES: readonly Mode[] = ['up', 'preview'];

const COMPUTED = '__computedAtPreview';

/** A value the program computes from another resource's output: itself at `up`, unknown at a first preview. */
export const computed = <T>(value: T): T => ({ [COMPUTED]: value }) as unknown as T;

/** `x` as the analyzer sees it in `mode`. */
export function settle(x: unknown, mode: Mode): any {
  if (Array.isArray(x)) return x.map((e) => settle(e, mode));
  if (x === null || typeof x !== 'object') return x;
  if (COMPUTED in x) return mode === 'preview' ? UNKNOWN : settle((x as Record<string, unknown>)[COMPUTED], mode);
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, settle(v, mode)]));
}

let counter = 0;

export interface ResourceOptions {
  readonly protect?: boolean;
  /** Per property, the resources its (computed) value comes from: what the engine records. */
  readonly deps?: Record<string, readonly CheckedResource[]>;
}

/** A resource whose inputs and outputs are both `props` (a created resource that kept its inputs). */
export function resource(type: string, props: Record<string, any>, name = `r${++counter}`, opts: ResourceOptions = {}): CheckedResource {
  const propertyDependencies = Object.fromEntries(Object.entries(opts.deps ?? {}).map(([k, rs]) => [k, rs.map((r) => r.urn)]));
  return {
    type,
    name,
    urn: `urn:pulumi:test::async-ai-pipeline::${type}::${name}`,
    inputs: props,
    outputs: props,
    protect: opts.protect ?? false,
    propertyDependencies,
    dependencies: Object.values(propertyDependencies).flat(),
  };
}

/** The messages `policyName` reports over these resources in one mode; `config` is the policy's own settings. */
export async function violationsIn(
  mode: Mode,
  policyName: string,
  resources: CheckedResource | readonly CheckedResource[],
  config?: Record<string, unknown>,
): Promise<string[]> {
  const pack: PolicyPackConfig = config ? { [policyName]: config } : {};
  const list = (Array.isArray(resources) ? resources : [resources as CheckedResource]).map((r) => ({
    ...r,
    inputs: settle(r.inputs, mode),
    outputs: settle(r.outputs, mode),
  }));
  const found = await runPolicies([policyNamed(policyName)], list, pack);
  return found.map((v) => v.message);
}

/** The messages `policyName` reports, the same at `up` and at preview (the test fails otherwise). */
export async function violations(
  policyName: string,
  resources: CheckedResource | readonly CheckedResource[],
  config?: Record<string, unknown>,
): Promise<string[]> {
  const [up, preview] = await Promise.all(MODES.map((m) => violationsIn(m, policyName, resources, config)));
  if (JSON.stringify(up) !== JSON.stringify(preview)) {
    throw new Error(
      `${policyName} reports differently at up and at preview:\n  up:      ${JSON.stringify(up)}\n  preview: ${JSON.stringify(preview)}`,
    );
  }
  return up!;
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
