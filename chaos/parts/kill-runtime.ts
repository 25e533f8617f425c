/**
 * kill-runtime: kill -9 of the whole runtime (its process group: node and its PostgreSQL) with
 * processes in flight, again and again. Clients re-send, with their Idempotency-Key, what was
 * not answered. Every accepted (202) process must still exist afterwards and end by running:
 * none lost, none left to the sweeper, none past the workflow timeout; every start right after
 * a kill must succeed.
 */
import type { ChaosPart } from '../types';
import { answered, newStart, resendUnanswered, sendStart, type StartRequest } from '../lib/clients';
import { countEndings, waitUntilEnded } from '../lib/outcomes';
import { Random } from '../lib/random';
import { disposeRuntime, startChaosRuntime, type ChaosRuntime } from '../lib/runtime';
import { median } from '../../bench/lib/stats';

const USERS = 10;

/** What the runtime logged since its last start about recovering what a crash left behind. */
function recoveryLog(output: string) {
  const lines = output.split('\n');
  const count = (text: string) => lines.filter((l) => l.includes(text)).length;
  const resumed = lines
    .filter((l) => l.includes('Executions left running by the last run'))
    .reduce((n, l) => n + (JSON.parse(l).resumed ?? 0), 0);
  return {
    lostStartsStartedByResend: count('Idempotent repeat of a process whose workflow was never recorded'),
    lostStartsStartedByQueueMonitor: count('Started a process whose workflow start was lost'),
    executionsRestartedByQueueMonitor: count('Started again a process whose execution Step Functions did not know'),
    executionsResumedAtStart: resumed,
  };
}
type Recovery = ReturnType<typeof recoveryLog>;
const addRecovery = (a: Recovery, b: Recovery): Recovery =>
  Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Recovery] + b[k as keyof Recovery]])) as Recovery;

async function activeCount(c: ChaosRuntime): Promise<number> {
  const { rows } = await c.db.query("SELECT count(*)::int AS n FROM processing_state WHERE status IN ('PENDING', 'PROCESSING')");
  return rows[0].n;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** A start right after a kill, timed; a failed start is a failure, and is tried again. */
async function restart(c: ChaosRuntime, failures: string[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const t0 = Date.now();
    try {
      await c.rt.boot();
      return Date.now() - t0;
    } catch (err) {
      failures.push(`start right after kill -9 failed (attempt ${attempt}): ${(err as Error).message.split('\n').slice(0, 3).join(' | ')}`);
      if (attempt >= 3) throw err;
    }
  }
}

export const killRuntime: ChaosPart = async ({ quick, seed, log }) => {
  const started = Date.now();
  const random = new Random(seed);
  const cycles = quick ? 1 : 5;
  const inFlight = quick ? 20 : 120;
  /** Per model call: four calls keep a process in flight for seconds. */
  const latencyMs = quick ? 300 : 1000;
  const failures: string[] = [];
  const restartsMs: number[] = [];
  const inFlightAtKill: number[] = [];
  let runtimeDeaths = 0;
  let restartFailures = 0;
  const requests: StartRequest[] = [];
  let recovery = recoveryLog('');

  const c = await startChaosRuntime();
  try {
    const tokens = await Promise.all(Array.from({ length: USERS }, (_, i) => c.rt.token(`chaos-kill-${seed}-${i}`)));
    const next = (cycle: number, i: number) =>
      newStart(
        `kill-${seed}-${cycle}-${i}`,
        tokens[i % USERS]!,
        random.pick(['SUBGOAL_GENERATION', 'ACTION_GENERATION', 'TASK_GENERATION'] as const),
      );
    for (let cycle = 1; cycle <= cycles; cycle++) {
      await c.rt.setFaults({ mode: 'none', latencyMs });
      // A wave that stays in flight, then a second one that the kill cuts off mid-request.
      const wave = Array.from({ length: inFlight }, (_, i) => next(cycle, i));
      requests.push(...wave);
      const sending = wave.map((r) => sendStart(c.rt.url, r));
      // Most of the wave accepted (its processes now run), and at least `inFlight` processes active.
      await waitFor(async () => wave.filter(answered).length >= 0.8 * inFlight && (await activeCount(c)) >= inFlight, 30_000);
      const late = Array.from({ length: Math.ceil(inFlight / 4) }, (_, i) => next(cycle, inFlight + i));
      requests.push(...late);
      const lateSending = late.map((r) => sendStart(c.rt.url, r));
      await new Promise((r) => setTimeout(r, random.int(0, 150)));
      if (!c.rt.alive) runtimeDeaths++;
      inFlightAtKill.push(await activeCount(c));
      recovery = addRecovery(recovery, recoveryLog(c.rt.output));

      await c.rt.crash();
      await Promise.allSettled([...sending, ...lateSending]);
      const unansweredAtKill = requests.filter((r) => !answered(r)).length;
      const ms = await restart(c, failures).catch(() => undefined);
      if (ms === undefined) {
        restartFailures++;
        break;
      }
      restartsMs.push(ms);
      await c.rt.setFaults({ mode: 'none', latencyMs });
      await resendUnanswered(c.rt.url, requests);
      log(
        `  cycle ${cycle}/${cycles}: killed with ${inFlightAtKill.at(-1)} in flight and ${unansweredAtKill} requests unanswered; restarted in ${ms} ms`,
      );
    }

    const accepted = requests.filter((r) => r.processId);
    const deadline = Date.now() + (c.workflowTimeoutSeconds + c.sweeperGraceSeconds + 30) * 1000;
    const outcomes = await waitUntilEnded(
      c.db,
      accepted.map((r) => r.processId!),
      deadline,
      log,
    );
    if (!c.rt.alive) runtimeDeaths++;
    recovery = addRecovery(recovery, recoveryLog(c.rt.output));

    const endings = countEndings(outcomes.values(), c.workflowTimeoutSeconds);
    const resent = accepted.filter((r) => r.sends > 1);
    const resentEndings = countEndings(
      resent.map((r) => outcomes.get(r.processId!)!),
      c.workflowTimeoutSeconds,
    );
    const duplicates =
      (await c.db.query('SELECT count(*)::int AS n FROM processing_state')).rows[0].n - new Set(accepted.map((r) => r.processId)).size;
    // Each accepted process must end COMPLETED by running, within the workflow timeout.
    const endedBadly = accepted.filter((r) => {
      const o = outcomes.get(r.processId!)!;
      return o.ending !== 'running' || o.status !== 'COMPLETED' || (o.tookS ?? Infinity) > c.workflowTimeoutSeconds;
    });
    for (const r of endedBadly) {
      const o = outcomes.get(r.processId!)!;
      failures.push(
        `process ${r.processId} (Idempotency-Key ${r.key}, sent ${r.sends}×) ended ${o.status}/${o.errorCode ?? '-'} by ${o.ending} after ${o.tookS ?? '?'} s; seed ${seed}`,
      );
    }
    const refused = requests.filter((x) => x.refused);
    for (const r of refused) failures.push(`start with Idempotency-Key ${r.key} was refused with ${r.refused}; seed ${seed}`);
    if (duplicates)
      failures.push(`${duplicates} processes exist that no accepted request created (an Idempotency-Key made two); seed ${seed}`);
    const failedChecks = endedBadly.length + restartFailures + runtimeDeaths + refused.length + (duplicates ? 1 : 0);
    const tried = accepted.length + cycles;
    return {
      name: 'kill-runtime',
      tried,
      passed: Math.max(0, tried - failedChecks),
      failed: failedChecks,
      counts: {
        cycles: restartsMs.length,
        inFlightAtKillMin: Math.min(...inFlightAtKill),
        inFlightAtKillMedian: median(inFlightAtKill),
        requests: requests.length,
        accepted: accepted.length,
        lost: endings.lost,
        stuckPastWorkflowTimeout: endings.stuckPastWorkflowTimeout,
        endedByRunning: endings.endedByRunning,
        endedByQueueMonitor: endings.endedByMonitor,
        endedBySweeper: endings.endedBySweeper,
        resent: resent.length,
        resentEndedByRunning: resentEndings.endedByRunning,
        resentEndedByQueueMonitor: resentEndings.endedByMonitor,
        resentEndedBySweeper: resentEndings.endedBySweeper,
        resentLost: resentEndings.lost,
        duplicateProcesses: Math.max(0, duplicates),
        ...recovery,
        restartMsMax: Math.max(...restartsMs),
        restartMsMedian: median(restartsMs),
        restartFailures,
        runtimeDeaths,
      },
      failures: failures.slice(0, 20),
      durationMs: Date.now() - started,
    };
  } finally {
    await disposeRuntime(c);
  }
};
