/**
 * `npm run scenarios`: every failure scenario on the local runtime, judged by the prod stack's
 * alarms; writes observability/results/latest.json and latest.md, exits 1 when one fails.
 *   npm run scenarios -- --only model-error-storm,database-outage   a subset (results not written)
 *   npm run scenarios -- --fast                                      the short variant npm test runs
 *   npm run scenarios -- --parallel 2 --scale 60
 *   npm run scenarios -- --help
 * An unknown option, scenario id or number stops it before anything runs (exit code 2).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderResults, resultInputs, RESULTS_DIR } from '../../observability/scenarios/report';
import { SCENARIOS } from '../../observability/scenarios/scenarios';
import { ROOT } from '../review-stacks';
import { runScenarios } from './run';
import { TIME_SCALES } from './settings';

const USAGE = `usage: npm run scenarios [-- options]
  (no option)            all ten scenarios at ${TIME_SCALES.full}x; writes ${RESULTS_DIR}/latest.{json,md}
  --only id,id           a subset (results not written); ids: ${SCENARIOS.map((s) => s.id).join(', ')}
  --fast                 the short variant npm test runs (results not written)
  --scale N              seconds of scenario clock per real second (default ${TIME_SCALES.full}, fast ${TIME_SCALES.fast})
  --parallel N           scenarios at once (default all at once; fast ${TIME_SCALES.fastParallel})
  --help                 this text`;

interface Options {
  variant: 'full' | 'fast';
  only?: string[];
  scale: number;
  parallel?: number;
}

/** The command line, or an error naming the option and what it accepts. */
function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      fast: { type: 'boolean' },
      scale: { type: 'string' },
      parallel: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const variant = values.fast ? 'fast' : 'full';
  const only = values.only?.split(',').filter(Boolean);
  const unknown = only?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? [];
  if (unknown.length) throw new Error(`--only: no scenario ${unknown.join(', ')}; the ids are ${SCENARIOS.map((s) => s.id).join(', ')}`);
  const scale = Number(values.scale ?? TIME_SCALES[variant]);
  if (!Number.isFinite(scale) || scale < 1) throw new Error(`--scale ${values.scale} must be a number of at least 1`);
  const parallel = values.parallel === undefined ? (variant === 'fast' ? TIME_SCALES.fastParallel : undefined) : Number(values.parallel);
  if (parallel !== undefined && (!Number.isInteger(parallel) || parallel < 1))
    throw new Error(`--parallel ${values.parallel} must be a whole number of at least 1`);
  return { variant, only, scale, parallel };
}

async function main() {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`scenarios: ${(err as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { variant, only, scale, parallel } = options;
  const { results, alarms } = await runScenarios({ variant, timeScale: scale, only, parallel, log: (l) => process.stderr.write(`${l}\n`) });
  const md = renderResults(results);
  if (!only?.length && variant === 'full') {
    mkdirSync(join(ROOT, RESULTS_DIR), { recursive: true });
    writeFileSync(
      join(ROOT, RESULTS_DIR, 'latest.json'),
      `${JSON.stringify({ ...results, alarmCounts: alarms.counts, inputs: resultInputs(SCENARIOS, alarms.alarms) }, null, 2)}\n`,
    );
    writeFileSync(join(ROOT, RESULTS_DIR, 'latest.md'), md);
    process.stderr.write(`wrote ${RESULTS_DIR}/latest.json and latest.md\n`);
  }
  process.stdout.write(md);
  process.exitCode = results.passed ? 0 : 1;
}

main().catch((err) => {
  process.stderr.write(`scenarios: ${(err as Error).stack ?? err}\n`);
  process.exit(2);
});
