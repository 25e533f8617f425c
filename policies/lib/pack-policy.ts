/**
 * What every rule of the pack carries besides Pulumi's own fields: which family it belongs to
 * (the guide's limits or the security baseline). The README table and the offline report group by it.
 */
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';

export type Category = 'guide' | 'security';

interface Metadata {
  /** Why the rule exists, in a sentence or two: Pulumi prints it above every violation. */
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly tags: [Category];
}

export type PackResourcePolicy = ResourceValidationPolicy & Metadata;
export type PackStackPolicy = StackValidationPolicy & Metadata;
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

export const isStackPolicy = (p: PackPolicy): p is PackStackPolicy => 'validateStack' in p;

/** A resource's name in messages: its AWS name when it has one, else its Pulumi name. */
export const displayName = (props: { name?: unknown }, logicalName: string): string =>
  typeof props.name === 'string' && props.name !== '' ? props.name : logicalName;

/** A policy's config defaults, from its schema. */
export const schemaDefaults = (p: PackPolicy): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(p.configSchema?.properties ?? {}).flatMap(([k, s]) => (s.default === undefined ? [] : [[k, s.default]])),
  );

type AnyValidation = ((args: any, report: any) => unknown) & { __pulumiType?: string };

/**
 * The policy, with `getConfig()` answering its schema's defaults under whatever the analyzer was
 * configured with: an analyzer never configured (an older CLI, a direct call) answers `{}`, and a
 * rule must then behave as with its defaults rather than crash or check nothing. Typed
 * validations keep their type, which the analyzer uses to skip other resources.
 */
export function withConfigDefaults<P extends PackPolicy>(policy: P): P {
  const defaults = schemaDefaults(policy);
  if (Object.keys(defaults).length === 0) return policy;
  const withDefaults = <A extends { getConfig<T extends object>(): T }>(a: A): A => ({
    ...a,
    getConfig: () => ({ ...defaults, ...a.getConfig<object>() }),
  });
  if (isStackPolicy(policy)) return { ...policy, validateStack: (a, report) => policy.validateStack(withDefaults(a), report) };
  const wrap = (v: AnyValidation): AnyValidation =>
    Object.assign((a: any, report: any) => v(withDefaults(a), report), v.__pulumiType ? { __pulumiType: v.__pulumiType } : {});
  const given = (policy as PackResourcePolicy).validateResource as AnyValidation | AnyValidation[];
  return { ...policy, validateResource: Array.isArray(given) ? given.map(wrap) : wrap(given) };
}
