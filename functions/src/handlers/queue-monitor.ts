/**
 * QueueMonitor (every minute): the stale sweeper, the pass that starts lost starts and looks at
 * quiet executions (usecases/reconcile.ts), and the QueueDepth / oldest active age metrics.
 * It starts executions, so it gets STATE_MACHINE_ARN and AsyncProcessingLambdaRole's
 * states:StartExecution / DescribeExecution, like the start handler.
 */
import { DESIGN } from '../../../guide';
import { createObserver } from '../observability/observer';
import { intFromEnv, loadConfig } from '../runtime/config';
import { getDependencies } from '../runtime/deps';
import { monitorQueue } from '../usecases/maintenance';

export async function handler() {
  const observer = createObserver({ job: 'queue-monitor' });
  try {
    const deps = await getDependencies();
    const config = loadConfig();
    const maxActiveSeconds = config.workflowTimeoutSeconds + config.sweeperGraceSeconds;
    // One period of this schedule (the local runtime shortens it for tests): an attempt quiet for that long is looked at.
    const quietForSeconds = intFromEnv(process.env, 'AIP_QUEUE_MONITOR_SECONDS', DESIGN.queueMonitorEveryMinutes * 60) / config.timeScale;
    return await monitorQueue(
      { store: deps.store, clock: deps.clock, observer, workflow: deps.workflow(), heartbeats: deps.maintenance },
      { maxActiveSeconds, quietForSeconds },
    );
  } finally {
    observer.metrics.flush();
  }
}
