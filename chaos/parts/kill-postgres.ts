/**
 * kill-postgres: kill -9 of the embedded PostgreSQL's postmaster (only it) while clients start
 * processes and read their status. The runtime must restart it by itself: meanwhile the API
 * answers 503 with Retry-After and no other 5xx, /health recovers, and every accepted process
 * ends by running, none lost, none left to the sweeper.
 */
import type { ChaosPart } from '../types';
import { median } from '../../bench/lib/stats';
import { Tally, answered, newStart, resendUnanswered, sendStart, type StartRequest } from '../lib/clients';
import { countEndings, waitUntilEnded } from '../lib/outcomes';
import { Random } from '../lib/random';
import { disposeRuntime, postmasterPid, startChaosRuntime, type ChaosRuntime } from '../lib/runtime';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface HealthWatch {
  non200: number;
  /** Degraded answers (503) without Retry-After: the API server adds it (issue 10, the edge's half). */
  degradedWithoutRetryAfter: number;
  lastOk: number;
  stop: () => void;
}

function watchHealth(c: ChaosRuntime): HealthWatch {
  const watch: HealthWatch = { non200: 0, degradedWithoutRetryAfter: 0, lastOk: Date.now(), stop: () => undefined };
  let running = true;
  watch.stop = () => (running = false);
  void (async () => {
    while (running) {
      try {
        const res = await fetch(`${c.rt.url}/health`, { signal: AbortSignal.timeout(5000) });
        await res.text();
        if (res.status === 200) watch.lastOk = Date.now();
        else {
          watch.non200++;
          if (!res.headers.get('retry-after')) watch.degradedWithoutRetryAfter++;
        }
      } catch {
        watch.non200++;
      }
      await sleep(50);
    }
  })();
  return watch;
}

/** Clients that start processes and read the status of the ones accepted, until `stop()`. */
function runLoad(c: ChaosRuntime, tokens: string[], random: Random, seed: number, tally: Tally, requests: StartRequest[]) {
  let running = true;
  const loops = tokens.map(async (_, client) => {
    for (let i = 0; running; i++) {
      const known = requests.filter((r) => r.processId);
      if (known.length && random.next() < 0.5) {
        const r = random.pick(known);
        const what = `GET /v1/processes/${r.processId}`;
        try {
          const res = await fetch(`${c.rt.url}/v1/processes/${r.processId}`, {
            headers: { authorization: `Bearer ${r.token}` },
            signal: AbortSignal.timeout(30_000),
          });
          tally.record(what, res, await res.text());
        } catch (err) {
          tally.record(what, err as Error);
        }
      } else {
        const r = newStart(`pg-${seed}-${client}-${i}`, tokens[client % tokens.length]!);
        requests.push(r);
        await sendStart(c.rt.url, r, tally);
      }
      await sleep(random.int(5, 40));
    }
  });
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

export const killPostgres: ChaosPart = async ({ quick, seed, log }) => {
  const started = Date.now();
  const random = new Random(seed);
  const kills = quick ? 1 : 3;
  const gapMs = quick ? 1_000 : 8_000;
  const clients = quick ? 3 : 6;
  const failures: string[] = [];
  const recoveriesMs: number[] = [];
  let recoveryFailures = 0;
  let runtimeDeaths = 0;
  const tally = new Tally();
  const requests: StartRequest[] = [];

  // The full run keeps the workflow's own DatabaseError backoff (waits of up to 30 s, so processes
  // finish up to that long after the outage); the quick one retries every 2 s, 8 times, which
  // still outlasts a restart and ends in seconds.
  const c = await startChaosRuntime(quick ? { AIP_RETRY_INTERVAL_MS: '2000' } : {});
  try {
    await c.rt.setFaults({ mode: 'none', latencyMs: 300 });
    const tokens = await Promise.all(Array.from({ length: clients }, (_, i) => c.rt.token(`chaos-pg-${seed}-${i}`)));
    const health = watchHealth(c);
    const stopLoad = runLoad(c, tokens, random, seed, tally, requests);
    for (let k = 1; k <= kills; k++) {
      await sleep(gapMs + random.int(0, 500));
      const pid = postmasterPid(c);
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      // Recovered: /health answers 200 again, after the kill.
      const deadline = killedAt + 60_000;
      while (health.lastOk <= killedAt + 100 && Date.now() < deadline) await sleep(20);
      if (health.lastOk > killedAt + 100) recoveriesMs.push(health.lastOk - killedAt);
      else {
        recoveryFailures++;
        failures.push(`kill -9 of postmaster ${pid}: /health not 200 again within 60 s; seed ${seed}`);
      }
      log(`  kill ${k}/${kills}: postmaster ${pid} killed; /health 200 again after ${recoveriesMs.at(-1) ?? '—'} ms`);
    }
    await sleep(gapMs);
    await stopLoad();
    health.stop();
    if (!c.rt.alive) runtimeDeaths++;
    // Clients send again what got no 202 (a 503 during the outage): after Retry-After, as told.
    await resendUnanswered(c.rt.url, requests, tally);

    const accepted = requests.filter((r) => r.processId);
    const deadline = Date.now() + (c.workflowTimeoutSeconds + c.sweeperGraceSeconds + 30) * 1000;
    const outcomes = await waitUntilEnded(
      c.db,
      accepted.map((r) => r.processId!),
      deadline,
      log,
    );
    if (!c.rt.alive) runtimeDeaths++;
    const endings = countEndings(outcomes.values(), c.workflowTimeoutSeconds);
    for (const o of outcomes.values()) {
      if (o.ending === 'running' && (o.tookS ?? 0) <= c.workflowTimeoutSeconds) continue;
      failures.push(`process ${o.id} ended ${o.status}/${o.errorCode ?? '-'} by ${o.ending} after ${o.tookS ?? '?'} s; seed ${seed}`);
    }
    failures.push(...tally.examples);
    const unanswered = requests.filter((r) => !answered(r)).length;

    const badProcesses = [...outcomes.values()].filter((o) => o.ending !== 'running' || (o.tookS ?? 0) > c.workflowTimeoutSeconds).length;
    // A degraded /health must tell clients when to come back, like every 503 of the API.
    if (health.degradedWithoutRetryAfter > 0)
      failures.push(`/health answered 503 without Retry-After ${health.degradedWithoutRetryAfter} times; seed ${seed}`);
    const failed =
      tally.unexpected5xx +
      tally.networkErrors +
      badProcesses +
      recoveryFailures +
      runtimeDeaths +
      unanswered +
      health.degradedWithoutRetryAfter;
    const tried = tally.requests + accepted.length + kills;
    return {
      name: 'kill-postgres',
      tried,
      passed: Math.max(0, tried - failed),
      failed,
      counts: {
        kills,
        requests: tally.requests,
        ...Object.fromEntries(Object.entries(tally.byStatus).map(([s, n]) => [`status${s}`, n])),
        status503WithRetryAfter: tally.unavailableWithRetryAfter,
        status5xxOther: tally.unexpected5xx,
        networkErrors: tally.networkErrors,
        healthNon200: health.non200,
        healthDegradedWithoutRetryAfter: health.degradedWithoutRetryAfter,
        recoveryMsMax: Math.max(...recoveriesMs),
        recoveryMsMedian: median(recoveriesMs),
        recoveryFailures,
        accepted: accepted.length,
        unanswered,
        lost: endings.lost,
        stuckPastWorkflowTimeout: endings.stuckPastWorkflowTimeout,
        endedByRunning: endings.endedByRunning,
        endedByQueueMonitor: endings.endedByMonitor,
        endedBySweeper: endings.endedBySweeper,
        runtimeDeaths,
      },
      failures: failures.slice(0, 20),
      durationMs: Date.now() - started,
    };
  } finally {
    await disposeRuntime(c);
  }
};
