/**
 * The dependency graph of an offline run, as the Pulumi engine will see it: every resource with the
 * URNs the SDK told the monitor it waits for (its `dependsOn` and the resources its inputs come
 * from), and the rule checker over it. A rule reads "<resource> must wait for <what it needs>";
 * waiting is transitive (A → B → C means A waits for C), exactly as the engine orders creation.
 */
import type { OfflineRun, PlannedResource } from '../../../../infra/offline/run';

/** `type::name`, the key the offline run records dependencies under. */
export const keyOf = (r: Pick<PlannedResource, 'type' | 'name'>): string => `${r.type}::${r.name}`;

/** `urn:pulumi:stack::project::Parent$Type::name` → `Type::name`. */
export function keyOfUrn(urn: string): string {
  const [, , typeChain = '', name = ''] = urn.split('::');
  const types = typeChain.split('$');
  return `${types[types.length - 1]}::${name}`;
}

export interface Graph {
  readonly resources: readonly PlannedResource[];
  /** Direct dependencies of each resource, by key. */
  readonly direct: ReadonlyMap<string, ReadonlySet<string>>;
  byKey(key: string): PlannedResource | undefined;
  /** Everything `key` waits for, directly or through what it waits for. */
  waitsFor(key: string): ReadonlySet<string>;
}

export function buildGraph(resources: readonly PlannedResource[]): Graph {
  const direct = new Map<string, Set<string>>(resources.map((r) => [keyOf(r), new Set((r.dependsOn ?? []).map(keyOfUrn))]));
  const index = new Map(resources.map((r) => [keyOf(r), r]));
  const closure = new Map<string, Set<string>>();
  const waitsFor = (key: string): Set<string> => {
    const known = closure.get(key);
    if (known) return known;
    const all = new Set<string>();
    closure.set(key, all); // a cycle (none expected) ends here instead of recursing forever
    for (const d of direct.get(key) ?? []) {
      all.add(d);
      for (const t of waitsFor(d)) all.add(t);
    }
    return all;
  };
  return { resources, direct, byKey: (k) => index.get(k), waitsFor };
}

export const graphOf = (run: OfflineRun): Graph => buildGraph(run.resources);

/** Which resources a rule is about, or which it needs: a type and, optionally, a logical-name pattern. */
export interface Selector {
  readonly type: string;
  readonly name?: RegExp;
}

const selects = (s: Selector, r: PlannedResource): boolean => r.type === s.type && (s.name?.test(r.name) ?? true);

export interface DependencyRule {
  /** Why, in AWS's terms: what goes wrong on a first `pulumi up` without the edge. */
  readonly why: string;
  readonly resource: Selector;
  readonly mustWaitFor: Selector;
  /** Narrows the needed resources to the ones this resource really uses (default: every match). */
  readonly matching?: (resource: PlannedResource, candidate: PlannedResource, graph: Graph) => boolean;
  /** The stack may have none of the needed kind (e.g. no VPC endpoints in dev). */
  readonly optional?: boolean;
}

export interface Violation {
  readonly rule: DependencyRule;
  readonly resource: string;
  /** Empty when the resource found nothing it needs at all (and the rule is not optional). */
  readonly missing: readonly string[];
}

export function checkRules(graph: Graph, rules: readonly DependencyRule[]): Violation[] {
  const violations: Violation[] = [];
  for (const rule of rules) {
    for (const r of graph.resources.filter((x) => selects(rule.resource, x))) {
      const needed = graph.resources.filter((c) => c !== r && selects(rule.mustWaitFor, c) && (rule.matching?.(r, c, graph) ?? true));
      if (needed.length === 0) {
        if (!rule.optional) violations.push({ rule, resource: keyOf(r), missing: [] });
        continue;
      }
      const waits = graph.waitsFor(keyOf(r));
      const missing = needed.map(keyOf).filter((k) => !waits.has(k));
      if (missing.length > 0) violations.push({ rule, resource: keyOf(r), missing });
    }
  }
  return violations;
}

export const describeViolation = (v: Violation): string =>
  v.missing.length === 0
    ? `${v.resource} needs a ${v.rule.mustWaitFor.type} and the stack has none it could wait for (${v.rule.why})`
    : `${v.resource} does not wait for ${v.missing.join(', ')} (${v.rule.why})`;

/** The graph without one edge: what the program would send if that `dependsOn` (or input) were removed. */
export function withoutEdge(graph: Graph, from: string, to: string): Graph {
  return buildGraph(
    graph.resources.map((r) =>
      keyOf(r) !== from
        ? r
        : {
            ...r,
            dependsOn: (r.dependsOn ?? []).filter((urn) => keyOfUrn(urn) !== to),
          },
    ),
  );
}

/** The graph where nothing waits for `key`. */
export function withoutDependents(graph: Graph, key: string): Graph {
  return buildGraph(graph.resources.map((r) => ({ ...r, dependsOn: (r.dependsOn ?? []).filter((urn) => keyOfUrn(urn) !== key) })));
}

/** The roles a resource uses (direct dependencies of type Role). */
export const rolesOf = (graph: Graph, r: PlannedResource): string[] =>
  [...(graph.direct.get(keyOf(r)) ?? [])].filter((k) => k.startsWith('aws:iam/role:Role::'));

/** A policy or attachment of one of the roles `r` uses. */
export const isPolicyOfItsRole = (r: PlannedResource, candidate: PlannedResource, graph: Graph): boolean => {
  const roles = new Set(rolesOf(graph, r));
  return [...(graph.direct.get(keyOf(candidate)) ?? [])].some((k) => roles.has(k));
};
