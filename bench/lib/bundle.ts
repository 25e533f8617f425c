/**
 * Lambda bundles for the cold-start proxy, built as infra/build/bundle.ts builds them for nodejs22.x
 * (its BUNDLE_OPTIONS: esbuild --bundle --platform=node --target=node22 --minify, CommonJS, ES module
 * builds preferred, with infra's externals: the AWS SDK v3 service clients, which the Lambda runtime
 * provides; here they resolve from node_modules, so loading them is measured), and, as deployed, the
 * X-Ray tracer beside each bundle as its own file, which only a Lambda with tracing on loads.
 */
import { statSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

export { EXTERNAL } from '../../infra/build/bundle';
import { BUNDLE_OPTIONS, XRAY_CAPTURE_ENTRY, XRAY_CAPTURE_FILE } from '../../infra/build/bundle';

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  /** The biggest contributors to the bundle, by package or folder: [name, KB]. */
  largest: [string, number][];
  /** The X-Ray tracer shipped beside it (loaded only in a Lambda with tracing on), if any. */
  xrayBytes?: number;
}

/** `node_modules/@scope/pkg/…` → `@scope/pkg`; `functions/src/x/…` → `functions/src/x`. */
function partOf(input: string): string {
  const i = input.lastIndexOf('node_modules/');
  if (i < 0)
    return input
      .split('/')
      .slice(0, input.startsWith('functions/') ? 3 : 1)
      .join('/');
  const [a, b] = input.slice(i + 13).split('/');
  return a!.startsWith('@') ? `${a}/${b}` : a!;
}

function largestParts(inputs: Record<string, { bytesInOutput: number }>): [string, number][] {
  const by = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) by.set(partOf(path), (by.get(partOf(path)) ?? 0) + bytesInOutput);
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([k, v]) => [k, Math.round(v / 1024)]);
}

export function bundleEntries(entries: Record<string, string>, outDir: string, cwd: string): Bundle[] {
  const xray = XRAY_CAPTURE_FILE.replace(/\.js$/, '');
  const { metafile } = buildSync({
    ...BUNDLE_OPTIONS,
    entryPoints: Object.fromEntries(
      Object.entries(entries).flatMap(([name, file]) => [
        [`${name}/index`, file],
        [`${name}/${xray}`, XRAY_CAPTURE_ENTRY],
      ]),
    ),
    outdir: outDir,
    absWorkingDir: cwd,
  });
  return Object.keys(entries).map((name) => {
    const file = join(outDir, name, 'index.js');
    const output = Object.entries(metafile.outputs).find(([out]) => out.endsWith(`${name}/index.js`))?.[1];
    return {
      name,
      file,
      bytes: statSync(file).size,
      gzipBytes: gzipSync(readFileSync(file)).length,
      largest: output ? largestParts(output.inputs) : [],
      xrayBytes: statSync(join(outDir, name, XRAY_CAPTURE_FILE)).size,
    };
  });
}

/** A bundle with nothing in it: Node's own start and the driver, the floor of every cold start. */
export function emptyBundle(outDir: string): Bundle {
  const file = join(outDir, 'empty', 'index.js');
  mkdirSync(join(outDir, 'empty'), { recursive: true });
  writeFileSync(file, 'exports.handler=async()=>({statusCode:200});\n');
  return { name: '(empty handler)', file, bytes: statSync(file).size, gzipBytes: gzipSync(readFileSync(file)).length, largest: [] };
}
