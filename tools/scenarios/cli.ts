/**
 * `npm run scenarios`: every failure scenario on the local runtime, judged by the prod stack's
 * alarms; writes observability/results/latest.json and latest.md, exits 1 when one fails.
 *   npm run scenarios -- --only model-error-storm,database-outage   a subset (results not written)
 *   npm run scenarios -- --fast                                      the short variant npm test runs
 *   npm run scenarios -- --parallel 2 --scale 60
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderResults, resultInputs, RESULTS_DIR } from '../../observability/scenarios/report';
import { SCENARIOS } from '../../observability/scenarios/scenarios';
import { ROOT } from '../review-stacks';
import { runScenarios } from './run';
import { TIME_SCALES } from './settings';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

async function main() {
  const variant = process.argv.includes('--fast') ? 'fast' : 'full';
  const only = arg('only')?.split(',').filter(Boolean);
  const scale = Number(arg('scale') ?? TIME_SCALES[variant]);
  const parallel = arg('parallel') === undefined ? (variant === 'fast' ? TIME_SCALES.fastParallel : undefined) : Number(arg('parallel'));
  if (!Number.isFinite(scale) || scale < 1) throw new Error(`--scale ${arg('scale')} must be a number of at least 1`);
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
