/** One esbuild run bundles every function; a second call with nothing changed reuses it. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS, type FunctionKey } from '../../../../guide';
import { MIGRATING_FUNCTION, MIGRATIONS_DIR, bundleFunctions, entryPoints } from '../../../../infra/build/bundle';

describe('bundleFunctions', () => {
  const first = bundleFunctions();

  it('writes one index.js per function that exports `handler`', () => {
    for (const k of Object.keys(FUNCTIONS) as FunctionKey[]) {
      const file = join(first.dirs[k], 'index.js');
      expect(existsSync(file)).toBe(true);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(typeof require(file).handler).toBe('function');
    }
  });

  it('ships the SQL migrations with the db-migrate bundle only', () => {
    const sql = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
    expect(sql.length).toBeGreaterThan(0);
    expect(readdirSync(join(first.dirs[MIGRATING_FUNCTION], 'migrations')).sort()).toEqual(sql.sort());
    expect(existsSync(join(first.dirs.asyncProcessingHandler, 'migrations'))).toBe(false);
    expect(first.migrationsHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('skips esbuild when no input changed', () => {
    const second = bundleFunctions();
    expect(second.built).toBe(false);
    expect(second.dirs).toEqual(first.dirs);
    expect(second.migrationsHash).toBe(first.migrationsHash);
  });
});

describe('entryPoints', () => {
  it('maps each guide function to functions/src/handlers/<entry>.ts', () => {
    const entries = entryPoints(['aiGenerationWorker']);
    expect(entries).toEqual({ 'ai-generation-worker/index': expect.stringMatching(/functions\/src\/handlers\/ai-generation-worker\.ts$/) });
  });
});
