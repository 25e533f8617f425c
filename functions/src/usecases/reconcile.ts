/**
 * No accepted process waits for the sweeper (DESIGN.reconcile): the queue monitor's pass over
 * attempts whose execution is missing or over, the same on AWS and locally.
 *  - PENDING with no recorded execution, past `unstartedAfterSeconds`: the start was lost; start
 *    it under its deterministic name (if it had started after all, Step Functions returns it).
 *  - quiet for a monitor period with an execution recorded: DescribeExecution. Still running:
 *    nothing to do. Unknown to Step Functions (the local store lost it): start it again under
 *    the same name. Ended: end the process the way its execution ended.
 */
import { DESIGN } from '../../../guide';
import type { ProcessRecord } from '../domain/process';
import { WorkflowUnavailableError } from '../ports';
import { endWithExecution, ensureStarted, type AttemptDeps } from './attempts';

export interface ReconcileOptions {
  /** PENDING attempts without an execution are started once older than this. */
  unstartedAfterSeconds?: number;
  /** Active attempts quiet for this long have their execution looked at: one monitor period. */
  quietForSeconds?: number;
  batchSize?: number;
}

export interface ReconcileReport {
  /** Attempts whose lost start was made good. */
  started: string[];
  /** Attempts whose execution Step Functions did not know, started again under the same name. */
  restarted: string[];
  /** Processes ended the way their (already ended) execution ended. */
  ended: string[];
  /** Attempts that could not be looked at this time (Step Functions unreachable, …): next run. */
  deferred: number;
}

export async function reconcileAttempts(deps: AttemptDeps, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const now = deps.clock.now();
  const batch = opts.batchSize ?? DESIGN.reconcile.batchSize;
  const report: ReconcileReport = { started: [], restarted: [], ended: [], deferred: 0 };
  const unstarted = await deps.store.unstartedAttempts(opts.unstartedAfterSeconds ?? DESIGN.reconcile.unstartedAfterSeconds, now, batch);
  await forEach(unstarted, (p) => settle(deps, report, p, () => startLost(deps, report, p)));
  const quiet = await deps.store.quietAttempts(opts.quietForSeconds ?? DESIGN.queueMonitorEveryMinutes * 60, now, batch);
  await forEach(quiet, (p) => settle(deps, report, p, () => checkExecution(deps, report, p)));
  return report;
}

async function startLost(deps: AttemptDeps, report: ReconcileReport, p: ProcessRecord): Promise<void> {
  const { ended } = await ensureStarted(deps, p);
  if (ended) {
    report.ended.push(p.id);
    return;
  }
  report.started.push(p.id);
  deps.observer.logger.warn('Started a process whose workflow start was lost', {
    processId: p.id,
    userId: p.userId,
    type: p.type,
    attempt: p.attempt,
  });
}

async function checkExecution(deps: AttemptDeps, report: ReconcileReport, p: ProcessRecord): Promise<void> {
  const execution = await deps.workflow.describe(p.executionArn!);
  if (execution?.status === 'RUNNING') return;
  if (execution) {
    if (await endWithExecution(deps, p, execution)) report.ended.push(p.id);
    return;
  }
  const { ended } = await ensureStarted(deps, p);
  if (ended) {
    report.ended.push(p.id);
    return;
  }
  report.restarted.push(p.id);
  deps.observer.logger.warn('Started again a process whose execution Step Functions did not know', {
    processId: p.id,
    type: p.type,
    executionArn: p.executionArn,
  });
}

/** One attempt's check: an unreachable Step Functions defers it to the next run; anything else is logged. */
async function settle(deps: AttemptDeps, report: ReconcileReport, p: ProcessRecord, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    report.deferred++;
    const log = err instanceof WorkflowUnavailableError ? deps.observer.logger.warn : deps.observer.logger.error;
    log.call(deps.observer.logger, 'Could not bring a process back to running; the next run tries again', {
      processId: p.id,
      error: err as Error,
    });
  }
}

async function forEach<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(DESIGN.reconcile.concurrency, items.length) }, worker));
}
