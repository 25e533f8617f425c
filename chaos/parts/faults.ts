/**
 * faults: each fault mode of the local model (DESIGN.md §5) ends the processes as the contract
 * says: a fault that clears within the workflow's retries ends COMPLETED, one that does not ends
 * FAILED with the right error code, a step that runs past its timeout ends TIMEOUT; nothing is
 * left running past the workflow timeout.
 */
import type { ChaosPart } from '../types';
import { newStart, sendStart } from '../lib/clients';
import { countEndings, waitUntilEnded } from '../lib/outcomes';
import { Random } from '../lib/random';
import { disposeRuntime, startChaosRuntime } from '../lib/runtime';

type Ending = `${'COMPLETED' | 'FAILED' | 'TIMEOUT'}/${string}`;

interface Scenario {
  name: string;
  fault: { mode: string; count?: number; latencyMs?: number };
  /** The endings the contract allows, `STATUS/ERROR_CODE` (`-` for none). */
  expect: Ending[];
}

const STEP_TIMEOUT_S = 2;
const FOREVER = 1_000_000;

const SCENARIOS: Scenario[] = [
  { name: 'throttling that clears within the retries', fault: { mode: 'throttle', count: 3 }, expect: ['COMPLETED/-'] },
  { name: 'throttling that never clears', fault: { mode: 'throttle', count: FOREVER }, expect: ['FAILED/AI_ERROR'] },
  { name: 'model errors that clear within the retries', fault: { mode: 'error', count: 3 }, expect: ['COMPLETED/-'] },
  { name: 'model errors that never clear', fault: { mode: 'error', count: FOREVER }, expect: ['FAILED/AI_ERROR'] },
  // The one process whose call hangs has used up its step (the worker gives up at the step's deadline,
  // or Step Functions times the step out) and ends TIMEOUT; the others' calls answer.
  { name: 'one model call that hangs', fault: { mode: 'timeout', count: 1 }, expect: ['COMPLETED/-', 'TIMEOUT/TIMEOUT_ERROR'] },
  { name: 'invalid model output', fault: { mode: 'invalid-output', count: FOREVER }, expect: ['FAILED/VALIDATION_ERROR'] },
  {
    name: 'a slow model, within the step timeout',
    fault: { mode: 'none', latencyMs: (STEP_TIMEOUT_S * 1000) / 4 },
    expect: ['COMPLETED/-'],
  },
  // Nearly the whole step: the call may use it, so the process completes, slowly.
  {
    name: 'a slow model, using most of its step',
    fault: { mode: 'none', latencyMs: (STEP_TIMEOUT_S * 1000 * 3) / 4 },
    expect: ['COMPLETED/-'],
  },
  // Slower than the step: the step runs out of time.
  {
    name: 'a model slower than the step timeout',
    fault: { mode: 'none', latencyMs: STEP_TIMEOUT_S * 1000 + 500 },
    expect: ['TIMEOUT/TIMEOUT_ERROR'],
  },
];

export const faults: ChaosPart = async ({ quick, seed, log }) => {
  const started = Date.now();
  const random = new Random(seed);
  const perScenario = quick ? 1 : 4;
  const failures: string[] = [];
  const counts = {
    scenarios: SCENARIOS.length,
    processes: 0,
    asExpected: 0,
    unexpected: 0,
    lost: 0,
    stuckPastWorkflowTimeout: 0,
    endedBySweeper: 0,
  };
  /** How each mode's processes ended, e.g. `throttle → COMPLETED/-`. */
  const byMode: Record<string, number> = {};

  // Short steps and retries 20 ms apart, so every mode ends in seconds; the workflow timeout bounds "stuck".
  const c = await startChaosRuntime({
    AIP_STEP_TIMEOUT_SECONDS: String(STEP_TIMEOUT_S),
    AIP_WORKFLOW_TIMEOUT_SECONDS: '30',
    AIP_RETRY_INTERVAL_MS: '20',
  });
  try {
    const token = await c.rt.token(`chaos-faults-${seed}`);
    for (const [i, scenario] of SCENARIOS.entries()) {
      await c.rt.setFaults({ mode: scenario.fault.mode, count: scenario.fault.count, latencyMs: scenario.fault.latencyMs ?? 0 });
      const requests = Array.from({ length: perScenario }, (_, j) =>
        newStart(`fault-${seed}-${i}-${j}`, token, random.pick(['SUBGOAL_GENERATION', 'ACTION_GENERATION', 'TASK_GENERATION'] as const)),
      );
      await Promise.all(requests.map((r) => sendStart(c.rt.url, r)));
      const ids = requests.flatMap((r) => (r.processId ? [r.processId] : []));
      const deadline = Date.now() + (c.workflowTimeoutSeconds + c.sweeperGraceSeconds + 10) * 1000;
      const outcomes = await waitUntilEnded(c.db, ids, deadline, log);
      const endings = countEndings(outcomes.values(), c.workflowTimeoutSeconds);
      counts.lost += endings.lost + (requests.length - ids.length);
      counts.stuckPastWorkflowTimeout += endings.stuckPastWorkflowTimeout;
      counts.endedBySweeper += endings.endedBySweeper;
      const seen: string[] = [];
      for (const o of outcomes.values()) {
        const ending = `${o.status}/${o.errorCode ?? '-'}` as Ending;
        seen.push(ending);
        counts.processes++;
        const key = `${scenario.fault.mode}${scenario.fault.latencyMs ? `+${scenario.fault.latencyMs}ms` : ''} → ${ending}`;
        byMode[key] = (byMode[key] ?? 0) + 1;
        if (scenario.expect.includes(ending) && o.ending === 'running' && (o.tookS ?? Infinity) <= c.workflowTimeoutSeconds)
          counts.asExpected++;
        else {
          counts.unexpected++;
          failures.push(
            `${scenario.name} (${JSON.stringify(scenario.fault)}): process ${o.id} ended ${ending} by ${o.ending}; expected ${scenario.expect.join(' or ')}; seed ${seed}`,
          );
        }
      }
      log(`  ${scenario.name}: ${seen.join(', ')}`);
      await c.rt.setFaults({ mode: 'none', latencyMs: 0 });
    }
    const failed = counts.unexpected + counts.lost;
    const tried = SCENARIOS.length * perScenario;
    return {
      name: 'faults',
      tried,
      passed: Math.max(0, tried - failed),
      failed,
      counts: { ...counts, ...byMode },
      failures: failures.slice(0, 20),
      durationMs: Date.now() - started,
    };
  } finally {
    await disposeRuntime(c);
  }
};
