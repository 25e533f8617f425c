/** The CI workflow (README "CI"): actions pinned by SHA, the Pulumi CLI pinned to the SDK's release, preview after the tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadStackConfig, stackConfigPath } from '../../../infra/config/stack-file';

const ROOT = join(__dirname, '..', '..', '..');
const workflow = parse(readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8')) as {
  env: Record<string, string>;
  jobs: Record<
    string,
    {
      needs?: string[];
      steps: { uses?: string; run?: string; with?: Record<string, string> }[];
      strategy?: { matrix: { stack: string[] } };
    }
  >;
};
const text = readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8');
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps ?? []);

describe('.github/workflows/ci.yml', () => {
  it('pins every action by a full commit SHA with its release in a comment', () => {
    const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(uses.length).toBeGreaterThan(0);
    for (const [ref, comment] of uses) {
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(comment).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });

  it('pins the Pulumi CLI to the release of the @pulumi/pulumi SDK the program uses', () => {
    const sdk = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies[
      '@pulumi/pulumi'
    ];
    expect(workflow.env.PULUMI_VERSION).toBe(sdk);
    const install = steps.find((s) => s.uses?.startsWith('pulumi/actions@'))!;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    expect(install.with).toEqual({ 'pulumi-version': '${{ env.PULUMI_VERSION }}' });
  });

  it('runs the tests and the offline checks first, and previews each stack with the pack only after them', () => {
    const test = workflow.jobs.test!.steps.map((s) => s.run ?? '').join('\n');
    expect(test).toContain('npm test');
    for (const stack of ['dev', 'prod']) {
      expect(test).toContain(`npm run policy -- --stack ${stack}\n`);
      expect(test).toContain(`npm run policy -- --stack ${stack} --preview`);
    }
    const preview = workflow.jobs.preview!;
    expect(preview.needs).toEqual(['test', 'credentials']);
    expect(preview.strategy!.matrix.stack).toEqual(['dev', 'prod']);
    expect(preview.steps.at(-1)!.run).toMatch(
      /pulumi preview .*--policy-pack policies\s+--policy-pack-config "policies\/config\/\$\{\{ matrix\.stack \}\}\.json"/s,
    );
  });

  it.each(['dev', 'prod'])('previews %s with its secrets from its ESC environment, which the offline tools ignore', (stack) => {
    const file = parse(readFileSync(stackConfigPath(stack), 'utf8')) as { environment?: string[] };
    expect(file.environment).toEqual([`async-ai-pipeline/${stack}`]);
    expect(Object.keys(loadStackConfig(stack)).filter((k) => /pagerDuty|slack|escalation/i.test(k))).toEqual([]);
  });
});
