/** One esbuild run bundles every function; a second call with nothing changed reuses it. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_BUDGET_KB, FUNCTIONS, type FunctionKey } from '../../../../guide';
import { XRAY_CAPTURE_MODULE } from '../../../../functions/src/runtime/deps';
import {
  MIGRATING_FUNCTION,
  MIGRATIONS_DIR,
  XRAY_CAPTURE_ENTRY,
  XRAY_CAPTURE_FILE,
  bundleFunctions,
  entryPoints,
} from '../../../../infra/build/bundle';

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

  it('ships the X-Ray tracer as its own file beside index.js, under the name the handler loads it by', () => {
    for (const k of Object.keys(FUNCTIONS) as FunctionKey[]) {
      const index = readFileSync(join(first.dirs[k], 'index.js'), 'utf8');
      // The handler names the module and does not carry the X-Ray SDK itself.
      expect(`./${XRAY_CAPTURE_FILE}`).toBe(`${XRAY_CAPTURE_MODULE}.js`);
      expect(index).toContain(JSON.stringify(XRAY_CAPTURE_MODULE));
      expect(index).not.toContain('AWS_XRAY_DAEMON_ADDRESS');
      expect(readFileSync(join(first.dirs[k], XRAY_CAPTURE_FILE), 'utf8')).toContain('AWS_XRAY_DAEMON_ADDRESS');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const capture = require(join(first.dirs[k], XRAY_CAPTURE_FILE)) as typeof import('../../../../functions/src/runtime/xray-capture');
      const client = { middlewareStack: { remove: jest.fn(), use: jest.fn() }, config: {} };
      expect(capture.captureAWSv3Client(client)).toBe(client);
    }
  });

  it('keeps every function bundle within the size budget', () => {
    const sizes = Object.fromEntries(
      (Object.keys(FUNCTIONS) as FunctionKey[]).map((k) => [k, Math.ceil(statSync(join(first.dirs[k], 'index.js')).size / 1024)]),
    );
    const over = Object.entries(sizes).filter(([, kb]) => kb > BUNDLE_BUDGET_KB);
    expect(over).toEqual([]);
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
    expect(entries).toEqual({
      'ai-generation-worker/index': expect.stringMatching(/functions\/src\/handlers\/ai-generation-worker\.ts$/),
      'ai-generation-worker/xray-capture': XRAY_CAPTURE_ENTRY,
    });
  });
});
