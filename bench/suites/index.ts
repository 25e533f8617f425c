/**
 * Runs the selected suites in one order (API, cold start and end-to-end share one runtime; cleanup
 * and infra need no runtime), and merges each suite's section into the results file with the
 * command that produced it and the machine it ran on.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { REPO_ROOT } from '../lib/child';
import { OTHER_WORK_WARNING, OtherWork } from '../lib/cpu';
import type { Machine } from '../lib/machine';
import { startBenchPostgres, type BenchPostgres } from '../lib/postgres';
import { say } from '../lib/progress';
import { startRuntime, type Runtime } from '../lib/runtime';
import { renderMarkdown } from '../report/markdown';
import { EXTERNAL } from '../lib/bundle';
import { apiSuite } from './api';
import { coldStartSuite } from './cold-start';
import { e2eSuite, type E2eOptions } from './e2e';
import { cleanupSuite } from './cleanup';
import { infraSuite } from './infra';
import { scaleSuite, type ScaleOptions } from './scale';
import { DESIGN, RETENTION } from '../../guide';

export const SUITES = ['api', 'coldstart', 'e2e', 'cleanup', 'infra', 'scale'] as const;
export type SuiteName = (typeof SUITES)[number];
/** What `npm run bench` runs without `--only`: scale takes several minutes more and runs on request. */
export const DEFAULT_SUITES: readonly SuiteName[] = SUITES.filter((s) => s !== 'scale');

export interface Section {
  /** The command line that produced this section. */
  command: string;
  /** The command that measures this section alone. */
  sectionCommand: string;
  measuredAt: string;
  durationS: number;
  machine: Machine;
  /** Share of all cores busy with work other than the benchmark while the suite ran (a shared machine). */
  otherWork?: number;
  settings: object;
  data: unknown;
}

export interface Results {
  suites: Partial<Record<SuiteName, Section>>;
}

export interface Context {
  /** Started unless only infra runs. */
  pg?: BenchPostgres;
  rt?: Runtime;
  rtPool?: Pool;
  rtDatabaseUrl?: string;
  quick: boolean;
}

type SuiteRun = (ctx: Context) => Promise<{ settings: object; data: unknown }>;

const RUNS: Record<SuiteName, SuiteRun> = {
  api: async (ctx) => {
    const settings = {
      connections: [1, 16, 64],
      durationS: ctx.quick ? 2 : 6,
      warmupS: ctx.quick ? 0.5 : 1,
      users: 100,
      modelLatencyMs: 0,
    };
    const startDatabaseUrl = await ctx.pg!.database('bench_start_api');
    return {
      settings,
      data: await apiSuite(
        { rt: ctx.rt!, pool: ctx.rtPool!, root: ctx.pg!.root, databaseUrl: ctx.rtDatabaseUrl!, startDatabaseUrl, postgresPid: ctx.pg!.pid },
        settings,
      ),
    };
  },
  coldstart: async (ctx) => {
    const settings = {
      repetitions: ctx.quick ? 1 : 3,
      bundler: `esbuild --bundle --platform=node --target=node22 --minify, external ${EXTERNAL.join(' ')}`,
    };
    return {
      settings,
      data: await coldStartSuite({ rt: ctx.rt!, pool: ctx.rtPool!, root: ctx.pg!.root, databaseUrl: ctx.rtDatabaseUrl! }, settings),
    };
  },
  e2e: async (ctx) => {
    const settings: E2eOptions & { modelLatencyMs: number } = ctx.quick
      ? { sizes: [20, 100], budgetS: { 20: 30, 100: 60 }, connections: 64, modelLatencyMs: 0 }
      : { sizes: [100, 1000, 5000], budgetS: { 100: 60, 1000: 120, 5000: 200 }, connections: 64, modelLatencyMs: 0 };
    return { settings, data: await e2eSuite({ rt: ctx.rt!, pool: ctx.rtPool!, postgresPid: ctx.pg!.pid }, settings) };
  },
  cleanup: async (ctx) => {
    const settings = {
      rows: ctx.quick ? 100_000 : 1_000_000,
      budgetS: 180,
      batchSize: DESIGN.cleanup.batchSize,
      retentionDays: RETENTION.processingRecordsDays,
    };
    const pool = ctx.pg!.pool(await ctx.pg!.database('bench_cleanup'), 2);
    return { settings, data: await cleanupSuite(pool, settings) };
  },
  infra: async (ctx) => {
    const settings = { stack: 'prod', repetitions: ctx.quick ? 1 : 3 };
    return { settings, data: await infraSuite(settings) };
  },
  scale: async (ctx) => {
    // 100×: the worker's 300 s step timeout becomes 3 s and SUBGOAL's 60 s model answer per slice 600 ms.
    // Starts are paced to keep 45 model calls in flight (about 11/s), so N = 20 000 takes about half an hour.
    const settings: ScaleOptions = ctx.quick
      ? { sizes: [100, 500], compression: 100, startRate: 40, modelConcurrency: 45, drainS: 60, connections: 32 }
      : { sizes: [1000, 5000, 20_000], compression: 100, startRate: 40, modelConcurrency: 45, drainS: 120, connections: 32 };
    const databaseUrl = await ctx.pg!.database('bench_scale');
    return { settings, data: await scaleSuite({ databaseUrl, pool: ctx.pg!.pool(databaseUrl) }, settings) };
  },
};

const NEEDS_RUNTIME: readonly SuiteName[] = ['api', 'coldstart', 'e2e'];

export async function runSuites(selected: SuiteName[], opts: { machine: Machine; quick: boolean; commandLine: string }): Promise<void> {
  const outDir = join(REPO_ROOT, 'bench', 'results');
  const base = opts.quick ? 'quick' : 'latest';
  const jsonFile = join(outDir, `${base}.json`);
  const results: Results = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as Results) : { suites: {} };
  const sectionCommand = (name: SuiteName) => `npm run bench -- --only ${name}${opts.quick ? ' --quick' : ''}`;

  const pg = selected.some((s) => s !== 'infra') ? await startBenchPostgres() : undefined;
  const machine = { ...opts.machine, postgres: pg?.version };
  const ctx: Context = { pg, quick: opts.quick };
  if (selected.some((s) => NEEDS_RUNTIME.includes(s))) {
    ctx.rtDatabaseUrl = await pg!.database('bench_runtime');
    ctx.rt = await startRuntime({ root: pg!.root, name: 'runtime', databaseUrl: ctx.rtDatabaseUrl });
    ctx.rtPool = pg!.pool(ctx.rtDatabaseUrl);
    say(`Local runtime on ${ctx.rt.info.url} (pid ${ctx.rt.pid}), ${pg!.version}`);
  }
  for (const name of SUITES.filter((s) => selected.includes(s))) {
    say(`\n== ${name} ==`);
    const t0 = Date.now();
    const other = new OtherWork();
    const { settings, data } = await RUNS[name](ctx);
    const otherWork = other.share();
    if (otherWork !== undefined && otherWork > OTHER_WORK_WARNING)
      say(`  warning: other work used ${Math.round(otherWork * 100)} % of the CPU during ${name}; its figures are low`);
    results.suites[name] = {
      command: opts.commandLine,
      sectionCommand: sectionCommand(name),
      measuredAt: new Date().toISOString(),
      durationS: Math.round((Date.now() - t0) / 1000),
      machine,
      otherWork,
      settings,
      data,
    };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(outDir, `${base}.md`), renderMarkdown(results));
  }
  say(`\nResults: ${jsonFile} and ${base}.md`);
}
