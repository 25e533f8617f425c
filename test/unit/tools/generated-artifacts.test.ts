/**
 * Every generated document is what the code generates now: the dashboard JSON per stack
 * (`npm run dashboards`), the runbook, the OpenAPI contract and the README's generated regions
 * (`npm run docs`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandFor, generatedArtifacts } from '../../../tools/artifacts';
import { ROOT } from '../../../tools/review-stacks';

const artifacts = Object.entries(generatedArtifacts());

describe('Generated artifacts', () => {
  it.each(artifacts)('%s is up to date', (path, content) => {
    const committed = readFileSync(join(ROOT, path), 'utf8');
    if (committed !== content) throw new Error(`${path} is stale: run \`${commandFor(path)}\` and commit the result`);
  });

  it('are the dashboard of each stack, the runbook, the OpenAPI document and the README', () => {
    expect(artifacts.map(([path]) => path).sort()).toEqual([
      'README.md',
      'dashboards/generated/dev.json',
      'dashboards/generated/prod.json',
      'docs/openapi.yaml',
      'docs/runbook.md',
    ]);
  });

  it.each([
    ['dashboards/generated/dev.json', 'npm run dashboards'],
    ['docs/runbook.md', 'npm run docs'],
    ['docs/openapi.yaml', 'npm run docs'],
    ['README.md', 'npm run docs'],
  ])('names the command that regenerates %s', (path, command) => {
    expect(commandFor(path)).toBe(command);
  });
});
