/**
 * `npm run chaos [-- --quick] [--only kill-runtime,races] [--seed N]`: runs the chaos parts
 * (chaos/parts/index.ts) against runtimes they start in temp folders, and writes
 * chaos/results/latest.{json,md} (quick.* with --quick). Exits 1 when any part failed.
 */
import { parseArgs } from 'node:util';
import { OtherWork } from '../bench/lib/cpu';
import { describeMachine } from '../bench/lib/machine';
import { PARTS } from './parts';
import { writeResults, type PartRecord } from './lib/report';
import { disposeAll } from './lib/runtime';

const USAGE = `usage: npm run chaos [-- --quick] [--only ${Object.keys(PARTS).join(',')}] [--seed <integer>]`;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`);
  }
}

function options(argv: string[]) {
  const values = parse(argv);
  if (values.help) return undefined;
  const names = values.only
    ? values.only
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : Object.keys(PARTS);
  const unknown = names.filter((n) => !PARTS[n]);
  if (unknown.length) throw new Error(`Unknown part ${unknown.join(', ')}\n${USAGE}`);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer\n${USAGE}`);
  return { names, quick: values.quick, seed };
}

const say = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts = options(argv);
  if (!opts) {
    say(USAGE);
    return 0;
  }
  const command = `npm run chaos${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const machine = describeMachine();
  say(
    `async-ai-pipeline chaos suite on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}; seed ${opts.seed}${opts.quick ? '; quick' : ''}`,
  );
  const records: Record<string, PartRecord> = {};
  let failed = 0;
  for (const name of opts.names) {
    say(`${name}…`);
    const other = new OtherWork();
    const t0 = Date.now();
    const result = await PARTS[name]!({ quick: opts.quick, seed: opts.seed, log: say }).catch((err: Error) => ({
      name,
      tried: 1,
      passed: 0,
      failed: 1,
      counts: {},
      failures: [`the part stopped: ${err.stack ?? err.message}`.slice(0, 2000)],
      durationMs: Date.now() - t0,
    }));
    records[name] = { result, command, seed: opts.seed, ranAt: new Date().toISOString(), machine, otherWork: other.share() };
    failed += result.failed;
    say(`${name}: ${result.passed}/${result.tried} passed, ${result.failed} failed (${Math.round(result.durationMs / 1000)} s)`);
    for (const f of result.failures.slice(0, 5)) say(`  ✗ ${f}`);
  }
  const file = writeResults(opts.quick ? 'quick' : 'latest', records);
  say(`Results: ${file} and ${file.replace(/\.json$/, '.md')}`);
  return failed ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    say(`\n${signal}: stopping the runtimes the chaos suite started…`);
    void disposeAll().finally(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await disposeAll();
    process.exit(code);
  })
  .catch(async (err: Error) => {
    say(err.message);
    await disposeAll();
    process.exit(2);
  });
