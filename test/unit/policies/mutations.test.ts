/**
 * The mutation suite (`npm run policy -- --mutations`): at least 80 realistic misconfigurations of
 * prod, across every category, each caught by a mandatory violation in at least 95 % of cases at
 * `up` and at a first preview; the committed results are what the suite reports today.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureStack } from '../../../policies/lib/capture';
import { loadPackConfig } from '../../../policies/lib/pack-config';
import { POLICIES } from '../../../policies/rules';
import { CATEGORIES, MUTATIONS, type Category } from '../../../policies/mutations/catalog';
import {
  COMMAND,
  RESULTS_JSON,
  RESULTS_MD,
  TARGET_PERCENT,
  formatJson,
  formatMarkdown,
  type SuiteReport,
} from '../../../policies/mutations/report';
import { runMutations, type ModeReport } from '../../../policies/mutations/run';
import { StackUnderMutation, TargetUnknown } from '../../../policies/mutations/target';

let suite: Promise<SuiteReport> | undefined;
const report = () =>
  (suite ??= (async () => {
    const config = loadPackConfig('prod', POLICIES);
    const modes: ModeReport[] = [];
    for (const mode of ['up', 'preview'] as const)
      modes.push(await runMutations(mode, await captureStack('prod', { preview: mode === 'preview' }), POLICIES, config));
    return { stack: 'prod', command: COMMAND, targetPercent: TARGET_PERCENT, modes };
  })());

describe('the mutation catalog', () => {
  it('has at least 80 mutations with unique ids and one-line descriptions, in every category', () => {
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(80);
    expect(new Set(MUTATIONS.map((m) => m.id)).size).toBe(MUTATIONS.length);
    for (const m of MUTATIONS) expect(m.description).toMatch(/^[^\n]{20,200}$/);
    const perCategory = (Object.keys(CATEGORIES) as Category[]).map((c) => [c, MUTATIONS.filter((m) => m.category === c).length] as const);
    expect(perCategory.filter(([, n]) => n < 5)).toEqual([]);
  });
});

describe.each(['up', 'preview'] as const)('the mutation suite at %s', (mode) => {
  const of = async () => (await report()).modes.find((m) => m.mode === mode)!;

  it(`catches at least ${TARGET_PERCENT} % of the misconfigurations with a mandatory violation on prod`, async () => {
    const m = await of();
    // The misses, by id, make the failure readable.
    expect({ percent: m.overall.percent >= TARGET_PERCENT, missed: m.missed }).toEqual({ percent: true, missed: expect.any(Array) });
    expect(m.overall.applicable).toBeGreaterThanOrEqual(80);
  });

  it('leaves out only mutations whose target is unknown there (at preview), never one it could apply', async () => {
    const m = await of();
    const na = m.results.filter((r) => r.outcome === 'not-applicable').map((r) => r.id);
    if (mode === 'up') expect(na).toEqual([]);
    else expect(na.length).toBeLessThanOrEqual(MUTATIONS.length * 0.05);
  });
});

describe('the committed results', () => {
  it(`are what the suite reports (regenerate: ${COMMAND})`, async () => {
    const r = await report();
    expect(readFileSync(RESULTS_JSON, 'utf8')).toBe(formatJson(r));
    expect(readFileSync(RESULTS_MD, 'utf8')).toBe(formatMarkdown(r));
  });
});

describe('the README', () => {
  it("shows the suite's figures", async () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const [up, preview] = (await report()).modes.map((m) => `${m.overall.caught}/${m.overall.applicable} (${m.overall.percent} %)`);
    expect(readme).toContain(`Today: ${up} at \`up\`, ${preview} at preview`);
    expect(readme).toContain(`applies ${MUTATIONS.length} realistic misconfigurations`);
  });
});

describe('StackUnderMutation', () => {
  it('refuses to write through a value unknown at preview, and leaves the captured stack untouched', async () => {
    const captured = await captureStack('prod', { preview: true });
    const s = new StackUnderMutation(captured.resources);
    const policy = s.one('aws:iam/rolePolicy:RolePolicy', 'the lambda role policy', (p) => p.name === 'AsyncProcessingLambdaRole');
    expect(() => s.editDocument(policy, 'policy', () => undefined)).toThrow(TargetUnknown);
    s.set(s.one('aws:lambda/function:Function', 'a function'), 'memorySize', 1);
    expect(captured.resources.find((r) => r.type === 'aws:lambda/function:Function')!.inputs.memorySize).not.toBe(1);
  });
});
