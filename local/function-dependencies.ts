/**
 * Each function's own dependencies, hence its own connection pool, as on AWS: there every function
 * runs in containers of its own, so a worker whose statements hang on a locked row holds the
 * worker's connections, never the API handlers' or the queue monitor's. The local runtime runs
 * every function in one process; it wraps each invocation in its function's dependencies
 * (functions/src/runtime/deps.ts, runWithDependencies), built on the function's first invocation.
 */
import { DB_POOL, FUNCTIONS, type FunctionKey } from '../guide';
import { loadConfig, lockTimeoutMsFor } from '../functions/src/runtime/config';
import { buildDependencies, runWithDependencies, type Dependencies } from '../functions/src/runtime/deps';

/** The runtime's own pool (executions, dashboard, /health): local/main.ts. */
export const RUNTIME_POOL_MAX = 4;
/** Kept free of the functions' pools: PostgreSQL's superuser slots (3 by default) and the operator's sessions (npm run ops, psql). */
const OPERATOR_HEADROOM = 10;

/**
 * The functions the local runtime invokes that use the database, but the worker: each gets one
 * container's pool (the guide's DB_POOL.max). OpsReport never reads the database; db-migrate and
 * dr-validation do not run locally (the runtime migrates with its own pool).
 */
const POOLED: readonly FunctionKey[] = [
  'asyncProcessingHandler',
  'statusCheckHandler',
  'retryHandler',
  'cancelHandler',
  'queueMonitor',
  'processingCleanup',
];

/**
 * How many connections each function may open, for a server that accepts `maxConnections`.
 * The worker holds one connection per invocation in flight (one statement at a time, in a
 * container of its own on AWS), so its pool is its concurrency's upper limit (the guide's reserved
 * concurrency maximum), or what the server has left after the others, the runtime and the headroom.
 */
export function localPoolSizes(maxConnections: number): Partial<Record<FunctionKey, number>> {
  const sizes: Partial<Record<FunctionKey, number>> = Object.fromEntries(POOLED.map((k) => [k, DB_POOL.max]));
  const others = POOLED.length * DB_POOL.max + RUNTIME_POOL_MAX + OPERATOR_HEADROOM;
  const worker = Math.min(FUNCTIONS.aiGenerationWorker.reservedConcurrency.max, maxConnections - others);
  if (worker < DB_POOL.max) {
    throw new Error(
      `PostgreSQL accepts ${maxConnections} connections (max_connections), too few for the local runtime: it needs at least ${others + DB_POOL.max}, a pool per function. Raise max_connections on the server DATABASE_URL names, or unset DATABASE_URL to use the embedded PostgreSQL.`,
    );
  }
  return { ...sizes, aiGenerationWorker: worker };
}

export class FunctionDependencies {
  private readonly built = new Map<FunctionKey, Promise<Dependencies>>();

  constructor(private readonly sizes: Partial<Record<FunctionKey, number>>) {}

  /** The function's dependencies, built on first use from the environment main() set (a failed build is tried again next time). */
  of(key: FunctionKey): Promise<Dependencies> {
    let deps = this.built.get(key);
    if (!deps) {
      const config = loadConfig();
      const made = buildDependencies(config, {
        poolMax: this.sizes[key] ?? DB_POOL.max,
        // A lock wait ends just after its function's timeout (on the runtime's clock), as on AWS
        // (DB_LOCK_TIMEOUT_MS, set by the Pulumi program): otherwise a client repeating a start on a
        // held row would use up the start handler's own few connections and fail every user's start.
        lockTimeoutMs: lockTimeoutMsFor(FUNCTIONS[key].timeoutSeconds, config.timeScale),
      });
      made.catch(() => this.built.get(key) === made && this.built.delete(key));
      this.built.set(key, made);
      deps = made;
    }
    return deps;
  }

  /** `handler`, invoked with its function's dependencies. */
  wrap<A extends unknown[], R>(key: FunctionKey, handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return (...args: A) =>
      runWithDependencies(
        () => this.of(key),
        () => handler(...args),
      );
  }

  /** Closes every pool built (before the server stops). */
  async end(): Promise<void> {
    await Promise.all(
      [...this.built.values()].map((d) =>
        d.then(
          (x) => x.pool.end(),
          () => undefined,
        ),
      ),
    );
  }
}
