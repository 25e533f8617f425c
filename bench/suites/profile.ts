/**
 * `npm run bench -- --profile`: where the CPU goes, for the figures far from the baseline. Each
 * workload runs against a runtime started under `node --cpu-prof` (start-up left out of the
 * summary); the cold start profiles one fresh process loading the start handler's bundle.
 * Writes results/profile.md; the reading of it is in results/NOTES.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { FUNCTIONS } from '../../guide';
import { REPO_ROOT } from '../lib/child';
import { OTHER_WORK_WARNING, OtherWork } from '../lib/cpu';
import { onlyProfile, summarizeProfile, type ProfileSummary } from '../lib/cpu-profile';
import { runLoad } from '../lib/load';
import { machineLine, type Machine } from '../lib/machine';
import { startBenchPostgres } from '../lib/postgres';
import { waitUntilSettled } from '../lib/processes';
import { say } from '../lib/progress';
import { startRuntime, type Runtime } from '../lib/runtime';
import { table } from '../report/tables';
import { requestFor, seedApiFixture, type ApiFixture } from './api';
import { bundleFunctions, coldStartEnv, FIXTURES, runOnce, writeEvent } from './cold-start';
import { e2eSuite } from './e2e';
import { whatIf } from './what-if';

interface Workload {
  name: string;
  run: (rt: Runtime, pool: Pool, f: ApiFixture) => Promise<unknown>;
}

const LOAD_S = 10;
const WORKLOADS: Workload[] = [
  {
    name: `GET status, 16 connections, ${LOAD_S} s`,
    run: (rt, _pool, f) =>
      runLoad({
        label: 'profile status',
        url: rt.info.url,
        method: 'GET',
        connections: 16,
        durationS: LOAD_S,
        next: requestFor(f, 'status', false),
      }),
  },
  {
    name: `POST start, 16 connections, ${LOAD_S} s, then its workflows to the end`,
    run: async (rt, pool, f) => {
      await runLoad({
        label: 'profile start',
        url: rt.info.url,
        method: 'POST',
        connections: 16,
        durationS: LOAD_S,
        next: requestFor(f, 'start', false),
      });
      await waitUntilSettled(pool, 'api-user', 180_000, 'profile start: drain');
    },
  },
  { name: 'end to end, N = 1 000', run: (rt, pool) => e2eSuite({ rt, pool }, { sizes: [1000], budgetS: { 1000: 180 }, connections: 64 }) },
];

function render(name: string, s: ProfileSummary): string {
  const pct = (ms: number) => `${((100 * ms) / Math.max(1, s.sampledMs - s.idleMs)).toFixed(1)} %`;
  const rows = (xs: [string, number][]) => xs.map(([k, v]) => [k, v, pct(v)]);
  return [
    `## ${name}`,
    '',
    `${s.sampledMs} ms sampled, ${s.idleMs} ms idle; percentages are of the busy ${s.sampledMs - s.idleMs} ms.`,
    '',
    '**Self time by package or folder**',
    '',
    table(['where', 'ms', 'share'], rows(s.selfByPackage)),
    '',
    '**Inclusive time by package** (a sample counts for every package on its stack)',
    '',
    table(['where', 'ms', 'share'], rows(s.inclusiveByPackage)),
    '',
    '**Hottest functions (self)**',
    '',
    table(['function', 'ms', 'share'], rows(s.hotFunctions)),
    '',
  ].join('\n');
}

export async function runProfiles(machine: Machine): Promise<void> {
  const other = new OtherWork();
  const pg = await startBenchPostgres();
  const url = await pg.database('bench_profile');
  const pool = pg.pool(url);
  const sections: string[] = [];

  // Seed, and profile one cold start, with a runtime that is not profiled itself.
  let rt = await startRuntime({ root: pg.root, name: 'profile', databaseUrl: url });
  const fixture = await seedApiFixture(rt, pool);
  const [start] = bundleFunctions(['asyncProcessingHandler']);
  const coldDir = join(pg.root, 'profile-cold-start');
  const event = await writeEvent(
    pool,
    pg.root,
    start!.bundle.name,
    FIXTURES.asyncProcessingHandler,
    FUNCTIONS.asyncProcessingHandler.timeoutSeconds,
  );
  await runOnce(start!.bundle, event.file, coldStartEnv(rt, url), ['--cpu-prof', `--cpu-prof-dir=${coldDir}`, '--cpu-prof-interval=100']);
  sections.push(render(`Cold start of ${start!.bundle.name}: fresh node, require, first request`, summarizeProfile(onlyProfile(coldDir))));
  await rt.stop();

  for (const [i, w] of WORKLOADS.entries()) {
    say(`\n== profile: ${w.name} ==`);
    const dir = join(pg.root, `profile-${i}`);
    rt = await startRuntime({ root: pg.root, name: 'profile', databaseUrl: url, cpuProfileDir: dir });
    await w.run(rt, pool, fixture);
    await rt.stop();
    sections.push(render(`Runtime under ${w.name}`, summarizeProfile(onlyProfile(dir), rt.readyMs)));
  }

  say('\n== what if: X-Ray SDK in manual mode ==');
  sections.push(
    await whatIf(pg, "the X-Ray SDK's async hooks are off (AWS_XRAY_MANUAL_MODE=1)", [
      { label: 'as is', env: {} },
      { label: 'AWS_XRAY_MANUAL_MODE=1', env: { AWS_XRAY_MANUAL_MODE: '1' } },
    ]),
  );

  const otherShare = other.share();
  const out = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'profile.md'),
    [
      '# CPU profiles',
      '',
      `Generated by \`npm run bench -- --profile\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machineLine({ ...machine, postgres: pg.version })}).`,
      'The runtime runs under `node --cpu-prof` (1 ms sampling; its start-up is left out); the cold start under `--cpu-prof-interval=100` µs.',
      'Folders are repository paths; `bundle <name>` is the esbuild bundle (its packages are inlined, so they show as one).',
      `Other processes used ${Math.round((otherShare ?? NaN) * 100)} % of the CPU during these runs${(otherShare ?? 0) > OTHER_WORK_WARNING ? ' (**contended: what-if figures are low**)' : ''}.`,
      '',
      ...sections,
    ].join('\n'),
  );
  say(`\nProfiles summarised in ${join(out, 'profile.md')}`);
}
