/**
 * Wires the real handler modules to a test database: the real state service and rate limiter on
 * the test's own PostgreSQL, and AWS replaced by the recording workflow and the scripted model.
 */
import type { Pool } from 'pg';
import { DESIGN } from '../../guide';
import { rootLogger } from '../../functions/src/observability/logger';
import { setDependencies, type Dependencies } from '../../functions/src/runtime/deps';
import { ProcessingStateService } from '../../functions/src/state/processing-state-service';
import { RateLimiter, type RateLimit } from '../../functions/src/state/rate-limiter';
import { PgMaintenanceStore } from '../../functions/src/state/maintenance-store';
import { systemClock, type Clock } from '../../functions/src/ports';
import { createTestDatabase, type TestDatabase } from '../../harness/test-database';
import { RecordingWorkflow, ScriptedModel } from './fakes';

export interface WiredDependencies extends Dependencies {
  store: ProcessingStateService;
  workflowFake: RecordingWorkflow;
  modelFake: ScriptedModel;
}

export interface WireOptions {
  clock?: Clock;
  workflow?: RecordingWorkflow;
  model?: ScriptedModel;
  rateLimit?: RateLimit;
}

/** Builds the dependencies on `pool` and installs them for the handlers (`setDependencies`). */
export function wireDependencies(pool: Pool, opts: WireOptions = {}): WiredDependencies {
  const workflowFake = opts.workflow ?? new RecordingWorkflow();
  const modelFake = opts.model ?? new ScriptedModel();
  const deps: WiredDependencies = {
    pool,
    store: new ProcessingStateService(pool),
    maintenance: new PgMaintenanceStore(pool),
    rateLimiter: new RateLimiter(pool, opts.rateLimit),
    clock: opts.clock ?? systemClock,
    workflow: () => workflowFake,
    model: () => modelFake,
    stepTimeoutMs: DESIGN.workflow.stepTimeoutSeconds * 1000,
    workflowFake,
    modelFake,
  };
  setDependencies(deps);
  return deps;
}

/**
 * Silences the handlers' JSON logs and EMF metrics in test output. Loggers created per
 * invocation inherit the root logger's level, so call this before invoking handlers.
 */
export function quietObservability(): void {
  rootLogger.setLogLevel('SILENT');
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
}

export interface WiredDatabase {
  readonly db: TestDatabase;
  /** Rewired before each test: a fresh recording workflow and scripted model. */
  readonly deps: WiredDependencies;
  /** The raw `processing_state` row. */
  row(id: string): Promise<Record<string, any>>;
}

/**
 * For a test file of handler tests: its own migrated database for the file, quiet logs, and
 * fresh dependencies before each test. Call at the top level of the file.
 */
export function useWiredDatabase(): WiredDatabase {
  let db: TestDatabase | undefined;
  let deps: WiredDependencies | undefined;
  beforeAll(async () => {
    quietObservability();
    db = await createTestDatabase();
  });
  beforeEach(() => {
    deps = wireDependencies(db!.pool);
  });
  afterAll(() => db?.drop());
  return {
    get db() {
      return db!;
    },
    get deps() {
      return deps!;
    },
    async row(id) {
      return (await db!.pool.query('SELECT * FROM processing_state WHERE id = $1', [id])).rows[0];
    },
  };
}
