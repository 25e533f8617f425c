/**
 * The real program, dev and prod, under mocks with their Pulumi.<stack>.yaml, checked by the whole
 * pack with their policy config: what `npm run policy -- --stack <s>` does, one program run per
 * stack for the file.
 */
import { captureStack, type CapturedStack } from '../../../policies/lib/capture';
import { runPolicyCli } from '../../../policies/lib/cli';
import { runPolicies } from '../../../policies/lib/engine';
import { loadPackConfig } from '../../../policies/lib/pack-config';
import { isStackPolicy, type PackResourcePolicy } from '../../../policies/lib/pack-policy';
import { POLICIES, policyNamed } from '../../../policies/rules';

const STACKS = ['dev', 'prod'] as const;
type Stack = (typeof STACKS)[number];

let captured: Promise<Record<Stack, CapturedStack>> | undefined;
/** Both stacks, captured once for the file (sequentially: Pulumi's runtime state is global). */
const stacks = () => (captured ??= (async () => ({ dev: await captureStack('dev'), prod: await captureStack('prod') }))());
const check = async (stack: Stack) => runPolicies(POLICIES, (await stacks())[stack].resources, loadPackConfig(stack, POLICIES));

describe.each(STACKS)('stack %s', (stack) => {
  it('passes every mandatory policy of the pack', async () => {
    const mandatory = (await check(stack)).filter((v) => v.enforcementLevel === 'mandatory');
    expect(mandatory.map((v) => `${v.policyName} (${v.resource?.name ?? 'stack'}): ${v.message}`)).toEqual([]);
  });

  it('exits 0 from the offline run and prints the pack as passing', async () => {
    const out: string[] = [];
    const code = await runPolicyCli(['--stack', stack], { log: (t) => out.push(t), error: (t) => out.push(t) }, async (s) => (await stacks())[s as Stack]);
    expect(out.join('\n')).toMatch(new RegExp(`Stack ${stack} passes\\.$`));
    expect(code).toBe(0);
  });

  it('gives every resource a URN, and stack policies the outputs the mocks returned', async () => {
    const { resources } = (await stacks())[stack];
    const fn = resources.find((r) => r.type === 'aws:lambda/function:Function')!;
    expect(fn.urn).toMatch(new RegExp(`^urn:pulumi:${stack}::async-ai-pipeline::.*aws:lambda/function:Function::`));
    expect(fn.outputs.arn).toMatch(/^arn:aws:lambda:/);
    expect(fn.inputs.arn).toBeUndefined();
    expect(fn.parent).toMatch(/async-ai-pipeline:infra:Functions::functions$/);
  });
});

describe('guide-alarms-exist on the real prod stack', () => {
  it('fails when the error-rate alarm is missing', async () => {
    const { resources } = (await stacks()).prod;
    const withoutErrorRate = resources.filter((r) => r.outputs.tags?.runbookSection !== 'error-rate');
    expect(withoutErrorRate.length).toBe(resources.length - 1);
    const found = await runPolicies([policyNamed('guide-alarms-exist')], withoutErrorRate);
    expect(found.map((v) => v.message)).toEqual([
      'No alarm implements the guide\'s エラー率アラート (エラー率 > 5% (5分間)): expected a CloudWatch alarm tagged runbookSection=error-rate.',
    ]);
  });
});

describe('coverage of the real stacks', () => {
  /** Resource policies none of whose resource types either stack has: they guard only future resources. */
  it('leaves only the expected rules without a resource to check', async () => {
    const { dev, prod } = await stacks();
    const types = new Set([...dev.resources, ...prod.resources].map((r) => r.type));
    const idle = POLICIES.filter((p) => !isStackPolicy(p)).filter((p) => {
      const validations = [(p as PackResourcePolicy).validateResource].flat() as { __pulumiType?: string }[];
      return !validations.some((v) => v.__pulumiType && types.has(v.__pulumiType));
    });
    expect(idle.map((p) => p.name)).toEqual(['s3-encryption']);
  });
});
