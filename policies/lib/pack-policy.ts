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
