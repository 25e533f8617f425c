/** ProcessingCleanup (weekly, Sunday 02:00 JST): deletes terminal processes past the retention. */
import type { Context } from 'aws-lambda';
import { createObserver } from '../observability/observer';
import { getDependencies } from '../runtime/deps';
import { runCleanup } from '../usecases/maintenance';

/** Leave this much of the Lambda's time to finish the last batch and report. */
const SAFETY_MS = 30_000;

export async function handler(_event?: unknown, context?: Context) {
  const observer = createObserver({ job: 'processing-cleanup' });
  try {
    const deps = await getDependencies();
    const remaining = context?.getRemainingTimeInMillis?.();
    const deadline = remaining ? new Date(Date.now() + Math.max(0, remaining - SAFETY_MS)) : undefined;
    return await runCleanup({ store: deps.store, clock: deps.clock, observer, pool: deps.pool }, { deadline });
  } finally {
    observer.metrics.flush();
  }
}
