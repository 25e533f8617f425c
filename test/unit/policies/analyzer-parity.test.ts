/**
 * The offline engine against the pack as the Pulumi CLI runs it (policies/index.ts serving
 * @pulumi/policy's gRPC analyzer, helpers/analyzer.ts): over the captured prod stack, at `up` and
 * as a first preview, and over a sample of the mutation suite, both report the same violations,
 * with the same levels, on the same resources; at preview neither has a policy that cannot run.
 */
import type { PolicyPackConfig } from '@pulumi/policy';
import { captureStack, type CapturedStack } from '../../../policies/lib/capture';
import { packVersion } from '../../../policies/lib/cli';
import { runPolicies, type CheckedResource } from '../../../policies/lib/engine';
import { loadPackConfig } from '../../../policies/lib/pack-config';
import { CATEGORIES, MUTATIONS } from '../../../policies/mutations/catalog';
import { StackUnderMutation, TargetUnknown } from '../../../policies/mutations/target';
import { PACK, POLICIES } from '../../../policies/rules';
import { Analyzer, type Diagnostic } from './helpers/analyzer';

const key = (d: Diagnostic): string => `${d.enforcementLevel} ${d.policyName} ${d.urn}: ${d.message}`;

async function offline(resources: readonly CheckedResource[], config: PolicyPackConfig): Promise<string[]> {
  const found = await runPolicies(POLICIES, resources, config, { name: PACK.name, version: packVersion() });
  return found
    .map((v) => key({ policyName: v.policyName, enforcementLevel: v.enforcementLevel, message: v.message, urn: v.resource?.urn ?? '' }))
    .sort();
}

/** The first mutation of each category: violations of every kind of rule. */
const SAMPLE = Object.keys(CATEGORIES).map((c) => MUTATIONS.find((m) => m.category === c)!);

let analyzer: Analyzer;
const config = loadPackConfig('prod', POLICIES);
beforeAll(async () => {
  analyzer = await Analyzer.start();
  await analyzer.configure(config);
});
afterAll(() => analyzer?.stop());

describe.each(['up', 'preview'] as const)("the offline engine and the CLI's analyzer on prod at %s", (mode) => {
  let stack: CapturedStack;
  beforeAll(async () => {
    stack = await captureStack('prod', { preview: mode === 'preview' });
  });

  it('report the same violations over the stack', async () => {
    const cli = (await analyzer.analyze(stack.resources)).map(key).sort();
    expect(cli).toEqual(await offline(stack.resources, config));
    expect(cli.filter((d) => d.includes('during preview'))).toEqual([]);
  });

  it.each(SAMPLE.map((m) => [m.id, m] as const))('report the same violations after mutation %s', async (_, m) => {
    const s = new StackUnderMutation(stack.resources);
    try {
      m.apply(s);
    } catch (e) {
      if (e instanceof TargetUnknown) return;
      throw e;
    }
    const cli = (await analyzer.analyze(s.resources)).map(key).sort();
    expect(cli.some((d) => d.startsWith('mandatory'))).toBe(true);
    expect(cli).toEqual(await offline(s.resources, config));
  });
});
