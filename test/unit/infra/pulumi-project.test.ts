/**
 * `pulumi up` compiles the program the way Pulumi's Node.js runtime does: with the TypeScript the
 * project depends on (not Pulumi's bundled 3.8, which cannot parse `satisfies`), through Pulumi's
 * own ts-node, with the tsconfig Pulumi.yaml names.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../../infra/build/bundle';

const project = parse(readFileSync(join(REPO_ROOT, 'Pulumi.yaml'), 'utf8')) as {
  main: string;
  runtime: { name: string; options: Record<string, unknown> };
};
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('The Pulumi project', () => {
  it("compiles with the project's TypeScript 5, kept by npm ci --omit=dev", () => {
    expect(project.runtime).toMatchObject({ name: 'nodejs', options: { typescript: true, packagemanager: 'npm' } });
    expect(pkg.dependencies.typescript).toMatch(/^5\./);
    expect(pkg.devDependencies.typescript).toBeUndefined();
  });

  it('names a main module and a tsconfig that exist, the tsconfig transpiling only and needing no @types', () => {
    expect(existsSync(join(REPO_ROOT, project.main))).toBe(true);
    const tsconfig = String(project.runtime.options.tsconfig);
    const ts = require('typescript') as typeof import('typescript');
    const parsed = ts.parseConfigFileTextToJson(tsconfig, readFileSync(join(REPO_ROOT, tsconfig), 'utf8')).config as {
      compilerOptions: Record<string, unknown>;
    };
    expect(parsed.compilerOptions).toMatchObject({ noCheck: true, types: [] });
  });

  it("loads under Pulumi's vendored ts-node as `pulumi up` would, exporting the program function", () => {
    const script = `
      const ts = require.resolve('typescript');
      require('@pulumi/pulumi/vendor/ts-node@7.0.1').register({ compiler: ts, transpileOnly: true, project: ${JSON.stringify(String(project.runtime.options.tsconfig))}, compilerOptions: {} });
      const main = require(${JSON.stringify(`./${project.main}`)});
      process.stdout.write(JSON.stringify({ type: typeof main, ts: require(ts).version }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 })) as {
      type: string;
      ts: string;
    };
    expect(out).toEqual({ type: 'function', ts: pkg.dependencies.typescript });
  });
});
