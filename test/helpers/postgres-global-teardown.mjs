import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const started = globalThis.__AIP_TEST_PG__;
  if (!started) return;
  await started.server.stop();
  // Only the folder the setup created: never a parent of the server's data folder.
  rmSync(started.root, { recursive: true, force: true });
}
