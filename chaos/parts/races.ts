/**
 * races: cancel against completion, at random moments of a run, and concurrent retries of one
 * FAILED process. Every outcome must be consistent: a process is COMPLETED with its result or
 * CANCELLED without one, never both; nothing is written to a process after its cancel was
 * answered; of concurrent retries exactly one starts a new attempt, and the cap holds.
 */
import { API } from '../../guide';
import { median } from '../../bench/lib/stats';
import type { ChaosPart } from '../types';
import { newStart, sendStart, type StartRequest } from '../lib/clients';
import { Random } from '../lib/random';
import { disposeRuntime, startChaosRuntime, type ChaosRuntime } from '../lib/runtime';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  status: string;
  result: unknown;
  progress: number;
  partial: number;
  retry_count: number;
  attempt: number;
  execution_running: boolean;
}

/** The row and whether its current attempt's execution is still running in the local Step Functions. */
async function rowOf(c: ChaosRuntime, id: string): Promise<Row> {
  const { rows } = await c.db.query(
    `SELECT p.status, p.result, p.progress, jsonb_array_length(p.partial_result) AS partial, p.retry_count, p.attempt,
            EXISTS (SELECT 1 FROM local_sfn.execution e WHERE e.name = p.id || '-a' || p.attempt AND e.status = 'RUNNING') AS execution_running
       FROM processing_state p WHERE p.id = $1`,
    [id],
  );
  return rows[0];
}

/** Waits until the process has ended and its execution too (so a late write would have landed). */
async function settled(c: ChaosRuntime, id: string, timeoutMs = 60_000): Promise<Row> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await rowOf(c, id);
    if (row && row.status !== 'PENDING' && row.status !== 'PROCESSING' && !row.execution_running) return row;
    if (Date.now() > deadline) return row;
    await sleep(50);
  }
}

async function post(c: ChaosRuntime, path: string, token: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${c.rt.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** One cancel-vs-complete race; returns what was inconsistent, if anything. */
async function race(
  c: ChaosRuntime,
  r: StartRequest,
  cancelAfterMs: number,
): Promise<{ outcome: 'cancelled' | 'completed-first'; problem?: string }> {
  await sendStart(c.rt.url, r);
  if (!r.processId) return { outcome: 'completed-first', problem: `start not accepted (${r.refused ?? 'no answer'})` };
  await sleep(cancelAfterMs);
  const cancel = await post(c, `/v1/processes/${r.processId}/cancel`, r.token);
  const row = await settled(c, r.processId);
  const where = `process ${r.processId}, cancel after ${cancelAfterMs} ms`;
  if (cancel.status === 200) {
    if (row.status !== 'CANCELLED' || row.result !== null)
      return {
        outcome: 'cancelled',
        problem: `${where}: cancel answered 200 but the process ended ${row.status}${row.result ? ' with a result' : ''}`,
      };
    if (row.progress !== cancel.body.progress)
      return { outcome: 'cancelled', problem: `${where}: progress moved from ${cancel.body.progress} to ${row.progress} after the cancel` };
    return { outcome: 'cancelled' };
  }
  if (cancel.status === 409 && cancel.body?.error?.code === 'INVALID_STATE') {
    if (row.status !== 'COMPLETED' || row.result === null)
      return {
        outcome: 'completed-first',
        problem: `${where}: cancel refused (409) but the process is ${row.status}${row.result ? '' : ' without a result'}`,
      };
    return { outcome: 'completed-first' };
  }
  return { outcome: 'completed-first', problem: `${where}: cancel answered ${cancel.status} ${JSON.stringify(cancel.body)}` };
}

/** Concurrent retries of one FAILED process, round after round up to the cap and one past it. */
async function retryStorm(c: ChaosRuntime, r: StartRequest, concurrent: number): Promise<{ rounds: number; problems: string[] }> {
  const problems: string[] = [];
  await sendStart(c.rt.url, r);
  if (!r.processId) return { rounds: 0, problems: [`start not accepted (${r.refused ?? 'no answer'})`] };
  const id = r.processId;
  let rounds = 0;
  for (let round = 1; round <= API.retryCap + 1; round++) {
    const before = await settled(c, id);
    if (before.status !== 'FAILED') {
      problems.push(`process ${id}: expected FAILED before retry round ${round}, found ${before.status}`);
      break;
    }
    const answers = await Promise.all(Array.from({ length: concurrent }, () => post(c, `/v1/processes/${id}/retry`, r.token)));
    rounds++;
    const accepted = answers.filter((a) => a.status === 202).length;
    const row = await rowOf(c, id);
    if (round <= API.retryCap) {
      // Exactly one new attempt. A retry that finds that attempt not started yet starts it too (the
      // same execution name) and answers 202 for it; the rest find it PENDING or running: 409.
      const others = answers.filter((a) => a.status !== 202).map((a) => `${a.status} ${a.body?.error?.code ?? ''}`);
      const attempts = new Set(answers.filter((a) => a.status === 202).map((a) => a.body.retryCount));
      if (accepted < 1 || attempts.size !== 1 || !attempts.has(round))
        problems.push(`process ${id}, retry round ${round}: ${accepted} accepted, for retry counts ${[...attempts].join(', ') || 'none'}`);
      if (others.some((o) => !o.startsWith('409 INVALID_STATE')))
        problems.push(`process ${id}, retry round ${round}: the others answered ${[...new Set(others)].join(', ')}`);
      if (row.retry_count !== round || row.attempt !== round + 1)
        problems.push(`process ${id}, retry round ${round}: retry_count ${row.retry_count}, attempt ${row.attempt}`);
    } else {
      const codes = new Set(answers.map((a) => `${a.status} ${a.body?.error?.code}`));
      if (accepted || codes.size !== 1 || !codes.has('409 RETRY_LIMIT_EXCEEDED'))
        problems.push(`process ${id}: past the cap, retries answered ${[...codes].join(', ')}`);
      if (row.retry_count !== API.retryCap) problems.push(`process ${id}: retry_count ${row.retry_count} past the cap of ${API.retryCap}`);
    }
  }
  return { rounds, problems };
}

/** How long after its 202 a process is COMPLETED, with the same load as the races (16 at a time). */
async function typicalRunMs(c: ChaosRuntime, token: string, seed: number): Promise<number> {
  const took = await Promise.all(
    Array.from({ length: 16 }, async (_, i) => {
      const r = newStart(`race-calibration-${seed}-${i}`, token);
      await sendStart(c.rt.url, r);
      const t0 = Date.now();
      while (r.processId && Date.now() - t0 < 30_000 && (await rowOf(c, r.processId)).status !== 'COMPLETED') await sleep(10);
      return Date.now() - t0;
    }),
  );
  return median(took);
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export const races: ChaosPart = async ({ quick, seed, log }) => {
  const started = Date.now();
  const random = new Random(seed);
  const raceCount = quick ? 30 : 500;
  const stormCount = quick ? 2 : 20;
  const concurrentRetries = 8;
  const failures: string[] = [];
  const counts = {
    typicalRunMs: 0,
    races: 0,
    cancelled: 0,
    completedFirst: 0,
    inconsistentRaces: 0,
    retryProcesses: 0,
    retryRounds: 0,
    retryViolations: 0,
  };

  // Steps of 4 quick model calls: a run lasts a few hundred ms, so cancels land before, during and after it.
  const c = await startChaosRuntime({ AIP_RETRY_INTERVAL_MS: '20' });
  try {
    const token = await c.rt.token(`chaos-races-${seed}`);
    await c.rt.setFaults({ mode: 'none', latencyMs: 40 });
    // Cancels land from early in a run to just after its end: around how long a run takes here, now.
    const runMs = await typicalRunMs(c, token, seed);
    counts.typicalRunMs = runMs;
    const plans = Array.from({ length: raceCount }, (_, i) => ({
      r: newStart(`race-${seed}-${i}`, token),
      after: random.int(Math.round(runMs * 0.1), Math.round(runMs * 1.1)),
    }));
    await inBatches(plans, 16, async ({ r, after }) => {
      const { outcome, problem } = await race(c, r, after);
      counts.races++;
      if (outcome === 'cancelled') counts.cancelled++;
      else counts.completedFirst++;
      if (problem) {
        counts.inconsistentRaces++;
        failures.push(`${problem}; seed ${seed}`);
      }
    });
    log(
      `  ${counts.races} cancel-vs-complete races: ${counts.cancelled} cancelled, ${counts.completedFirst} completed first, ${counts.inconsistentRaces} inconsistent`,
    );

    // Every model answer invalid: each attempt ends FAILED (VALIDATION_ERROR) after its first model call,
    // which takes long enough that a burst of retries all find the attempt the first of them began.
    await c.rt.setFaults({ mode: 'invalid-output', count: 1_000_000, latencyMs: 300 });
    const storms = Array.from({ length: stormCount }, (_, i) => newStart(`retry-${seed}-${i}`, token));
    await inBatches(storms, 4, async (r) => {
      const { rounds, problems } = await retryStorm(c, r, concurrentRetries);
      counts.retryProcesses++;
      counts.retryRounds += rounds;
      counts.retryViolations += problems.length;
      failures.push(...problems.map((p) => `${p}; seed ${seed}`));
    });
    log(`  ${counts.retryProcesses} processes × ${concurrentRetries} concurrent retries per round: ${counts.retryViolations} violations`);

    const failed = counts.inconsistentRaces + counts.retryViolations;
    const tried = counts.races + counts.retryRounds;
    return {
      name: 'races',
      tried,
      passed: Math.max(0, tried - failed),
      failed,
      counts,
      failures: failures.slice(0, 20),
      durationMs: Date.now() - started,
    };
  } finally {
    await disposeRuntime(c);
  }
};
