/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time by package
 * (node_modules/<pkg>, a repository folder, node: internals, GC), inclusive time by package (a
 * sample counts once for every package on its stack), and the hottest functions.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './child';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  sampledMs: number;
  idleMs: number;
  selfByPackage: [string, number][];
  inclusiveByPackage: [string, number][];
  hotFunctions: [string, number][];
}

/** The package or folder a frame belongs to. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:'))
    return `node:${url
      .slice(5)
      .split('/')
      .slice(0, url.includes('internal/') ? 2 : 1)
      .join('/')}`;
  const path = url.replace(/^file:\/\//, '');
  const i = path.lastIndexOf('/node_modules/');
  if (i >= 0) {
    const parts = path.slice(i + 14).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const rel = relative(REPO_ROOT, path);
  const bundle = /\.build\/cold-start\/([^/]+)\//.exec(rel);
  if (bundle) return `bundle ${bundle[1]}`;
  return rel.startsWith('..')
    ? path
    : rel
        .split('/')
        .slice(0, rel.startsWith('functions/') ? 3 : 1)
        .join('/');
}

/** Frames under nearly every sample (the event loop, microtask queue): no information inclusively. */
const STACK_BOTTOMS = new Set(['(native)', '(program)', 'node:internal/process', 'node:internal/main', 'node:internal/timers']);

const top = (m: Map<string, number>, n: number): [string, number][] =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => [k, Math.round(v)]);

/** `skipMs`: leave out the first milliseconds of the profile (a server's start-up). */
/** The one .cpuprofile a process wrote into `dir` (node --cpu-prof-dir). */
export function onlyProfile(dir: string): string {
  const name = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!name) throw new Error(`no .cpuprofile in ${dir}: did the profiled process exit cleanly?`);
  return join(dir, name);
}

/** Copies a profile to PROFILE_KEEP/<name> when that folder is set (to open it in a profiler). */
export function keepProfile(file: string, name: string): void {
  if (process.env.PROFILE_KEEP) copyFileSync(file, join(process.env.PROFILE_KEEP, name));
}

export function summarizeProfile(file: string, skipMs = 0, n = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const fns = new Map<string, number>();
  let sampled = 0;
  let idle = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    at += (profile.timeDeltas[i] ?? 0) / 1000;
    if (at < skipMs) return;
    const node = byId.get(id)!;
    sampled += ms;
    if (node.callFrame.functionName === '(idle)') {
      idle += ms;
      return;
    }
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    self.set(pkg, (self.get(pkg) ?? 0) + ms);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${pkg}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.functionName === '(root)') break;
      seen.add(packageOf(f.url, f.functionName));
    }
    for (const p of seen) if (!STACK_BOTTOMS.has(p)) inclusive.set(p, (inclusive.get(p) ?? 0) + ms);
  });
  return {
    sampledMs: Math.round(sampled),
    idleMs: Math.round(idle),
    selfByPackage: top(self, n),
    inclusiveByPackage: top(inclusive, n),
    hotFunctions: top(fns, n),
  };
}

/** A profile summary as the quick profiling CLIs print it: shares of the busy time, one line per table. */
export function formatProfile(title: string, s: ProfileSummary): string {
  const busy = Math.max(1, s.sampledMs - s.idleMs);
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1)}%`;
  return (
    `\n## ${title}: ${busy} ms busy\nself: ${s.selfByPackage.map(([k, v]) => `${k} ${pct(v)}`).join(', ')}\n` +
    `inclusive: ${s.inclusiveByPackage.map(([k, v]) => `${k} ${pct(v)}`).join(', ')}\n` +
    `hot: ${s.hotFunctions.map(([k, v]) => `${k} ${pct(v)}`).join('\n     ')}\n`
  );
}
