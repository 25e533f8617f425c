/** `npm run dashboards`: writes dashboards/generated/<stack>.json and docs/runbook.md. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedArtifacts } from './artifacts';
import { ROOT } from './review-stacks';

for (const [path, content] of Object.entries(generatedArtifacts())) {
  mkdirSync(dirname(join(ROOT, path)), { recursive: true });
  writeFileSync(join(ROOT, path), content);
  console.log(`wrote ${path} (${Buffer.byteLength(content)} bytes)`);
}
