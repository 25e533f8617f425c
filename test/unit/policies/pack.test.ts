/** The pack as a whole: rule metadata, per-stack config, the engine's analyzer semantics, the README table. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyPackConfig } from '@pulumi/policy';
import { configOf, enforcementOf, resourceArgs, runPolicies, stackArgs } from '../../../policies/lib/engine';
import { configProblems, loadPackConfig } from '../../../policies/lib/pack-config';
import { isStackPolicy, type PackPolicy, type PackResourcePolicy } from '../../../policies/lib/pack-policy';
import { generatedRulesTable } from '../../../policies/lib/cli';
import { POLICIES, policyNamed } from '../../../policies/rules';
import { T, lambdaFunction } from './helpers/happy-path';
import { resource } from './helpers/policy-harness';

const ROOT = join(__dirname, '..', '..', '..');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

describe('rule metadata', () => {
  it.each(POLICIES.map((p) => [p.name, p] as const))('%s has a kebab-case name, a why, a level, a family and a check', (_, p) => {
    expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(p.description.length).toBeGreaterThan(40);
    expect(['mandatory', 'advisory']).toContain(p.enforcementLevel);
    expect(['guide', 'security']).toContain(p.tags[0]);
    expect(isStackPolicy(p) || p.validateResource !== undefined).toBe(true);
  });

  it('has unique names', () => {
    expect(new Set(POLICIES.map((p) => p.name)).size).toBe(POLICIES.length);
  });

  it('has a test for every rule (a describe named after it)', () => {
    const tests = filesUnder(__dirname)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const untested = POLICIES.map((p) => p.name).filter((n) => !new RegExp(`describe\\('[^']*\\b${n}\\b`).test(tests));
    expect(untested).toEqual([]);
  });

  it('constructs the PolicyPack in policies/index.ts only (it starts a gRPC server)', () => {
    const constructing = [...filesUnder(join(ROOT, 'policies')), ...filesUnder(__dirname)].filter(
      (f) => f.endsWith('.ts') && /new PolicyPack\(/.test(readFileSync(f, 'utf8')),
    );
    expect(constructing).toEqual([join(ROOT, 'policies', 'index.ts')]);
  });
});

describe('per-stack config', () => {
  const rank = { disabled: 0, advisory: 1, remediate: 2, mandatory: 2 } as const;

  it.each(['dev', 'prod'])('policies/config/%s.json names only policies and settings of the pack', (stack) => {
    expect(() => loadPackConfig(stack, POLICIES)).not.toThrow();
  });

  it('makes prod at least as strict as dev everywhere, and stricter somewhere', () => {
    const [dev, prod] = [loadPackConfig('dev', POLICIES), loadPackConfig('prod', POLICIES)];
    const looser = POLICIES.filter((p) => rank[enforcementOf(p, prod)] < rank[enforcementOf(p, dev)]);
    expect(looser.map((p) => p.name)).toEqual([]);
    const differs = POLICIES.filter(
      (p) => JSON.stringify([enforcementOf(p, dev), configOf(p, dev)]) !== JSON.stringify([enforcementOf(p, prod), configOf(p, prod)]),
    );
    expect(differs.map((p) => p.name)).toEqual(expect.arrayContaining(['deletion-protection', 'lambda-reserved-concurrency']));
  });

  it('reports typos the way the CLI would refuse them', () => {
    const bad = {
      'no-such-rule': 'mandatory',
      'lambda-reserved-concurrency': { minimumLevel: 'max', extra: 1 },
      'secrets-rotation': { maxRotationDays: '30' },
      'aurora-encrypted': { enforcementLevel: 'strict' },
    } as unknown as PolicyPackConfig;
    expect(configProblems(bad, POLICIES)).toEqual([
      '"no-such-rule" is not a policy of the pack',
      'lambda-reserved-concurrency.minimumLevel: "max" is not one of none, current, target',
      'lambda-reserved-concurrency: "extra" is not a setting of this policy',
      'secrets-rotation.maxRotationDays: "30" is not of type integer',
      'aurora-encrypted: enforcementLevel "strict" is not one of advisory, mandatory, remediate, disabled',
    ]);
  });
});

describe("engine (the analyzer's semantics)", () => {
  const policy: PackPolicy = policyNamed('lambda-guide-sizes');
  const bad = resource(T.function, { ...lambdaFunction(), memorySize: 128 });

  it("takes the level from the policy's entry, then `all`, then the policy", () => {
    expect(enforcementOf(policy, {})).toBe('mandatory');
    expect(enforcementOf(policy, { all: 'advisory' })).toBe('advisory');
    expect(enforcementOf(policy, { all: 'advisory', 'lambda-guide-sizes': 'disabled' })).toBe('disabled');
  });

  it("gives getConfig() the schema defaults overridden by the stack's settings", () => {
    const reserved = policyNamed('lambda-reserved-concurrency');
    expect(configOf(reserved, {})).toEqual({ minimumLevel: 'current' });
    expect(configOf(reserved, { 'lambda-reserved-concurrency': { enforcementLevel: 'advisory', minimumLevel: 'none' } })).toEqual({
      minimumLevel: 'none',
    });
  });

  it('reports with the configured level, skips disabled policies and resources of other types', async () => {
    const other = resource(T.logGroup, { name: 'x', retentionInDays: 30 });
    const [v] = await runPolicies([policy], [bad, other], { 'lambda-guide-sizes': 'advisory' });
    expect(v).toMatchObject({
      policyName: 'lambda-guide-sizes',
      enforcementLevel: 'advisory',
      resource: { type: T.function, name: bad.name },
    });
    expect(await runPolicies([policy], [bad], { 'lambda-guide-sizes': 'disabled' })).toEqual([]);
  });
});

describe('rules without configuration', () => {
  it('behave as with their defaults when the analyzer was never configured (getConfig() answers {})', async () => {
    const configured = POLICIES.filter((p) => p.configSchema);
    expect(configured.length).toBeGreaterThan(5);
    const unconfigured = (r: ReturnType<typeof resource>) => stackArgs([r], {});
    for (const p of configured) {
      if (isStackPolicy(p)) await p.validateStack(unconfigured(resource(T.function, lambdaFunction())), () => undefined);
    }
    // Resource policies: a violating resource reports the same with {} as with the defaults.
    const fn = resource(T.function, {
      ...lambdaFunction(),
      reservedConcurrentExecutions: 5,
      environment: { variables: { LOG_LEVEL: 'DEBUG' } },
    });
    for (const name of ['lambda-reserved-concurrency', 'lambda-log-level']) {
      const p = policyNamed(name) as PackResourcePolicy;
      const messages: string[] = [];
      const args = { ...resourceArgs(fn, {}), getConfig: () => ({}) };
      for (const v of [p.validateResource].flat()) await v!(args as never, (m) => messages.push(String(m)));
      expect(messages).toEqual((await runPolicies([p], [fn])).map((v) => v.message));
      expect(messages).not.toEqual([]);
    }
  });
});

describe('README', () => {
  it('lists every rule in the table generated from the rules and the stack configs', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(generatedRulesTable());
    expect(readme).toContain(`policy pack of\n${POLICIES.length} rules`);
  });
});
