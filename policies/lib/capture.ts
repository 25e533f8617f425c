/**
 * Captures a stack for the offline policy run: the real program under the infra's recording mocks
 * with the stack's `Pulumi.<stack>.yaml` (infra/offline/run.ts), plus what the policies need beyond
 * its plan: each resource's URN, parent URN, options and dependencies, and its outputs (the state
 * the mocks returned), which is what stack policies see.
 *
 * With `preview: true` the program runs as a first `pulumi preview` does, and every value not
 * known yet is the analyzer's sentinel for an unknown (`UNKNOWN`), where the CLI would put one.
 */
import * as pulumi from '@pulumi/pulumi';
import { runOffline, type OfflineOptions } from '../../infra/offline/run';
import type { CheckedResource } from './engine';

/** A resource as the policies see it: inputs for resource policies, outputs for stack policies. */
export type CapturedResource = CheckedResource;

export interface CapturedStack {
  readonly stack: string;
  readonly resources: CapturedResource[];
}

interface Registered {
  readonly urn: string;
  readonly state: unknown;
}

/**
 * How the engine hands an unknown value to the analyzer: the string sentinel the SDK and the policy
 * SDK share (@pulumi/policy's `unknownStringValue`), which its proxy refuses to let a policy read.
 */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** Pulumi's wire form to plain values: secrets unwrapped (policies see plaintext, as with the CLI), unknowns as UNKNOWN. */
export function plain(value: unknown): any {
  // A component's state is the protobuf Struct of its registered outputs.
  const wire =
    typeof (value as { toJavaScript?: unknown })?.toJavaScript === 'function'
      ? (value as { toJavaScript(): unknown }).toJavaScript()
      : value;
  const v = pulumi.runtime.deserializeProperty(marked(wire));
  const unwrap = (x: unknown): any => {
    if (pulumi.isUnknown(x) || x === UNKNOWN) return UNKNOWN;
    if (Array.isArray(x)) return x.map(unwrap);
    if (x === null || typeof x !== 'object') return x;
    if ((x as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig)
      return unwrap((x as { value: unknown }).value);
    if (Object.getPrototypeOf(x) !== Object.prototype) return x; // assets, archives
    return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, unwrap(e)]));
  };
  return unwrap(v);
}

/** Recorded inputs hold the SDK's `unknown` object where a value is unknown: as the wire sentinel instead. */
function marked(x: unknown): unknown {
  if (pulumi.isUnknown(x)) return UNKNOWN;
  if (Array.isArray(x)) return x.map(marked);
  if (x === null || typeof x !== 'object' || Object.getPrototypeOf(x) !== Object.prototype) return x;
  return Object.fromEntries(Object.entries(x).map(([k, e]) => [k, marked(e)]));
}

/** `urn:pulumi:<stack>::<project>::<Parent$…$Type>::<name>` → its type chain and name. */
function splitUrn(urn: string): { chain: string; name: string } {
  const parts = urn.split('::');
  return { chain: parts[2] ?? '', name: parts.slice(3).join('::') };
}

/** The parent's URN: the one resource whose type chain is this one's minus its last type. */
function parentOf(urn: string, byChain: Map<string, string[]>): string | undefined {
  const { chain } = splitUrn(urn);
  const cut = chain.lastIndexOf('$');
  if (cut < 0) return undefined;
  const candidates = byChain.get(chain.slice(0, cut)) ?? [];
  return candidates.length === 1 ? candidates[0] : undefined;
}

export async function captureStack(stack: string, options: OfflineOptions = {}): Promise<CapturedStack> {
  const run = await runOffline(stack, options);
  // Read right away: the next run replaces the mock monitor.
  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, Registered> };
  const registered = [...monitor.getRegisteredResources().values()];
  const byTypeName = new Map<string, Registered[]>();
  const byChain = new Map<string, string[]>();
  for (const r of registered) {
    const { chain, name } = splitUrn(r.urn);
    const type = chain.split('$').pop()!;
    byTypeName.set(`${type}::${name}`, [...(byTypeName.get(`${type}::${name}`) ?? []), r]);
    byChain.set(chain, [...(byChain.get(chain) ?? []), r.urn]);
  }
  const resources = run.resources.map((r): CapturedResource => {
    const matches = byTypeName.get(`${r.type}::${r.name}`) ?? [];
    if (matches.length !== 1)
      throw new Error(`Cannot tell which registered resource is ${r.type} ${r.name} (${matches.length} candidates)`);
    const { urn, state } = matches[0]!;
    return {
      type: r.type,
      name: r.name,
      urn,
      inputs: plain(r.inputs),
      outputs: plain(state),
      parent: r.parentUrn ?? parentOf(urn, byChain),
      protect: r.protect ?? false,
      dependencies: r.dependsOn ?? [],
      propertyDependencies: r.propertyDependencies ?? {},
    };
  });
  return { stack, resources };
}
