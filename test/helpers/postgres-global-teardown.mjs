import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

export default async function globalTeardown() {
  const server = globalThis.__AIP_TEST_PG__;
  if (!server) return;
  await server.stop();
  rmSync(dirname(server.dataDir), { recursive: true, force: true });
}
