/**
 * DbMigrate: applies `functions/migrations/*.sql`. The Pulumi program invokes it on deploy; the
 * SQL files ship next to the bundle (`./migrations`), or are read from the source tree.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createObserver } from '../observability/observer';
import { getDependencies } from '../runtime/deps';
import { loadMigrations, migrate } from '../state/migrate';

export async function handler() {
  const observer = createObserver({ job: 'db-migrate' });
  const bundled = join(__dirname, 'migrations');
  const deps = await getDependencies();
  const applied = await migrate(deps.pool, loadMigrations(existsSync(bundled) ? bundled : undefined));
  observer.logger.info(applied.length ? 'Migrations applied' : 'Schema up to date', { applied });
  return { applied };
}
