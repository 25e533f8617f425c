/**
 * Runs the pack's policies over captured resources the way the Pulumi CLI's analyzer calls them
 * (@pulumi/policy's server): resource policies get each resource's inputs, stack policies get every
 * resource's outputs, their options (`protect`, the parent) and, for stack policies, what each
 * resource depends on; enforcement levels and `getConfig()` come from the pack config (schema
 * defaults, then the stack's config file); `notApplicable()` skips. No gRPC server is started.
 *
 * Values unknown during a preview are the analyzer's sentinels (see capture.ts), and props are
 * wrapped in its own unknown-checking proxy: a policy that reads one is reported as the CLI reports
 * it, an advisory "can't run policy ... during preview", whatever its enforcement level.
 */
import type {
  EnforcementLevel,
  PolicyPackConfig,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  StackValidationArgs,
} from '@pulumi/policy';
import { UnknownValueError, unknownCheckingProxy } from '@pulumi/policy';
import { isStackPolicy, schemaDefaults, type PackPolicy } from './pack-policy';

export interface CheckedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: Record<string, any>;
  readonly outputs: Record<string, any>;
  readonly parent?: string;
  /** The `protect` option. @default false */
  readonly protect?: boolean;
  /** URNs of the resources it depends on (`dependsOn` and where its inputs come from). */
  readonly dependencies?: readonly string[];
  /** Per input property, the URNs its value comes from. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** The pack as the analyzer names it in "can't run policy" messages. */
export interface PackId {
  readonly name: string;
  readonly version: string;
}

export interface Violation {
  readonly policyName: string;
  readonly description: string;
  readonly enforcementLevel: 'advisory' | 'mandatory';
  /** What the policy reported (Pulumi prints it under the description). */
  readonly message: string;
  /** The resource at fault; absent for a violation of the stack as a whole. */
  readonly resource?: { readonly type: string; readonly name: string; readonly urn: string };
  /** The policy read a value unknown during the preview, so it did not run (always advisory). */
  readonly cannotRunDuringPreview?: true;
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
  const defaults = schemaDefaults(policy);
  const entry = config[policy.name];
  const { enforcementLevel: _, ...props } = typeof entry === 'object' ? entry : {};
  return { ...defaults, ...props };
}

const isTypeOf =
  (type: string) =>
  (resourceClass: unknown): boolean =>
    (resourceClass as { __pulumiType?: string }).__pulumiType === type ||
    (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance?.({ __pulumiType: type }) === true;

/** The options the analyzer passes (PolicyResourceOptions). */
const optionsOf = (r: CheckedResource) => ({
  protect: r.protect ?? false,
  ignoreChanges: [],
  aliases: [],
  additionalSecretOutputs: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  ...(r.parent ? { parent: r.parent } : {}),
});

/** The argument bag a resource validation gets from the analyzer. */
export function resourceArgs(r: CheckedResource, policyConfig: Record<string, unknown>): ResourceValidationArgs {
  const props = unknownCheckingProxy(r.inputs);
  return {
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: optionsOf(r),
    stackTags: new Map(),
    isType: isTypeOf(r.type),
    asType: ((cls: unknown) => (isTypeOf(r.type)(cls) ? props : undefined)) as ResourceValidationArgs['asType'],
    getConfig: <T extends object>() => policyConfig as T,
    notApplicable,
  };
}

/** The argument bag a stack validation gets: every resource's outputs, parents and dependencies linked. */
export function stackArgs(resources: readonly CheckedResource[], policyConfig: Record<string, unknown>): StackValidationArgs {
  const byUrn = new Map<string, PolicyResource>();
  const list = resources.map((r) => {
    const props = unknownCheckingProxy(r.outputs);
    const p: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: isTypeOf(r.type),
      asType: ((cls: unknown) => (isTypeOf(r.type)(cls) ? props : undefined)) as PolicyResource['asType'],
    };
    byUrn.set(r.urn, p);
    return p;
  });
  // As the analyzer does: references to resources it was not given are dropped.
  const linked = (urns: readonly string[] | undefined) => (urns ?? []).flatMap((u) => (byUrn.has(u) ? [byUrn.get(u)!] : []));
  list.forEach((p, i) => {
    const r = resources[i]!;
    if (r.parent && byUrn.has(r.parent)) p.parent = byUrn.get(r.parent);
    p.dependencies = linked(r.dependencies);
    p.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) => [k, linked(urns)]));
  });
  return { resources: list, stackTags: new Map(), getConfig: <T extends object>() => policyConfig as T, notApplicable };
}

/**
 * Calls a validation. `notApplicable()` counts as no violation; a read of a value unknown during
 * the preview returns its message (reported as the analyzer does); anything else propagates.
 */
async function call(run: () => void | Promise<void>): Promise<string | undefined> {
  try {
    await run();
  } catch (e) {
    if (e instanceof UnknownValueError) return (e as Error).message;
    if (!(e instanceof NotApplicable)) throw e;
  }
  return undefined;
}

const DEFAULT_PACK: PackId = { name: 'policies', version: '0.0.0' };

/** Every violation of the enabled policies over a stack's resources, policies in pack order. */
export async function runPolicies(
  policies: readonly PackPolicy[],
  resources: readonly CheckedResource[],
  config: PolicyPackConfig = {},
  pack: PackId = DEFAULT_PACK,
): Promise<Violation[]> {
  const out: Violation[] = [];
  // Stack policies all see the same resources; only getConfig differs.
  let stack: StackValidationArgs | undefined;
  for (const policy of policies) {
    const level = enforcementOf(policy, config);
    if (level === 'disabled') continue;
    const enforcementLevel = level === 'advisory' ? 'advisory' : 'mandatory';
    const policyConfig = configOf(policy, config);
    const base = { policyName: policy.name, description: policy.description, enforcementLevel } as const;
    const cannotRun = (reason: string, r?: CheckedResource): Violation => ({
      ...base,
      enforcementLevel: 'advisory',
      cannotRunDuringPreview: true,
      message: `can't run policy '${policy.name}' from policy pack '${pack.name}@v${pack.version}' during preview: ${reason}`,
      ...(r ? { resource: { type: r.type, name: r.name, urn: r.urn } } : {}),
    });
    if (isStackPolicy(policy)) {
      stack ??= stackArgs(resources, {});
      const args: StackValidationArgs = { ...stack, getConfig: <T extends object>() => policyConfig as T };
      const byUrn = new Map(resources.map((r) => [r.urn, r]));
      const found: Violation[] = [];
      const report: ReportViolation = (message, urn) => {
        const r = urn ? byUrn.get(urn) : undefined;
        found.push({ ...base, message, ...(r ? { resource: { type: r.type, name: r.name, urn: r.urn } } : {}) });
      };
      const unknown = await call(() => policy.validateStack(args, report));
      // Like the analyzer: what was reported before the unknown read still counts.
      out.push(...found, ...(unknown === undefined ? [] : [cannotRun(unknown)]));
      continue;
    }
    const validations = Array.isArray(policy.validateResource)
      ? policy.validateResource
      : policy.validateResource
        ? [policy.validateResource]
        : [];
    for (const r of resources) {
      const report: ReportViolation = (message) => out.push({ ...base, message, resource: { type: r.type, name: r.name, urn: r.urn } });
      for (const validate of validations) {
        // The analyzer's fast path: a validation typed for another resource type is not applicable.
        const typed = (validate as { __pulumiType?: string }).__pulumiType;
        if (typed !== undefined && typed !== r.type) continue;
        const unknown = await call(() => validate(resourceArgs(r, policyConfig), report));
        if (unknown !== undefined) out.push(cannotRun(unknown, r));
      }
    }
  }
  return out;
}
