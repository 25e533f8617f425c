/**
 * The failure scenarios, as data: what each does to the local runtime, minute by minute of its
 * (compressed) clock, and what it must cause: the alarms that fire (every other alarm the runtime
 * can feed must stay quiet), the pages (PagerDuty incidents, with their escalation) and the
 * notifications (Slack and e-mail, one per alarm that fires). The runner (tools/scenarios) plays
 * them; outcome.ts judges them.
 */
import type { IncidentClassId } from '../alarms/kinds';
import type { Responder } from '../escalation-stages';

export type ModelMode = 'none' | 'throttle' | 'error' | 'timeout' | 'invalid-output';

/** One thing a scenario does, at a minute of its clock. */
export type Action =
  /**
   * Users start processes of every type at this rate until `until`, and poll each at its Retry-After
   * until it ends; a start answered 503 is sent again after its Retry-After with the same
   * Idempotency-Key. `everyRoute`: every minute one user cancels a running process and one retries
   * a failed one (or tries to).
   */
  | { readonly kind: 'traffic'; readonly startsPerMinute: number; readonly until: number; readonly everyRoute?: boolean }
  /** The local model's fault injection (POST /_local/ai/faults): the next `count` calls fail this way, every call takes `latencySeconds`. */
  | { readonly kind: 'model'; readonly mode: ModelMode; readonly count?: number; readonly latencySeconds?: number }
  /** The database stops answering (its server is frozen: connections hang) or answers again. */
  | { readonly kind: 'database'; readonly state: 'frozen' | 'running' }
  /** Requests with forged tokens at this rate until `until`. */
  | { readonly kind: 'tokenGuessing'; readonly requestsPerMinute: number; readonly until: number }
  /** Every execution that starts is stopped outside the API (StopExecution), until `until`: the workflow loses the processes. */
  | { readonly kind: 'loseExecutions'; readonly until: number }
  /** A session holds every active row (SELECT … FOR UPDATE in an open transaction) until `until`: the sweeper cannot end them. */
  | { readonly kind: 'holdActiveRows'; readonly until: number }
  /**
   * A maintenance task runs now (as its schedule starts it); the heartbeats of the tasks it records
   * are due `dueAfterMinutes` from now (the end of its window). `blockedUntil`: an index build left
   * running holds the table until then.
   */
  | {
      readonly kind: 'maintenance';
      readonly task: 'weekly-maintenance' | 'monthly-maintenance';
      readonly blockedUntil?: number;
      readonly dueAfterMinutes: number;
    };

export interface Step {
  /** Minute of the scenario's clock. */
  readonly at: number;
  readonly action: Action;
}

export interface ExpectedPage {
  readonly incident: IncidentClassId;
  /** The escalation levels PagerDuty engages before the incident is acknowledged or resolved. */
  readonly escalatesTo: readonly Responder[];
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly what: string;
  readonly critical: boolean;
  /** Length of the run, minutes of its clock (the fast variant may shorten it without changing the expectations). */
  readonly minutes: number;
  readonly fastMinutes?: number;
  /**
   * The strongest compression it plays at. A compressed clock compresses waits, not CPU: a scenario
   * whose traffic is heavy plays slower, so the runtime does the same work in the same real time as
   * on AWS and answers on time.
   */
  readonly maxTimeScale?: number;
  readonly steps: readonly Step[];
  readonly expect: {
    /** Alarm ids (metric and composite) that go to ALARM; every other locally fed alarm must not. */
    readonly fires: readonly string[];
    readonly pages: readonly ExpectedPage[];
    /** When the on-call acknowledges, minutes after the page. @default never */
    readonly acknowledgeAfterMinutes?: number;
  };
}

const WORKER = 'ai-generation-worker';

/** Traffic of a normal day: prod's worker reservation (10) holds at most ~8 generations at once. */
const NORMAL = 2;

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'normal-day',
    title: 'Normal mixed day',
    critical: false,
    minutes: 240,
    fastMinutes: 60,
    what: 'Two processes a minute of every type, each polled at its Retry-After; every minute a user cancels one and another retries one; the model answers in 30 s a slice, and one call fails.',
    steps: [
      { at: 0, action: { kind: 'model', mode: 'none', latencySeconds: 30 } },
      { at: 0, action: { kind: 'traffic', startsPerMinute: NORMAL, until: 240, everyRoute: true } },
      { at: 30, action: { kind: 'model', mode: 'error', count: 1, latencySeconds: 30 } },
    ],
    expect: { fires: [], pages: [] },
  },
  {
    id: 'low-traffic-failure',
    title: 'Low traffic, one failure',
    critical: false,
    minutes: 360,
    fastMinutes: 120,
    what: 'Night-time: a process every 10 minutes, and one of them fails (1 of 1 finished in its window: 100 %).',
    steps: [
      { at: 0, action: { kind: 'model', mode: 'none', latencySeconds: 30 } },
      { at: 0, action: { kind: 'traffic', startsPerMinute: 0.1, until: 360 } },
      { at: 45, action: { kind: 'model', mode: 'error', count: 1, latencySeconds: 30 } },
    ],
    expect: { fires: [], pages: [] },
  },
  {
    id: 'model-error-storm',
    title: 'Model error storm',
    critical: true,
    minutes: 60,
    what: 'Every model call fails (Bedrock rejects the requests) for 15 minutes at five starts a minute, then the model recovers.',
    steps: [
      { at: 0, action: { kind: 'model', mode: 'none', latencySeconds: 30 } },
      { at: 0, action: { kind: 'traffic', startsPerMinute: NORMAL, until: 60 } },
      { at: 15, action: { kind: 'traffic', startsPerMinute: 5, until: 30 } },
      { at: 15, action: { kind: 'model', mode: 'error', count: 1_000_000, latencySeconds: 1 } },
      { at: 30, action: { kind: 'model', mode: 'none', latencySeconds: 30 } },
    ],
    expect: {
      fires: [
        'error-rate',
        'failed-count',
        `lambda-errors-${WORKER}`,
        'slo-error-budget-fast-long',
        'slo-error-budget-fast-short',
        'slo-error-budget-fast',
        'slo-error-budget-slow-long',
        'slo-error-budget-slow-short',
        'slo-error-budget-slow',
        'incident-processing-failing',
      ],
      pages: [{ incident: 'processing-failing', escalatesTo: ['on-call'] }],
      acknowledgeAfterMinutes: 5,
    },
  },
  {
    id: 'throttling-storm',
    title: 'Throttling storm',
    critical: true,
    minutes: 100,
    // Every process in the storm holds a worker for a whole step: at 60× the runtime's own work
    // (polling, the queue monitor) would be compressed with it and starve.
    maxTimeScale: 20,
    what: "Bedrock is overloaded for 75 minutes at five starts a minute: every call queues for 320 s, longer than the 300 s step, before it is throttled. Each step's model call gives up at the step's deadline (StepTimedOut), so processes end TIMEOUT; the storm's last calls time out too, and no slow completion follows.",
    steps: [
      { at: 0, action: { kind: 'model', mode: 'none', latencySeconds: 30 } },
      { at: 0, action: { kind: 'traffic', startsPerMinute: NORMAL, until: 100 } },
      { at: 10, action: { kind: 'traffic', startsPerMinute: 3, until: 85 } },
      { at: 10, action: { kind: 'model', mode: 'throttle', count: 1_000_000, latencySeconds: 320 } },
      { at: 85, action: { kind: 'model', mode: 'none', latencySeconds: 30 } },
    ],
    expect: {
      // TIMEOUT is an error too (ErrorRate counts FAILED and TIMEOUT, and so does the error budget);
      // every step ends in an error (StepTimedOut) at 95 % of its timeout, and holds its worker meanwhile.
      fires: [
        'timeout-rate',
        'error-rate',
        'timeout-count',
        `lambda-errors-${WORKER}`,
        `lambda-duration-${WORKER}`,
        `lambda-concurrency-${WORKER}`,
        'slo-timeout-budget-fast-long',
        'slo-timeout-budget-fast-short',
        'slo-timeout-budget-fast',
        'slo-timeout-budget-slow-long',
        'slo-timeout-budget-slow-short',
        'slo-timeout-budget-slow',
        'slo-error-budget-fast-long',
        'slo-error-budget-fast-short',
        'slo-error-budget-fast',
        'slo-error-budget-slow-long',
        'slo-error-budget-slow-short',
        'slo-error-budget-slow',
        'incident-processing-failing',
      ],
      pages: [{ incident: 'processing-failing', escalatesTo: ['on-call'] }],
      acknowledgeAfterMinutes: 10,
    },
  },
  {
    id: 'database-outage',
    title: 'Database outage',
    critical: true,
    minutes: 80,
    what: 'The database stops answering for 20 minutes (its server frozen: connections hang) under normal traffic, then comes back. API calls time out (5xx), clients send their starts again after Retry-After and keep polling, the queue monitor times out; the executions of the processes in flight fail, and once the database is back the queue monitor ends those processes as their executions ended (FAILED), within minutes: nothing waits for the sweeper.',
    steps: [
      { at: 0, action: { kind: 'model', mode: 'none', latencySeconds: 30 } },
      { at: 0, action: { kind: 'traffic', startsPerMinute: NORMAL, until: 80, everyRoute: true } },
      { at: 10, action: { kind: 'database', state: 'frozen' } },
      { at: 30, action: { kind: 'database', state: 'running' } },
    ],
    expect: {
      fires: [
        'queue-monitor-failing',
        'queue-monitor-silent',
        'incident-database-unreachable',
        'api-server-errors',
        'incident-api-failing',
        'incident-processing-failing-cause',
        ...['async-processing-handler', 'status-check-handler', 'retry-handler', 'cancel-handler', 'queue-monitor'].flatMap((f) => [
          `lambda-duration-${f}`,
        ]),
        ...['async-processing-handler', 'status-check-handler', 'retry-handler', 'cancel-handler'].map((f) => `lambda-errors-${f}`),
        // The stranded processes end FAILED together once the database is back (the queue monitor
        // ends them as their executions ended): the 5-minute error rate and both short burn windows
        // (5 and 30 minutes) hold them; the hour's and six hours' volume dilutes them. They come
        // after incident-database-unreachable is OK: database-recently-unreachable keeps the
        // suppressor in ALARM, so incident-processing-failing goes to ALARM without paging.
        'error-rate',
        'slo-error-budget-fast-short',
        'slo-error-budget-slow-short',
        'database-recently-unreachable',
        'incident-processing-failing',
      ],
      pages: [{ incident: 'database-unreachable', escalatesTo: ['on-call'] }],
    },
  },
  {
    id: 'stuck-processes',
    title: 'Stuck processes',
    critical: true,
    minutes: 120,
    what: 'For three minutes every execution is stopped outside the API as it starts (the workflow loses the processes), then a forgotten session holds the rows of every active process, so the sweeper cannot end them; nobody acknowledges the page until the session is ended at minute 108, an hour after it paged.',
    steps: [
      { at: 0, action: { kind: 'model', mode: 'none', latencySeconds: 30 } },
      { at: 0, action: { kind: 'traffic', startsPerMinute: NORMAL, until: 120 } },
      { at: 5, action: { kind: 'loseExecutions', until: 8 } },
      { at: 9, action: { kind: 'holdActiveRows', until: 108 } },
    ],
    expect: {
      fires: [
        // The stopped executions: the queue monitor ends the processes it reaches before the
        // session takes their rows as their executions ended (FAILED), more than 5 in 5 minutes.
        'sfn-unexpected-aborts',
        'failed-count',
        'slo-error-budget-fast-short',
        'slo-error-budget-slow-short',
        // The ones whose rows the session holds stay active past every timeout and page; the
        // workers of the running ones give up on their held rows (lock waits end with their
        // function's time) and the workers of every later process go on, with their own connections.
        'oldest-active-process',
        'processes-recently-stuck',
        'incident-processes-stuck',
        'incident-processing-failing-cause',
        // When the session ends the sweeper ends them TIMEOUT: a handful, below the rates' volume
        // guard at this traffic, so no processing-failing incident.
        'processes-swept',
      ],
      pages: [{ incident: 'processes-stuck', escalatesTo: ['on-call', 'team-lead', 'manager'] }],
    },
  },
  {
    id: 'queue-backlog',
    title: 'Queue backlog',
    critical: false,
    minutes: 45,
    fastMinutes: 25,
    maxTimeScale: 20,
    what: 'A burst of 40 starts a minute for 8 minutes while the model takes 45 s a slice: more than 100 processes wait or run, and the worker runs far past its reservation.',
    steps: [
      { at: 0, action: { kind: 'model', mode: 'none', latencySeconds: 45 } },
      { at: 0, action: { kind: 'traffic', startsPerMinute: NORMAL, until: 45 } },
      { at: 5, action: { kind: 'traffic', startsPerMinute: 40, until: 13 } },
    ],
    expect: { fires: ['queue-depth', `lambda-concurrency-${WORKER}`], pages: [] },
  },
  {
    id: 'slow-model',
    title: 'Slow model',
    critical: false,
    minutes: 95,
    what: 'The model takes 260 s a slice (under the 300 s step timeout) for 70 minutes at one start a minute: processes take 17 minutes, so every type misses its completion-time SLO over the hour.',
    steps: [
      { at: 0, action: { kind: 'model', mode: 'none', latencySeconds: 260 } },
      { at: 0, action: { kind: 'traffic', startsPerMinute: 1, until: 70 } },
      { at: 70, action: { kind: 'model', mode: 'none', latencySeconds: 30 } },
    ],
    expect: {
      fires: [
        'processing-time',
        'slo-completion-time-subgoal-generation',
        'slo-completion-time-action-generation',
        'slo-completion-time-task-generation',
        `lambda-duration-${WORKER}`,
        `lambda-concurrency-${WORKER}`,
      ],
      pages: [],
    },
  },
  {
    id: 'failed-weekly-cleanup',
    title: 'Failed weekly cleanup',
    critical: false,
    minutes: 90,
    fastMinutes: 85,
    what: "The first Sunday's maintenance (the weekly cleanup and the monthly window) starts while an index build left running holds the table: the cleanup deletes what it may, then its index maintenance waits for the lock until the run times out. No success is recorded, so both heartbeats go overdue an hour after the window ends.",
    steps: [
      { at: 0, action: { kind: 'traffic', startsPerMinute: 0.2, until: 90 } },
      { at: 5, action: { kind: 'maintenance', task: 'monthly-maintenance', blockedUntil: 90, dueAfterMinutes: 5 } },
    ],
    expect: {
      fires: [
        'lambda-scheduled-errors-processing-cleanup',
        'lambda-duration-processing-cleanup',
        'maintenance-overdue-weekly-maintenance',
        'maintenance-overdue-monthly-maintenance',
      ],
      pages: [],
    },
  },
  {
    id: 'token-guessing',
    title: 'Token-guessing attack',
    critical: false,
    minutes: 30,
    what: 'A client sends 60 requests a minute with forged tokens for 15 minutes, among normal traffic; the JWT authorizer refuses them all (401).',
    steps: [
      { at: 0, action: { kind: 'model', mode: 'none', latencySeconds: 30 } },
      { at: 0, action: { kind: 'traffic', startsPerMinute: NORMAL, until: 30 } },
      { at: 5, action: { kind: 'tokenGuessing', requestsPerMinute: 60, until: 20 } },
    ],
    expect: { fires: ['api-auth-failures'], pages: [] },
  },
];
