/**
 * Runs the pack's policies over captured resources the way the Pulumi CLI's analyzer calls them
 * (@pulumi/policy's server): resource policies get each resource's inputs, stack policies get every
 * resource's outputs; enforcement levels and `getConfig()` come from the pack config (schema
 * defaults, then the stack's config file); `notApplicable()` skips. No gRPC server is started.
 */
import type { EnforcementLevel, PolicyPackConfig, PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from '@pulumi/policy';
import { isStackPolicy, type PackPolicy } from './pack-policy';

export interface CheckedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: Record<string, any>;
  readonly outputs: Record<string, any>;
  readonly parent?: string;
}

export interface Violation {
  readonly policyName: string;
  readonly description: string;
  readonly enforcementLevel: 'advisory' | 'mandatory';
  /** What the policy reported (Pulumi prints it under the description). */
  readonly message: string;
  /** The resource at fault; absent for a violation of the stack as a whole. */
  readonly resource?: { readonly type: string; readonly name: string; readonly urn: string };
}

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/** Pulumi's order: the policy's entry in the config, then `all`, then the policy's own level. */
export function enforcementOf(policy: PackPolicy, config: PolicyPackConfig = {}): EnforcementLevel {
  const level = (c: PolicyPackConfig[string] | undefined) => (typeof c === 'string' ? c : c?.enforcementLevel);
  return level(config[policy.name]) ?? level(config.all) ?? policy.enforcementLevel;
}

/** The policy's config: its schema's defaults, overridden by the pack config's properties. */
export function configOf(policy: PackPolicy, config: PolicyPackConfig = {}): Record<string, unknown> {
  const defaults = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).flatMap(([k, s]) => (s.default === undefined ? [] : [[k, s.default]])));
  const entry = config[policy.name];
  const { enforcementLevel: _, ...props } = typeof entry === 'object' ? entry : {};
  return { ...defaults, ...props };
}

const isTypeOf = (type: string) => (resourceClass: unknown): boolean =>
  (resourceClass as { __pulumiType?: string }).__pulumiType === type ||
  (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance?.({ __pulumiType: type }) === true;

const OPTS = (parent?: string) => ({
  protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, ...(parent ? { parent } : {}),
});

/** The argument bag a resource validation gets from the analyzer. */
export function resourceArgs(r: CheckedResource, policyConfig: Record<string, unknown>): ResourceValidationArgs {
  return {
    type: r.type, props: r.inputs, urn: r.urn, name: r.name, opts: OPTS(r.parent), stackTags: new Map(),
    isType: isTypeOf(r.type),
    asType: ((cls: unknown) => (isTypeOf(r.type)(cls) ? r.inputs : undefined)) as ResourceValidationArgs['asType'],
    getConfig: <T extends object>() => policyConfig as T,
    notApplicable,
  };
}

/** The argument bag a stack validation gets: every resource's outputs, parents linked. */
export function stackArgs(resources: readonly CheckedResource[], policyConfig: Record<string, unknown>): StackValidationArgs {
  const byUrn = new Map<string, PolicyResource>();
  const list = resources.map((r) => {
    const p: PolicyResource = {
      type: r.type, props: r.outputs, urn: r.urn, name: r.name, opts: OPTS(r.parent), dependencies: [], propertyDependencies: {},
      isType: isTypeOf(r.type),
      asType: ((cls: unknown) => (isTypeOf(r.type)(cls) ? r.outputs : undefined)) as PolicyResource['asType'],
    };
    byUrn.set(r.urn, p);
    return p;
  });
  list.forEach((p, i) => {
    const parent = resources[i]!.parent;
    if (parent && byUrn.has(parent)) p.parent = byUrn.get(parent);
  });
  return { resources: list, stackTags: new Map(), getConfig: <T extends object>() => policyConfig as T, notApplicable };
}

/** Calls a validation; a `notApplicable()` counts as no violation, anything else propagates. */
async function call(run: () => void | Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
  }
}

/** Every violation of the enabled policies over a stack's resources, policies in pack order. */
export async function runPolicies(policies: readonly PackPolicy[], resources: readonly CheckedResource[], config: PolicyPackConfig = {}): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const policy of policies) {
    const level = enforcementOf(policy, config);
    if (level === 'disabled') continue;
    const enforcementLevel = level === 'advisory' ? 'advisory' : 'mandatory';
    const policyConfig = configOf(policy, config);
    const base = { policyName: policy.name, description: policy.description, enforcementLevel } as const;
    if (isStackPolicy(policy)) {
      const args = stackArgs(resources, policyConfig);
      const byUrn = new Map(resources.map((r) => [r.urn, r]));
      const report: ReportViolation = (message, urn) => {
        const r = urn ? byUrn.get(urn) : undefined;
        out.push({ ...base, message, ...(r ? { resource: { type: r.type, name: r.name, urn: r.urn } } : {}) });
      };
      await call(() => policy.validateStack(args, report));
      continue;
    }
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
    for (const r of resources) {
      const report: ReportViolation = (message) => out.push({ ...base, message, resource: { type: r.type, name: r.name, urn: r.urn } });
      for (const validate of validations) await call(() => validate(resourceArgs(r, policyConfig), report));
    }
  }
  return out;
}
