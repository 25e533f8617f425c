/**
 * `node --import tsx bench/lib/profile-api-cli.ts [seconds]`: one profile of the start API alone
 * and one of GET status on the runtime, printed as tables (the quick loop behind NOTES.md; the
 * full set is `npm run bench -- --profile`).
 */
import { join } from 'node:path';
import { runCli } from './cleanup';
import { formatProfile, keepProfile, onlyProfile, summarizeProfile, type ProfileSummary } from './cpu-profile';
import { CpuMeter } from './cpu';
import { runLoad } from './load';
import { startBenchPostgres } from './postgres';
import { startRuntime } from './runtime';
import { profileStartApi } from './profile-start-api';
import { requestFor, seedApiFixture } from '../suites/api';

const seconds = Number(process.argv[2] ?? 8);
const print = (title: string, s: ProfileSummary) => process.stdout.write(formatProfile(title, s));

async function main(): Promise<void> {
  const pg = await startBenchPostgres();
  const url = await pg.database('bench_profile');
  const pool = pg.pool(url);
  const statusDir = join(pg.root, 'profile-status');
  const rt = await startRuntime({ root: pg.root, name: 'profile', databaseUrl: url, cpuProfileDir: statusDir });
  const fixture = await seedApiFixture(rt, pool);
  const meter = new CpuMeter(rt.pid, pg.pid);
  const before = meter.sample();
  const status = await runLoad({
    label: 'profile status',
    url: rt.info.url,
    method: 'GET',
    connections: 16,
    durationS: seconds,
    next: requestFor(fixture, 'status', false),
  });
  const cpu = CpuMeter.perUnit(before, meter.sample(), status.requests);
  process.stdout.write(`status: ${status.rps} req/s p95 ${status.p95Ms} ms, CPU ${cpu.server} + ${cpu.postgres} ms/req\n`);
  const start = await profileStartApi({
    root: pg.root,
    databaseUrl: await pg.database('bench_profile_start'),
    rt,
    fixture,
    postgresPid: pg.pid,
    seconds,
  });
  await rt.stop();
  keepProfile(start.file, 'start-api.cpuprofile');
  print('start API alone, 16 connections', start.summary);
  const statusFile = onlyProfile(statusDir);
  keepProfile(statusFile, 'status.cpuprofile');
  print('GET status, 16 connections', summarizeProfile(statusFile, rt.readyMs));
}

runCli(main);
