/**
 * ProcessingCleanup, run by the maintenance schedules (定期メンテナンス, MAINTENANCE_EVENTS):
 *  - `weekly-maintenance` (Sunday 02:00 JST): delete terminal processes past the retention, then
 *    rebuild indexes and refresh statistics;
 *  - `monthly-maintenance` (first Sunday 02:00 JST): the weekly work, and a capacity report.
 * An event without a task (a manual invocation) runs the weekly work.
 */
import type { Context } from 'aws-lambda';
import { MAINTENANCE_EVENTS } from '../../../guide';
import { createObserver } from '../observability/observer';
import { getDependencies } from '../runtime/deps';
import { capacityReport, optimiseIndexes, recordMaintenance, runCleanup } from '../usecases/maintenance';

/** Leave this much of the Lambda's time to finish the last batch and the index work. */
const SAFETY_MS = 120_000;

type MaintenanceTask = (typeof MAINTENANCE_EVENTS)[keyof typeof MAINTENANCE_EVENTS]['task'];

export async function handler(event?: { task?: MaintenanceTask }, context?: Context) {
  const task = event?.task ?? MAINTENANCE_EVENTS.weekly.task;
  if (!Object.values(MAINTENANCE_EVENTS).some((e) => e.task === task)) {
    throw new Error(
      `Unknown maintenance task ${JSON.stringify(task)}; expected one of ${Object.values(MAINTENANCE_EVENTS)
        .map((e) => e.task)
        .join(', ')}`,
    );
  }
  const observer = createObserver({ job: 'processing-cleanup', task });
  try {
    const deps = await getDependencies();
    const ctx = { clock: deps.clock, observer, maintenance: deps.maintenance, heartbeats: deps.maintenance };
    const remaining = context?.getRemainingTimeInMillis?.();
    const deadline = remaining ? new Date(Date.now() + Math.max(0, remaining - SAFETY_MS)) : undefined;
    const cleanup = await runCleanup(ctx, { deadline });
    const indexes = await optimiseIndexes(ctx);
    const capacity = task === MAINTENANCE_EVENTS.monthly.task ? await capacityReport(ctx) : undefined;
    // The heartbeat: the weekly work ran (the monthly window includes it, so both are recorded).
    // A run that found another cleaner at work leaves the heartbeat to that one.
    if (cleanup.ran) {
      await recordMaintenance(ctx, MAINTENANCE_EVENTS.weekly.task);
      if (task === MAINTENANCE_EVENTS.monthly.task) await recordMaintenance(ctx, task);
    }
    return { task, cleanup, indexes, ...(capacity ? { capacity } : {}) };
  } finally {
    observer.metrics.flush();
  }
}
