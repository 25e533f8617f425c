/**
 * `node --import tsx bench/lib/profile-e2e-cli.ts [N]`: one CPU profile of the runtime under the
 * end-to-end workload (N processes, default 500, 64 connections), printed as tables, with the CPU
 * per process of the runtime and of PostgreSQL (the quick loop behind NOTES.md section 4; the full
 * set is `npm run bench -- --profile`). PROFILE_KEEP=<folder> keeps the .cpuprofile.
 */
import { join } from 'node:path';
import { e2eSuite } from '../suites/e2e';
import { runCli } from './cleanup';
import { CpuMeter } from './cpu';
import { formatProfile, keepProfile, onlyProfile, summarizeProfile } from './cpu-profile';
import { startBenchPostgres } from './postgres';
import { startRuntime } from './runtime';

const n = Number(process.argv[2] ?? 500);

async function main(): Promise<void> {
  const pg = await startBenchPostgres();
  const url = await pg.database('bench_profile_e2e');
  const pool = pg.pool(url);
  const dir = join(pg.root, 'profile-e2e');
  const rt = await startRuntime({ root: pg.root, name: 'profile-e2e', databaseUrl: url, cpuProfileDir: dir });
  const meter = new CpuMeter(rt.pid, pg.pid);
  const before = meter.sample();
  await e2eSuite({ rt, pool }, { sizes: [n], budgetS: { [n]: 600 }, connections: 64 });
  const cpu = CpuMeter.perUnit(before, meter.sample(), n);
  await rt.stop();
  const file = onlyProfile(dir);
  keepProfile(file, 'e2e.cpuprofile');
  const s = summarizeProfile(file, rt.readyMs);
  process.stdout.write(
    `\nend to end, N = ${n}: CPU ${cpu.server} + ${cpu.postgres} ms/process (runtime + PostgreSQL, profiler on)\n` +
      formatProfile(`runtime under end to end, N = ${n}`, s),
  );
}

runCli(main);
