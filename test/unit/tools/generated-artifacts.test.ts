/**
 * The committed dashboard JSON (dashboards/generated/<stack>.json) and runbook (docs/runbook.md)
 * are what the code generates now: change the catalog or the layout, run `npm run dashboards`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedArtifacts } from '../../../tools/artifacts';
import { ROOT } from '../../../tools/review-stacks';

const artifacts = Object.entries(generatedArtifacts());

describe('Generated artefacts', () => {
  it.each(artifacts)('%s is up to date (run `npm run dashboards` if not)', (path, content) => {
    expect(readFileSync(join(ROOT, path), 'utf8')).toBe(content);
  });

  it('writes a dashboard per stack and the runbook', () => {
    expect(artifacts.map(([path]) => path).sort()).toEqual(['dashboards/generated/dev.json', 'dashboards/generated/prod.json', 'docs/runbook.md']);
  });
});
