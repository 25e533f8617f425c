/**
 * The failure scenarios, fast variant (fewer minutes, a stronger compression, the same
 * assertions), one at a time on its own local runtime, judged by every alarm the prod stack
 * deploys. A subset: the quiet ones and the attack, which hold at this compression on a shared
 * 2-core machine; `npm run scenarios` runs all ten and commits their table.
 */
import { SCENARIOS } from '../../../observability/scenarios/scenarios';
import type { ScenarioResults } from '../../../observability/scenarios/report';
import { TIME_SCALES } from '../../../tools/scenarios/settings';
import { runScenarios } from '../../../tools/scenarios/run';
import { createTestDatabase } from '../../../harness/test-database';

jest.setTimeout(900_000);

/** The scenarios npm test plays (the normal day always runs: it is the others' history). */
const FAST_SUBSET = ['normal-day', 'low-traffic-failure', 'token-guessing'];

/** Each scenario on a fresh database of the test server (jest cannot start an embedded one itself). */
async function database() {
  // Not migrated here: the runtime migrates its database as it starts, as on a new stack.
  const db = await createTestDatabase({ migrate: false });
  return { url: db.url, stop: () => db.drop() };
}

let results: ScenarioResults;

beforeAll(async () => {
  ({ results } = await runScenarios({ variant: 'fast', timeScale: TIME_SCALES.fast, parallel: 1, only: FAST_SUBSET, database }));
});

const chosen = SCENARIOS.filter((s) => FAST_SUBSET.includes(s.id));

describe('failure scenarios (fast variant)', () => {
  it.each(chosen.map((s) => [s.id, s] as const))('%s fires exactly its alarms and pages as it says', (id, scenario) => {
    const outcome = results.scenarios.find((s) => s.id === id)!;
    expect(outcome.problems).toEqual([]);
    expect(outcome.fired.map((f) => f.id).sort()).toEqual([...scenario.expect.fires].sort());
    expect(outcome.pages.map((p) => p.incident)).toEqual(scenario.expect.pages.map((p) => `incident-${p.incident}`));
  });

  it('pages only in critical scenarios', () => {
    expect(results.scenarios.map((s) => [s.id, s.pages.length])).toEqual(chosen.map((s) => [s.id, s.critical ? 1 : 0]));
  });
});
