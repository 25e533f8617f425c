/**
 * Profiles the start API alone (lib/start-api.ts under `node --cpu-prof`) at 16 connections, and
 * the bare baseline doing the same statements, for `npm run bench -- --profile`.
 */
import { join } from 'node:path';
import { onlyProfile, summarizeProfile, type ProfileSummary } from './cpu-profile';
import { CpuMeter, type CpuSample } from './cpu';
import { runLoad, type LoadResult } from './load';
import { say } from './progress';
import type { Runtime } from './runtime';
import { startStartApi } from './start-api';
import { requestFor, type ApiFixture } from '../suites/api';

export interface StartApiProfile {
  summary: ProfileSummary;
  runtime: LoadResult & { cpu: CpuSample };
  baseline: LoadResult & { cpu: CpuSample };
  /** The .cpuprofile (in the run's folder, removed with it). */
  file: string;
}

export async function profileStartApi(opts: {
  root: string;
  databaseUrl: string;
  rt: Runtime;
  fixture: ApiFixture;
  postgresPid?: number;
  seconds: number;
}): Promise<StartApiProfile> {
  const dir = join(opts.root, `profile-start-api-${Date.now()}`);
  const stack = await startStartApi({ root: opts.root, databaseUrl: opts.databaseUrl, keysDir: opts.rt.dataDir, cpuProfileDir: dir });
  try {
    const load = async (bare: boolean, pid: number) => {
      const spec = {
        label: `profile start ${bare ? 'baseline' : 'alone'}`,
        url: bare ? stack.baseline.info.url : stack.api.info.url,
        method: 'POST' as const,
        connections: 16,
        next: requestFor(opts.fixture, 'start', bare),
      };
      await runLoad({ ...spec, durationS: 1 });
      const meter = new CpuMeter(pid, opts.postgresPid);
      const before = meter.sample();
      const result = await runLoad({ ...spec, durationS: opts.seconds });
      return { ...result, cpu: CpuMeter.perUnit(before, meter.sample(), result.requests) };
    };
    const baseline = await load(true, stack.baseline.pid);
    const runtime = await load(false, stack.api.pid);
    say(
      `  start alone ${runtime.rps} req/s, CPU ${runtime.cpu.server} + ${runtime.cpu.postgres} ms/req; baseline ${baseline.rps} req/s, CPU ${baseline.cpu.server} + ${baseline.cpu.postgres} ms/req`,
    );
    await stack.stop();
    const file = onlyProfile(dir);
    return { summary: summarizeProfile(file, stack.api.readyMs), runtime, baseline, file };
  } finally {
    await stack.stop();
  }
}
