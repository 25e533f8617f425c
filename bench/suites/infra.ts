/**
 * Infra program: time to construct the full prod stack under Pulumi's mocks (infra/offline/run.ts,
 * what `npm run plan` and the infra tests run), in a fresh process per repetition, and how many
 * resources it declares. Bundling is timed apart: it is esbuild's work, cached between runs.
 */
import { runForResult } from '../lib/child';
import { Progress } from '../lib/progress';
import { median, round } from '../lib/stats';

export interface InfraResult {
  stack: string;
  /** Fresh process start to the program's last resource, median. */
  totalMs?: number;
  bootAndLoadMs?: number;
  bundleMs?: { firstRun: number; cached: number };
  constructMs?: number;
  resources?: number;
  customResources?: number;
  components?: number;
  topTypes?: [string, number][];
  rssMb?: number;
  /** Set when the program could not be constructed: nothing else is measured. */
  error?: string;
}

async function runChild(stack: string): Promise<Record<string, any> & { totalMs: number }> {
  const run = await runForResult(['--import', 'tsx', 'bench/lib/infra-child.ts', stack], 'INFRA');
  return { ...(run.result ?? { error: run.output }), totalMs: run.wallMs };
}

export async function infraSuite(opts: { stack: string; repetitions: number }): Promise<InfraResult> {
  const progress = new Progress(`infra ${opts.stack} under mocks`);
  const runs: (Record<string, any> & { totalMs: number })[] = [];
  for (let r = 0; r < opts.repetitions; r++) {
    progress.update(`run ${r + 1}/${opts.repetitions}`);
    const run = await runChild(opts.stack);
    if (run.error) {
      progress.done(`could not construct the program: ${String(run.error).split('\n')[0]}`);
      return { stack: opts.stack, error: String(run.error).slice(0, 1000) };
    }
    runs.push(run);
  }
  const m = (k: string) => round(median(runs.map((x) => Number(x[k]))));
  const cached = runs.filter((x) => !x.bundlesBuilt);
  const last = runs[runs.length - 1]!;
  const result: InfraResult = {
    stack: opts.stack,
    totalMs: m('totalMs'),
    bootAndLoadMs: m('bootMs'),
    bundleMs: { firstRun: round(runs[0]!.bundleMs), cached: cached.length ? round(median(cached.map((x) => x.bundleMs))) : NaN },
    constructMs: m('constructMs'),
    resources: last.resources,
    customResources: last.customResources,
    components: last.components,
    topTypes: last.topTypes,
    rssMb: m('rssMb'),
  };
  progress.done(
    `${result.constructMs} ms to construct ${result.customResources} resources (+${result.components} components); ${result.totalMs} ms from a fresh process`,
  );
  return result;
}
