/**
 * `npm run dashboards` (dashboards/generated/<stack>.json and .png) and `npm run docs`
 * (docs/runbook.md, docs/openapi.yaml, the README's regions): write the generated artifacts of one
 * group, or of all without an argument. The pictures need Chromium (tools/dashboard-pictures.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ARTIFACT_GROUPS, generatedArtifacts, type ArtifactGroup } from './artifacts';
import { renderPictures } from './dashboard-pictures';
import { ROOT } from './review-stacks';

async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true });
  const unknown = positionals.filter((p) => !(ARTIFACT_GROUPS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    console.error(`Unknown artifact group ${unknown.join(', ')}; choose among ${ARTIFACT_GROUPS.join(', ')}`);
    return 2;
  }
  const groups = positionals.length > 0 ? (positionals as ArtifactGroup[]) : ARTIFACT_GROUPS;
  for (const [path, content] of Object.entries(generatedArtifacts(groups))) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), content);
    console.log(`wrote ${path} (${Buffer.byteLength(content)} bytes)`);
  }
  if (groups.includes('dashboards')) await renderPictures();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  },
);
