/**
 * Plays a scenario's steps against a runtime, on the scenario's compressed clock: minute m of the
 * scenario is real time `origin + m * 60 s / timeScale`. Traffic is users starting processes of
 * every type, polling them, cancelling and retrying; the other actions break what the scenario
 * says, the way it would break on AWS.
 */
import { ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PROCESS_TYPES, type ProcessType } from '../../guide';
import type { Action, Scenario } from '../../observability/scenarios/scenarios';
import { VALID_INPUTS } from './inputs';
import { connectDatabase, type ScenarioRuntime } from './runtime';
import { localStateMachineArn, LOCAL_IDS } from './alarms';

export interface Clock {
  /** Scenario seconds per real second. */
  readonly scale: number;
  /** Real ms of a scenario minute. */
  at(minute: number): number;
  /** The scenario minute now. */
  minute(): number;
  until(minute: number): Promise<void>;
}

export function scenarioClock(origin: number, timeScale: number): Clock {
  const msPerMinute = 60_000 / timeScale;
  return {
    scale: timeScale,
    at: (m) => origin + m * msPerMinute,
    minute: () => (Date.now() - origin) / msPerMinute,
    until: (m) => new Promise((ok) => setTimeout(ok, Math.max(0, origin + m * msPerMinute - Date.now()))),
  };
}

interface Tracked {
  readonly id: string;
  readonly token: string;
  status: string;
}

const ACTIVE = new Set(['PENDING', 'PROCESSING']);
const FAILED = new Set(['FAILED', 'TIMEOUT']);

/** What the scripted users know: their processes, and every request still in flight. */
class Users {
  readonly processes: Tracked[] = [];
  readonly inFlight = new Set<Promise<unknown>>();
  private n = 0;

  constructor(
    private readonly rt: ScenarioRuntime,
    private readonly clock: Clock,
    private readonly end: number,
  ) {}

  /** Fire and forget, but awaited at the end of the scenario. */
  track(p: Promise<unknown>): void {
    const q = p.catch(() => undefined).finally(() => this.inFlight.delete(q));
    this.inFlight.add(q);
  }

  /** Waits a Retry-After of the contract (seconds of the scenario's clock). */
  private async after(retryAfter: unknown): Promise<boolean> {
    const seconds = Number(retryAfter) > 0 ? Number(retryAfter) : 5;
    await new Promise((ok) => setTimeout(ok, (seconds * 1000) / this.clock.scale));
    return this.clock.minute() < this.end;
  }

  /** Starts a process (again after Retry-After, same Idempotency-Key, while it gets 503), then polls it until it ends. */
  async start(): Promise<void> {
    const type: ProcessType = PROCESS_TYPES[this.n % PROCESS_TYPES.length]!;
    const token = await this.rt.token(`scenario-user-${this.n++ % 50}`);
    const key = `k-${this.n}-${Date.now()}`;
    for (;;) {
      const res = await this.rt.request('POST', '/v1/processes', {
        token,
        body: { type, input: VALID_INPUTS[type] },
        headers: { 'idempotency-key': key },
      });
      if (res.status === 202) {
        const p = { id: res.body.processId as string, token, status: res.body.status as string };
        this.processes.push(p);
        return this.follow(p);
      }
      if (res.status < 500 || !(await this.after(res.headers['retry-after']))) return;
    }
  }

  /** Polls a process at its Retry-After until it ends (or the scenario does). */
  async follow(p: Tracked): Promise<void> {
    let retryAfter: unknown = 5;
    while (ACTIVE.has(p.status) && (await this.after(retryAfter))) {
      const res = await this.rt.request('GET', `/v1/processes/${p.id}`, { token: p.token });
      if (res.status === 200) p.status = res.body.status;
      retryAfter = res.headers['retry-after'];
    }
  }

  async cancelOne(): Promise<void> {
    const p = this.processes.find((x) => ACTIVE.has(x.status));
    if (!p) return;
    const res = await this.rt.request('POST', `/v1/processes/${p.id}/cancel`, { token: p.token });
    if (res.status === 200) p.status = 'CANCELLED';
  }

  /** Retries a failed process, or (none failed) asks to retry one that did not fail: a 409. */
  async retryOne(): Promise<void> {
    const p = this.processes.find((x) => FAILED.has(x.status)) ?? this.processes[this.processes.length - 1];
    if (!p) return;
    const res = await this.rt.request('POST', `/v1/processes/${p.id}/retry`, { token: p.token });
    if (res.status === 202) {
      p.status = 'PENDING';
      await this.follow(p);
    }
  }
}

type Runner = (action: Action, at: number) => Promise<void>;

export async function playScenario(scenario: Scenario, rt: ScenarioRuntime, clock: Clock, minutes: number): Promise<void> {
  const users = new Users(rt, clock, minutes);
  const running: Promise<void>[] = [];
  const sfn = new SFNClient({
    endpoint: rt.sfnEndpoint,
    region: LOCAL_IDS.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  const traffic = async (a: Extract<Action, { kind: 'traffic' }>, from: number) => {
    let owed = 0;
    for (let m = from; m < Math.min(a.until, minutes); m++) {
      await clock.until(m);
      owed += a.startsPerMinute;
      const now = Math.floor(owed + 1e-9);
      owed -= now;
      // Spread over the minute, as users arrive.
      for (let i = 0; i < now; i++) users.track(clock.until(m + i / Math.max(1, now)).then(() => users.start()));
      if (a.everyRoute) {
        users.track(clock.until(m + 0.3).then(() => users.cancelOne()));
        users.track(clock.until(m + 0.6).then(() => users.retryOne()));
      }
    }
  };

  const runners: Record<Action['kind'], Runner> = {
    traffic: (a, at) => traffic(a as Extract<Action, { kind: 'traffic' }>, at),
    async model(a) {
      const m = a as Extract<Action, { kind: 'model' }>;
      // The fault control takes real milliseconds: a model latency is a wait, so it is compressed.
      const latencyMs = Math.round(((m.latencySeconds ?? 0) * 1000) / clock.scale);
      const res = await rt.request('POST', '/_local/ai/faults', { body: { mode: m.mode, count: m.count ?? 0, latencyMs } });
      if (res.status !== 200) throw new Error(`fault control refused ${JSON.stringify(m)}: ${JSON.stringify(res.body)}`);
    },
    async database(a) {
      if ((a as Extract<Action, { kind: 'database' }>).state === 'frozen') rt.db.freeze();
      else rt.db.unfreeze();
    },
    async tokenGuessing(a) {
      const g = a as Extract<Action, { kind: 'tokenGuessing' }>;
      const forged = `${(await rt.token('victim')).slice(0, -8)}AAAAAAAA`;
      for (let m = Math.ceil(clock.minute()); m < Math.min(g.until, minutes); m++) {
        await clock.until(m);
        for (let i = 0; i < g.requestsPerMinute; i++)
          users.track(rt.request('GET', `/v1/processes/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, { token: forged }));
      }
    },
    async loseExecutions(a) {
      const l = a as Extract<Action, { kind: 'loseExecutions' }>;
      // Every few seconds of the scenario's clock: each execution is stopped within its first step.
      while (clock.minute() < l.until) {
        const { executions = [] } = await sfn.send(
          new ListExecutionsCommand({ stateMachineArn: localStateMachineArn(LOCAL_IDS), statusFilter: 'RUNNING' }),
        );
        for (const e of executions)
          await sfn
            .send(new StopExecutionCommand({ executionArn: e.executionArn!, cause: 'stopped outside the API (scenario)' }))
            .catch(() => undefined);
        await new Promise((ok) => setTimeout(ok, 5000 / clock.scale));
      }
    },
    async holdActiveRows(a) {
      const h = a as Extract<Action, { kind: 'holdActiveRows' }>;
      const client = await connectDatabase(rt.databaseUrl);
      try {
        await client.query('BEGIN');
        await client.query("SELECT id FROM processing_state WHERE status IN ('PENDING', 'PROCESSING') FOR UPDATE");
        await clock.until(h.until);
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    },
    async maintenance(a) {
      const t = a as Extract<Action, { kind: 'maintenance' }>;
      const tasks = t.task === 'monthly-maintenance' ? ['weekly-maintenance', t.task] : [t.task];
      for (const task of tasks) await seedMaintenanceDue(rt, task, clock, t.dueAfterMinutes);
      const client = t.blockedUntil !== undefined ? await connectDatabase(rt.databaseUrl) : undefined;
      try {
        // An index build left running holds the table's SHARE UPDATE EXCLUSIVE lock: reads and writes go
        // on, but the REINDEX / VACUUM of the maintenance wait for it until the run times out.
        if (client) await client.query('BEGIN; LOCK TABLE processing_state IN SHARE UPDATE EXCLUSIVE MODE');
        const res = await rt.request('POST', '/_local/maintenance', { body: { task: t.task } });
        if (client && res.status === 200) throw new Error(`the blocked ${t.task} succeeded: ${JSON.stringify(res.body)}`);
        // Held on: a timed-out Lambda is gone on AWS, but the local handler would carry on once the lock goes.
        if (t.blockedUntil !== undefined) await clock.until(t.blockedUntil);
      } finally {
        if (client) {
          await client.query('ROLLBACK').catch(() => undefined);
          await client.end();
        }
      }
    },
  };

  for (const step of scenario.steps) {
    if (step.at >= minutes) continue;
    running.push(clock.until(step.at).then(() => runners[step.action.kind](step.action, step.at)));
  }
  await Promise.all(running);
  await clock.until(minutes);
  await Promise.all([...users.inFlight]);
  sfn.destroy();
}

/**
 * The last success of a maintenance task, as its heartbeat record: due `dueAfterMinutes` from now
 * (scenario minutes, in the runtime's real time).
 */
async function seedMaintenanceDue(rt: ScenarioRuntime, task: string, clock: Clock, dueAfterMinutes: number): Promise<void> {
  const client = await connectDatabase(rt.databaseUrl);
  try {
    const due = new Date(clock.at(clock.minute() + dueAfterMinutes));
    await client.query(
      `INSERT INTO maintenance_runs (task, succeeded_at, due_at) VALUES ($1, now(), $2)
       ON CONFLICT (task) DO UPDATE SET succeeded_at = now(), due_at = $2`,
      [task, due],
    );
  } finally {
    await client.end();
  }
}
