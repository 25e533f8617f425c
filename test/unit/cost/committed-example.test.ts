/** The committed cost example (bench/results/cost.md and .json, quoted by the README) is what the model says today. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../infra/build/bundle';
import { DEFAULT_MIX } from '../../../cost/model';
import { loadProfile } from '../../../cost/profile';
import { loadProgram } from '../../../cost/program';
import { buildReport, renderJson, renderMarkdown } from '../../../cost/report';

/** The example's traffic: the README's and the commands that wrote the files (`npm run cost -- --per-day 1000`). */
const EXAMPLE = { stack: 'prod', perDay: 1000 } as const;

describe('the committed cost example', () => {
  it('matches the model on the program as it is (regenerate: npm run cost -- --per-day 1000 [--format json] > bench/results/cost.{md,json})', async () => {
    const report = buildReport(
      { program: await loadProgram(EXAMPLE.stack), profile: loadProfile() },
      { perDay: EXAMPLE.perDay, mix: DEFAULT_MIX },
    );
    const committed = (name: string) => readFileSync(join(REPO_ROOT, 'bench/results', name), 'utf8');
    expect(committed('cost.json').trim()).toBe(renderJson(report).trim());
    expect(committed('cost.md').trim()).toBe(renderMarkdown(report).trim());
  });
});
