/** QueueMonitor (every minute): QueueDepth and oldest active age metrics, and the stale sweeper. */
import { createObserver } from '../observability/observer';
import { getDependencies } from '../runtime/deps';
import { monitorQueue } from '../usecases/maintenance';

export async function handler() {
  const observer = createObserver({ job: 'queue-monitor' });
  try {
    const deps = await getDependencies();
    return await monitorQueue({ store: deps.store, clock: deps.clock, observer });
  } finally {
    observer.metrics.flush();
  }
}
