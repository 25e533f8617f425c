/**
 * The failure scenarios, fast variant (fewer minutes, a stronger compression, the same
 * assertions): each on its own local runtime, judged by every alarm the prod stack deploys.
 * `npm run scenarios` runs the full variant and commits its table.
 */
import { SCENARIOS } from '../../../observability/scenarios/scenarios';
import type { ScenarioResults } from '../../../observability/scenarios/report';
import { TIME_SCALES } from '../../../tools/scenarios/settings';
import { runScenarios } from '../../../tools/scenarios/run';

jest.setTimeout(900_000);

let results: ScenarioResults;

beforeAll(async () => {
  ({ results } = await runScenarios({ variant: 'fast', timeScale: TIME_SCALES.fast, parallel: TIME_SCALES.fastParallel }));
});

describe('failure scenarios (fast variant)', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))('%s fires exactly its alarms and pages as it says', (id, scenario) => {
    const outcome = results.scenarios.find((s) => s.id === id)!;
    expect(outcome.problems).toEqual([]);
    expect(outcome.pages.map((p) => p.incident)).toEqual(scenario.expect.pages.map((p) => `incident-${p.incident}`));
  });

  it('pages exactly once in every critical scenario, never in the others', () => {
    expect(results.scenarios.map((s) => [s.id, s.pages.length])).toEqual(SCENARIOS.map((s) => [s.id, s.critical ? 1 : 0]));
  });

  it('fires every alarm in a scenario, or lists it as AWS-only with the reason', () => {
    expect(results.neverFired).toEqual([]);
    for (const why of Object.values(results.awsOnly)) expect(why.length).toBeGreaterThan(20);
  });
});
