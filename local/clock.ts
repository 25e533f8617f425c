/**
 * The local runtime's clock as the functions' timeouts and durations see it. With a compressed
 * clock (AIP_TIME_SCALE > 1, `npm run scenarios`) the runtime compresses waits, not work: its own
 * CPU and the database's answers take the real time they take, on whatever machine runs it. A
 * function's time on the scenario clock is therefore its work at real speed plus its waits times the
 * time scale, and its timeout is a deadline on that clock. What an invocation's time is, by role:
 *
 * - `waits` (the worker): the model's latency, which the scenario sets and the fault control
 *   compresses; the state machine's step timeout that bounds it is compressed in the definition too.
 *   The whole invocation counts as waiting (its own work is a few statements around the model call).
 * - `work` (the API handlers and the maintenance functions): statements the database answers and AWS
 *   calls the local services answer, and their CPU, are work. A statement or call still unanswered
 *   counts as a wait while it is pending (the scenario froze the database, or holds a lock the
 *   statement waits for), and as work once it is answered. So a slow machine makes an invocation
 *   slower, never late; one that waits on what does not answer times out on the scenario clock.
 *
 * Pending statements and calls are seen through the `pg` client the functions use (its prototypes,
 * hooked once by `trackWaits`) and Node's `http.client.request.start` diagnostics channel (the AWS
 * SDK's requests), attributed to the invocation by AsyncLocalStorage. With a time scale of 1 both
 * clocks are real time and nothing is hooked.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import pg from 'pg';

export type InvocationTime = 'waits' | 'work';

export interface Invocation<R> {
  readonly done: Promise<R>;
  /** The invocation's time so far on the clock, ms (a timed-out one's is its timeout). */
  elapsedMs(): number;
}

export interface InvocationClock {
  /** Runs one invocation; `done` rejects with `timedOut()` once it has taken `timeoutMs` on this clock. */
  run<R>(fn: () => Promise<R>, timeoutMs: number | undefined, timedOut: () => Error): Invocation<R>;
}

/** Real time: the invocation's duration and timeout are what they are (`npm start`). */
export const REAL_TIME: InvocationClock = compressedClock(1, 'waits');

/**
 * One invocation's time under `work` accounting: `charged` is the scenario ms up to `mark` (real);
 * from there on, real time counts once while nothing is pending and `scale` times while something is.
 */
class Account {
  private charged = 0;
  private mark: number;
  private pending = 0;
  closed = false;

  constructor(
    private readonly scale: number,
    private readonly onChange: () => void,
  ) {
    this.mark = performance.now();
  }

  private settle(): void {
    const t = performance.now();
    this.charged += t - this.mark;
    this.mark = t;
  }

  /** A statement or call starts: from now the invocation waits (unless it already did). */
  begin(): void {
    if (this.closed) return;
    if (this.pending++ === 0) {
      this.settle();
      this.onChange();
    }
  }

  /** It was answered: the time it took was work, counted once. */
  end(): void {
    if (this.closed || this.pending === 0) return;
    if (--this.pending === 0) {
      this.settle();
      this.onChange();
    }
  }

  elapsed(): number {
    const since = performance.now() - this.mark;
    return this.charged + (this.pending ? since * this.scale : since);
  }

  /** Real ms until the invocation reaches `limit` on the scenario clock, if nothing changes. */
  realUntil(limit: number): number {
    const left = limit - this.elapsed();
    return Math.max(0, this.pending ? left / this.scale : left);
  }
}

const accounts = new AsyncLocalStorage<Account>();

/**
 * A clock `scale` times faster than real time for waits. `waits`: the invocation's real time is all
 * waiting. `work`: only its unanswered statements and calls are (the hooks must be installed:
 * `trackWaits`).
 */
export function compressedClock(scale: number, time: InvocationTime): InvocationClock {
  if (time === 'work' && scale > 1) {
    trackWaits();
    return { run: (fn, timeoutMs, timedOut) => runAccounted(fn, timeoutMs, timedOut, scale) };
  }
  return {
    run(fn, timeoutMs, timedOut) {
      const started = performance.now();
      let expired = false;
      let timer: NodeJS.Timeout | undefined;
      const run = fn();
      const done =
        timeoutMs === undefined
          ? run
          : Promise.race([
              run,
              new Promise<never>((_, reject) => {
                timer = setTimeout(() => {
                  expired = true;
                  reject(timedOut());
                }, timeoutMs / scale);
              }),
            ]).finally(() => clearTimeout(timer));
      return { done, elapsedMs: () => (expired ? timeoutMs! : (performance.now() - started) * scale) };
    },
  };
}

function runAccounted<R>(fn: () => Promise<R>, timeoutMs: number | undefined, timedOut: () => Error, scale: number): Invocation<R> {
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  let reject: (err: Error) => void = () => undefined;
  const expiry = new Promise<never>((_, no) => (reject = no));
  // When the deadline may have come, look again after the I/O already received is handled
  // (setImmediate runs after the poll phase): an answer that arrived is work, not a wait.
  const arm = () => {
    clearTimeout(timer);
    if (timeoutMs === undefined || account.closed) return;
    timer = setTimeout(() => setImmediate(check), account.realUntil(timeoutMs));
  };
  const check = () => {
    if (account.closed) return;
    if (account.elapsed() < timeoutMs!) return arm();
    expired = true;
    account.closed = true;
    reject(timedOut());
  };
  const account = new Account(scale, arm);
  arm();
  const run = accounts.run(account, fn);
  const done = Promise.race([run, expiry]).finally(() => {
    account.closed = true;
    clearTimeout(timer);
  });
  let final: number | undefined;
  void done.then(
    () => (final = account.elapsed()),
    () => (final = expired ? timeoutMs! : account.elapsed()),
  );
  return { done, elapsedMs: () => final ?? (expired ? timeoutMs! : account.elapsed()) };
}

/** The invocation a checked-out client works for (set when the pool hands it out). */
const OWNER = Symbol('aip.invocation');
type Owned = { [OWNER]?: Account };
let tracking = false;

/** Hooks, once, what tells an invocation it waits: `pg` statements and checkouts, and HTTP requests. */
export function trackWaits(): void {
  if (tracking) return;
  tracking = true;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client & Owned, ...args: unknown[]) {
    const account = this[OWNER] ?? accounts.getStore();
    if (!account) return query.apply(this, args);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      account.begin();
      args[args.length - 1] = function (this: unknown, ...r: unknown[]) {
        account.end();
        return (last as (...a: unknown[]) => unknown).apply(this, r);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args) as { then?: (ok: () => void, no: () => void) => void };
    if (typeof result?.then === 'function') {
      account.begin();
      result.then(
        () => account.end(),
        () => account.end(),
      );
    }
    return result;
  } as typeof pg.Client.prototype.query;

  const connect = pg.Pool.prototype.connect as (
    cb?: (err: Error | undefined, client?: Owned, release?: unknown) => void,
  ) => Promise<Owned> | undefined;
  pg.Pool.prototype.connect = function (this: pg.Pool, cb?: (err: Error | undefined, client?: Owned, release?: unknown) => void) {
    const account = accounts.getStore();
    account?.begin();
    if (typeof cb === 'function') {
      return connect.call(this, (err, client, release) => {
        if (client) client[OWNER] = account;
        account?.end();
        cb(err, client, release);
      });
    }
    return connect
      .call(this)!
      .then((client) => {
        client[OWNER] = account;
        return client;
      })
      .finally(() => account?.end());
  } as typeof pg.Pool.prototype.connect;

  subscribe('http.client.request.start', (message) => {
    const account = accounts.getStore();
    if (!account) return;
    account.begin();
    (message as { request: ClientRequest }).request.once('close', () => account.end());
  });
}
