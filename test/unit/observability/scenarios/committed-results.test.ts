/**
 * The committed scenario table (observability/results/latest.{json,md}, written by the full
 * `npm run scenarios`) is the one for today's scenarios and alarms: a change to a scenario's
 * definition or to any alarm the prod stack deploys makes it stale until the run is repeated.
 * Whether the run passed is the table's own verdict (its first line); this test keeps it current.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderResults, resultInputs, results, RESULTS_DIR, type ScenarioResults } from '../../../../observability/scenarios/report';
import { SCENARIOS } from '../../../../observability/scenarios/scenarios';
import { scenarioAlarms } from '../../../../tools/scenarios/alarms';
import { ROOT } from '../../../../tools/review-stacks';

jest.setTimeout(120_000);

const REGENERATE = 'run `npm run scenarios` and commit observability/results/';
const committed = JSON.parse(readFileSync(join(ROOT, RESULTS_DIR, 'latest.json'), 'utf8')) as ScenarioResults & {
  inputs: ReturnType<typeof resultInputs>;
};

describe('the committed scenario results', () => {
  it(`were computed from today's scenarios and prod alarms (else ${REGENERATE})`, async () => {
    const alarms = await scenarioAlarms(committed.run.stack);
    expect(committed.inputs).toEqual(resultInputs(SCENARIOS, alarms.alarms));
    expect(committed.awsOnly).toEqual(alarms.coverage.awsOnly);
    // A new alarm in the catalog is not yet judged: its table would say it fired nowhere.
    const judged = results(committed.run, committed.scenarios, alarms.coverage);
    expect({ neverFired: committed.neverFired, passed: committed.passed }).toEqual({
      neverFired: judged.neverFired,
      passed: judged.passed,
    });
  });

  it('are a full run of every scenario, as the runner wrote it', () => {
    expect(committed.run).toMatchObject({ stack: 'prod', variant: 'full', command: 'npm run scenarios' });
    expect(committed.scenarios.map((s) => s.id)).toEqual(SCENARIOS.map((s) => s.id));
    expect(committed.scenarios.map((s) => s.critical)).toEqual(SCENARIOS.map((s) => s.critical));
  });

  it('latest.md is the table of latest.json', () => {
    expect(readFileSync(join(ROOT, RESULTS_DIR, 'latest.md'), 'utf8')).toBe(renderResults(committed));
  });
});
