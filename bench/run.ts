/**
 * `npm run bench [-- --only api,e2e] [--quick] [--profile]`: measures the service on the local
 * runtime and writes bench/results/latest.{json,md} (a subset run updates only its sections).
 * `--quick` shortens every measurement and writes results/quick.* instead (a smoke test);
 * `--profile` runs the CPU-profile workloads instead and writes results/profile.md.
 */
import { describeMachine } from './lib/machine';
import { stopAll } from './lib/cleanup';
import { say } from './lib/progress';
import { parseBenchArgs, UsageError } from './lib/args';
import { runSuites } from './suites';
import { runProfiles } from './suites/profile';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseBenchArgs(argv);
  const machine = describeMachine();
  const t0 = Date.now();
  say(
    `async-ai-pipeline benchmarks on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}${args.quick ? ' — quick mode' : ''}`,
  );
  if (args.profile) await runProfiles(machine);
  else
    await runSuites(args.suites, { machine, quick: args.quick, commandLine: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}` });
  say(`Done in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
}

main()
  .then(() => stopAll())
  .then(() => process.exit(0))
  .catch(async (err: unknown) => {
    say(err instanceof UsageError ? err.message : `Benchmark failed: ${(err as Error).stack ?? String(err)}`);
    await stopAll();
    process.exit(1);
  });
