/**
 * A quick slice of the chaos suite (`npm run chaos -- --quick`), part by part, inside `npm test`:
 * kill -9 of the runtime and of its PostgreSQL, cancel/retry races and the model's fault modes,
 * each against a runtime of its own. Nothing accepted may be lost or stuck, and no 5xx but a 503
 * with Retry-After may reach a client. The full run is `npm run chaos`.
 */
import { PARTS } from '../../../chaos/parts';
import type { PartResult } from '../../../chaos/types';

const SEED = 20261207;
const run = (name: string): Promise<PartResult> => PARTS[name]!({ quick: true, seed: SEED, log: () => undefined });

/** One line per failure, so a failing test shows what to reproduce (with the seed). */
const failuresOf = (r: PartResult) => r.failures.join('\n');

describe('chaos suite, quick slice', () => {
  it('kill-runtime: every accepted process survives kill -9 of the whole runtime and ends by running', async () => {
    const r = await run('kill-runtime');

    expect(failuresOf(r)).toBe('');
    expect(r.counts).toMatchObject({ lost: 0, stuckPastWorkflowTimeout: 0, endedBySweeper: 0, restartFailures: 0, runtimeDeaths: 0 });
    expect(r.counts.accepted).toBeGreaterThan(0);
    expect(r.counts.endedByRunning).toBe(r.counts.accepted);
    expect(r.failed).toBe(0);
  }, 180_000);

  it('kill-postgres: only 503 with Retry-After while the database is away, and nothing accepted is lost', async () => {
    const r = await run('kill-postgres');

    expect(failuresOf(r)).toBe('');
    expect(r.counts).toMatchObject({
      status5xxOther: 0,
      networkErrors: 0,
      lost: 0,
      stuckPastWorkflowTimeout: 0,
      endedBySweeper: 0,
      recoveryFailures: 0,
      runtimeDeaths: 0,
    });
    expect(r.counts.status503WithRetryAfter).toBeGreaterThan(0); // the outage was seen
    expect(r.failed).toBe(0);
  }, 180_000);

  it('races: cancel against completion and concurrent retries stay consistent', async () => {
    const r = await run('races');

    expect(failuresOf(r)).toBe('');
    expect(r.counts).toMatchObject({ inconsistentRaces: 0, retryViolations: 0 });
    expect(r.failed).toBe(0);
  }, 180_000);

  it('faults: every fault mode ends the processes as the contract says, none stuck', async () => {
    const r = await run('faults');

    expect(failuresOf(r)).toBe('');
    expect(r.counts).toMatchObject({ unexpected: 0, lost: 0, stuckPastWorkflowTimeout: 0, endedBySweeper: 0 });
    expect(r.failed).toBe(0);
  }, 180_000);
});
