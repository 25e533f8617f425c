/**
 * Runs the mutation suite: the prod stack is captured once per mode (at `up`, and as a first
 * `pulumi preview`), then every mutation of the catalog is applied to a copy of the captured
 * inputs and the whole pack runs over it with prod's policy config. A mutation is caught when the
 * pack reports a mandatory violation that the unmutated stack does not have. At preview, a
 * mutation whose target is unknown there (a document built from values AWS assigns at creation)
 * cannot be written, and is reported as not applicable rather than caught or missed.
 */
import type { PolicyPackConfig } from '@pulumi/policy';
import type { CapturedStack } from '../lib/capture';
import { runPolicies, type Violation } from '../lib/engine';
import type { PackPolicy } from '../lib/pack-policy';
import { CATEGORIES, MUTATIONS, type Category, type Mutation } from './catalog';
import { StackUnderMutation, TargetUnknown } from './target';

export type Mode = 'up' | 'preview';

export interface MutationResult {
  readonly id: string;
  readonly category: Category;
  readonly description: string;
  readonly outcome: 'caught' | 'missed' | 'not-applicable';
  /** The policies whose new mandatory violations caught it. */
  readonly caughtBy: string[];
}

export interface Tally {
  readonly caught: number;
  /** Mutations that applied in this mode (caught + missed). */
  readonly applicable: number;
  readonly notApplicable: number;
  /** caught / applicable, in percent. */
  readonly percent: number;
}

export interface ModeReport {
  readonly mode: Mode;
  readonly overall: Tally;
  readonly byCategory: Record<Category, Tally>;
  readonly results: MutationResult[];
  readonly missed: string[];
}

const key = (v: Violation): string => `${v.policyName}|${v.resource?.urn ?? ''}|${v.message}`;
const mandatoryKeys = (vs: readonly Violation[]): Set<string> => new Set(vs.filter((v) => v.enforcementLevel === 'mandatory').map(key));

function tally(results: readonly MutationResult[]): Tally {
  const caught = results.filter((r) => r.outcome === 'caught').length;
  const applicable = results.filter((r) => r.outcome !== 'not-applicable').length;
  return {
    caught,
    applicable,
    notApplicable: results.length - applicable,
    percent: applicable ? Math.round((1000 * caught) / applicable) / 10 : 0,
  };
}

/** One mode of the suite over a captured stack. */
export async function runMutations(
  mode: Mode,
  stack: CapturedStack,
  policies: readonly PackPolicy[],
  config: PolicyPackConfig,
  mutations: readonly Mutation[] = MUTATIONS,
): Promise<ModeReport> {
  const baseline = mandatoryKeys(await runPolicies(policies, stack.resources, config));
  const results: MutationResult[] = [];
  for (const m of mutations) {
    const target = new StackUnderMutation(stack.resources);
    try {
      m.apply(target);
    } catch (e) {
      if (!(e instanceof TargetUnknown) || mode !== 'preview')
        throw new Error(`Mutation ${m.id} could not be applied: ${(e as Error).message}`);
      results.push({ id: m.id, category: m.category, description: m.description, outcome: 'not-applicable', caughtBy: [] });
      continue;
    }
    const found = (await runPolicies(policies, target.resources, config)).filter(
      (v) => v.enforcementLevel === 'mandatory' && !baseline.has(key(v)),
    );
    const caughtBy = [...new Set(found.map((v) => v.policyName))];
    results.push({ id: m.id, category: m.category, description: m.description, outcome: caughtBy.length ? 'caught' : 'missed', caughtBy });
  }
  const byCategory = Object.fromEntries(
    (Object.keys(CATEGORIES) as Category[]).map((c) => [c, tally(results.filter((r) => r.category === c))]),
  ) as Record<Category, Tally>;
  return { mode, overall: tally(results), byCategory, results, missed: results.filter((r) => r.outcome === 'missed').map((r) => r.id) };
}
