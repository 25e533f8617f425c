/**
 * One esbuild run bundles every function in FUNCTIONS into `.build/functions/<hash>/<name>/index.js`; the
 * migration SQL ships beside the db-migrate bundle. The run is skipped when nothing it read has
 * changed (hash of its inputs, from esbuild's own metafile), so tests and plans pay for it once.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { FUNCTIONS, type FunctionKey } from '../../guide';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const HANDLERS_DIR = join(REPO_ROOT, 'functions', 'src', 'handlers');
export const MIGRATIONS_DIR = join(REPO_ROOT, 'functions', 'migrations');
export const DEFAULT_OUT_DIR = join(REPO_ROOT, '.build', 'functions');

/** The function whose bundle carries `migrations/*.sql`. */
export const MIGRATING_FUNCTION: FunctionKey = 'dbMigrate';

/**
 * Lambda's nodejs22.x runtime provides the AWS SDK v3 service clients: leaving them out keeps
 * bundles small. Everything else is bundled at the version in package-lock.json, including the
 * SDK's utility packages (`@smithy/signature-v4`, `@smithy/node-http-handler`), which the runtime
 * is not documented to ship. `pg-native` is an optional driver `pg` only loads when asked to.
 */
const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
/** The runtime's clients: every `@aws-sdk/client-*` among our dependencies. */
export const EXTERNAL = [...Object.keys(PACKAGE.dependencies).filter((d) => d.startsWith('@aws-sdk/client-')), 'pg-native'];
/**
 * esbuild's CommonJS exports are getters, which a wrapper cannot replace; the ADOT layer
 * (infra/specs/tracing.ts) wraps `handler` in place, so the bundle ends with plain properties.
 */
const FOOTER = 'module.exports=Object.assign({},module.exports);';

/**
 * How every function is bundled (the cold-start benchmark bundles the same way). `mainFields`
 * prefers a package's ES module build: esbuild can then drop what is not used, e.g. all but ~4 KB
 * of `@smithy/core` (~130 KB as CommonJS) under `@smithy/node-http-handler` and the SigV4 signer.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  footer: { js: FOOTER },
  external: EXTERNAL,
  metafile: true,
  logLevel: 'error',
} as const satisfies import('esbuild').BuildOptions;

/**
 * Shipped beside each function's index.js and loaded only by a Lambda with X-Ray tracing on
 * (functions/src/runtime/deps.ts, XRAY_CAPTURE_MODULE): the Powertools Tracer and the X-Ray SDK.
 */
export const XRAY_CAPTURE_ENTRY = join(REPO_ROOT, 'functions', 'src', 'runtime', 'xray-capture.ts');
export const XRAY_CAPTURE_FILE = 'xray-capture.js';

const OPTIONS_TAG = JSON.stringify({ ...BUNDLE_OPTIONS, v: 3 });

export interface Bundles {
  /** Folder to zip for each function. */
  readonly dirs: Record<FunctionKey, string>;
  /** Hash of the migration files: a change re-runs db-migrate at deploy. */
  readonly migrationsHash: string;
  /** Whether esbuild ran (false: the cache was current). */
  readonly built: boolean;
}

const sha = (parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);

function hashFiles(files: string[]): string {
  return sha(files.map((f) => `${f}\0${existsSync(join(REPO_ROOT, f)) ? readFileSync(join(REPO_ROOT, f), 'utf8') : '<missing>'}`));
}

function migrationFiles(): string[] {
  return existsSync(MIGRATIONS_DIR)
    ? readdirSync(MIGRATIONS_DIR)
        .filter((f) => f.endsWith('.sql'))
        .sort()
    : [];
}

/** Entry files per function; a missing one is a clear error naming the guide entry. */
export function entryPoints(keys: readonly FunctionKey[] = Object.keys(FUNCTIONS) as FunctionKey[]): Record<string, string> {
  const missing: string[] = [];
  const entries: Record<string, string> = {};
  for (const key of keys) {
    const spec = FUNCTIONS[key];
    const file = join(HANDLERS_DIR, `${spec.entry}.ts`);
    if (!existsSync(file)) missing.push(`${relative(REPO_ROOT, file)} (FUNCTIONS.${key}.entry)`);
    entries[`${spec.name}/index`] = file;
    entries[`${spec.name}/${XRAY_CAPTURE_FILE.replace(/\.js$/, '')}`] = XRAY_CAPTURE_ENTRY;
  }
  if (missing.length) throw new Error(`Lambda handler entries are missing: ${missing.join(', ')}. Each must export \`handler\`.`);
  return entries;
}

interface CacheRecord {
  readonly hash: string;
  readonly inputs: string[];
}

/**
 * Bundles land in `<outDir>/<hash>/<name>/`, named by the hash of everything they were built
 * from, and are moved into place whole: parallel test workers never see a half-written bundle.
 */
export function bundleFunctions(outDir = DEFAULT_OUT_DIR): Bundles {
  const keys = Object.keys(FUNCTIONS) as FunctionKey[];
  const migrations = migrationFiles();
  const migrationsHash = hashFiles(migrations.map((f) => relative(REPO_ROOT, join(MIGRATIONS_DIR, f))));
  const entries = entryPoints(keys);
  const keyOf = (inputs: string[]) => sha([OPTIONS_TAG, migrationsHash, Object.keys(entries).join(','), hashFiles(inputs)]);
  const dirsFor = (hash: string) =>
    Object.fromEntries(keys.map((k) => [k, join(outDir, hash, FUNCTIONS[k].name)])) as Record<FunctionKey, string>;
  const complete = (hash: string) => keys.every((k) => existsSync(join(dirsFor(hash)[k], 'index.js')));

  const cacheFile = join(outDir, 'cache.json');
  if (existsSync(cacheFile)) {
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheRecord;
    if (keyOf(cache.inputs) === cache.hash && complete(cache.hash)) return { dirs: dirsFor(cache.hash), migrationsHash, built: false };
  }

  // Loaded lazily: a cached run never needs esbuild's binary.
  const esbuild = require('esbuild') as typeof import('esbuild');
  const tmp = join(outDir, `.tmp-${process.pid}-${Date.now()}`);
  let hash = '';
  let inputs: string[] = [];
  try {
    const result = esbuild.buildSync({ ...BUNDLE_OPTIONS, entryPoints: entries, outdir: tmp, absWorkingDir: REPO_ROOT });
    const migrationsOut = join(tmp, FUNCTIONS[MIGRATING_FUNCTION].name, 'migrations');
    mkdirSync(migrationsOut, { recursive: true });
    for (const f of migrations) cpSync(join(MIGRATIONS_DIR, f), join(migrationsOut, f));
    inputs = Object.keys(result.metafile.inputs).sort();
    hash = keyOf(inputs);
    // Another worker may have put the same bundles in place meanwhile: then keep theirs.
    if (!complete(hash)) renameSync(tmp, join(outDir, hash));
  } catch (err) {
    if (!(hash && complete(hash))) throw err;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const cacheTmp = `${cacheFile}.${process.pid}`;
  writeFileSync(cacheTmp, JSON.stringify({ hash, inputs } satisfies CacheRecord));
  renameSync(cacheTmp, cacheFile);
  for (const old of readdirSync(outDir)) {
    if (/^[0-9a-f]{16}$/.test(old) && old !== hash) rmSync(join(outDir, old), { recursive: true, force: true });
  }
  return { dirs: dirsFor(hash), migrationsHash, built: true };
}
