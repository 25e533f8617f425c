/** QueueMonitor (every minute): QueueDepth and oldest active age metrics, and the stale sweeper. */
import { createObserver } from '../observability/observer';
import { loadConfig } from '../runtime/config';
import { getDependencies } from '../runtime/deps';
import { monitorQueue } from '../usecases/maintenance';

export async function handler() {
  const observer = createObserver({ job: 'queue-monitor' });
  try {
    const deps = await getDependencies();
    const config = loadConfig();
    const maxActiveSeconds = config.workflowTimeoutSeconds + config.sweeperGraceSeconds;
    return await monitorQueue({ store: deps.store, clock: deps.clock, observer }, { maxActiveSeconds });
  } finally {
    observer.metrics.flush();
  }
}
