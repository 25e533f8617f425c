/**
 * `npm run boundaries`: the import boundaries of the layout (README, "Layout"). Runs
 * dependency-cruiser with `.dependency-cruiser.cjs` (which folder may import which, no Pulumi
 * below infra, guide imports nothing) and adds what dependency-cruiser cannot see: a cycle between
 * top-level folders, even one that no single module closes. Exit code 1 on any finding, each
 * named by the files that make it; 2 on a usage error.
 *
 * `--root <dir>` checks another copy of the repository (the boundary test plants imports in one).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** The folders whose imports are checked; each module belongs to the first segment of its path. */
export const SOURCE_FOLDERS = [
  'guide',
  'functions',
  'observability',
  'infra',
  'local',
  'policies',
  'tools',
  'bench',
  'chaos',
  'test',
] as const;

interface Dependency {
  readonly resolved: string;
  readonly coreModule?: boolean;
  readonly couldNotResolve?: boolean;
}
interface CruisedModule {
  readonly source: string;
  readonly dependencies: readonly Dependency[];
}
interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string; readonly severity: string };
}
interface CruiseResult {
  readonly modules: readonly CruisedModule[];
  readonly summary: {
    readonly violations: readonly Violation[];
    readonly totalCruised: number;
    readonly ruleSetUsed: { readonly forbidden?: readonly { readonly name: string; readonly comment?: string }[] };
  };
}

export function cruise(root: string): CruiseResult {
  const folders = SOURCE_FOLDERS.filter((f) => existsSync(join(root, f)));
  // The package exports no path to its CLI; it is where npm puts it.
  const bin = join(__dirname, '..', 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const json = execFileSync(process.execPath, [bin, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...folders], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(json) as CruiseResult;
}

const folderOf = (path: string): string | undefined => {
  const top = path.split('/')[0];
  return (SOURCE_FOLDERS as readonly string[]).includes(top ?? '') ? top : undefined;
};

/** For every import from one folder into another, one example `from → to`. */
export function folderEdges(modules: readonly CruisedModule[]): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const m of modules) {
    const from = folderOf(m.source);
    if (!from) continue;
    for (const d of m.dependencies) {
      const to = d.coreModule || d.couldNotResolve ? undefined : folderOf(d.resolved);
      if (!to || to === from) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, `${m.source} → ${d.resolved}`);
      edges.set(from, out);
    }
  }
  return edges;
}

/** Strongly connected groups of two or more folders (Tarjan): each is a cycle between folders. */
export function folderCycles(edges: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        group.push(w);
      } while (w !== v);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const v of SOURCE_FOLDERS) if (!index.has(v)) visit(v);
  return cycles;
}

/** The report's lines: empty when the boundaries hold. */
export function findings(result: CruiseResult): string[] {
  const lines: string[] = [];
  const comments = new Map((result.summary.ruleSetUsed.forbidden ?? []).map((r) => [r.name, r.comment ?? '']));
  const byRule = new Map<string, Violation[]>();
  for (const v of result.summary.violations.filter((x) => x.rule.severity === 'error'))
    byRule.set(v.rule.name, [...(byRule.get(v.rule.name) ?? []), v]);
  for (const [rule, violations] of byRule) {
    lines.push(`Wrong-way import (${rule}): ${comments.get(rule)}`);
    for (const v of violations) lines.push(`  ${v.from} → ${v.to}`);
  }
  const edges = folderEdges(result.modules);
  for (const group of folderCycles(edges)) {
    lines.push(`Cycle between folders ${group.join(', ')}: dependencies must flow one way; these imports close it:`);
    for (const from of group) {
      for (const [to, example] of edges.get(from) ?? []) if (group.includes(to)) lines.push(`  ${from} → ${to}: ${example}`);
    }
  }
  return lines;
}

export const USAGE = 'usage: npm run boundaries [-- --root <repository copy>]';

function main(): number {
  let root: string;
  try {
    const { values } = parseArgs({ options: { root: { type: 'string' } }, strict: true });
    root = resolve(values.root ?? join(__dirname, '..'));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const result = cruise(root);
  const lines = findings(result);
  if (lines.length > 0) {
    console.error(lines.join('\n'));
    return 1;
  }
  console.log(`Import boundaries hold: ${result.summary.totalCruised} modules, no wrong-way import, no cycle between folders.`);
  return 0;
}

if (require.main === module) process.exitCode = main();
