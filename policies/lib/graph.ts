/**
 * The stack as a graph, for stack policies: which resources a property refers to. A reference is
 * found by value where the value is known (the ARN, id or name of a resource of the stack) and by
 * what the engine recorded the value was computed from (`propertyDependencies`) where it is not,
 * so the same rule decides at a first preview (ARNs unknown) and at `up` (ARNs known).
 */
import type { PolicyResource } from '@pulumi/policy';
import { isUnknown, read } from './known';

type ResourceClass = { __pulumiType?: string } | (new (...args: never[]) => unknown);

/** Properties a reference may name a resource by. */
const IDENTIFIERS = ['arn', 'id', 'name', 'bucket', 'keyId'];

/** The known strings anywhere in a value (a string, a list of them, an object of them). */
function knownStrings(value: unknown): string[] {
  if (isUnknown(value)) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => read(() => value[i])).flatMap(knownStrings);
  if (value && typeof value === 'object')
    return Object.keys(value).flatMap((k) => knownStrings(read(() => (value as Record<string, unknown>)[k])));
  return [];
}

/** The identifiers of a resource that are known (ARN, id, name…). */
export function identifiersOf(r: PolicyResource): string[] {
  return IDENTIFIERS.flatMap((k) => {
    const v = read(() => r.props[k]);
    return typeof v === 'string' && v !== '' ? [v] : [];
  });
}

/** A reference string names `r` when it is one of its identifiers, or an ARN of it with a qualifier or a `:*` suffix. */
const names = (ref: string, r: PolicyResource): boolean =>
  identifiersOf(r).some((id) => ref === id || (id.startsWith('arn:') && (ref.startsWith(`${id}:`) || ref.startsWith(`${id}/`))));

/**
 * The resources of `type` that property `prop` of `from` refers to. `resources` is the stack
 * (StackValidationArgs.resources).
 */
export function referenced(
  resources: readonly PolicyResource[],
  from: PolicyResource,
  prop: string,
  type: ResourceClass,
): PolicyResource[] {
  const ofType = resources.filter((r) => r.isType(type as never));
  const byGraph = (from.propertyDependencies[prop] ?? []).filter((r) => r.isType(type as never));
  const refs = knownStrings(read(() => from.props[prop]));
  const byValue = ofType.filter((r) => refs.some((ref) => names(ref, r)));
  return [...new Set([...byGraph, ...byValue])];
}

/** Whether property `prop` of `from` refers to `target`. */
export const refersTo = (resources: readonly PolicyResource[], from: PolicyResource, prop: string, target: PolicyResource): boolean =>
  referenced(resources, from, prop, { __pulumiType: target.type }).includes(target);
