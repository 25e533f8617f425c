/**
 * The live dashboard of `npm start`: http://127.0.0.1:$PORT/dashboard. The stack's body and alarms
 * come from the offline run of the Pulumi program, built when the dashboard is first asked for (a
 * few seconds; the page says so meanwhile, and a runtime nobody looks at never pays for it); from
 * then on every sample the runtime records feeds the alarm evaluator and the widgets. Samples
 * recorded before (this run's, and earlier runs' from `<dataDir>/metrics.jsonl`) are its history.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MetricSample } from '../../observability/evaluator';
import type { OpsStore } from '../../functions/src/state/ops-store';
import type { TraceStore } from '../tracing';
import { LiveDashboard, type LogQuery, type MetricSource } from './live';
import { loadDashboardModel, type LocalIds } from './model';
import { DASHBOARD_PATH, serveDashboard } from './server';

export { DASHBOARD_PATH } from './server';

export interface DashboardOptions {
  readonly stack: string;
  readonly ids: LocalIds;
  readonly metrics: MetricSource;
  /** Samples of earlier runs, shown and evaluated as history. */
  readonly history?: readonly MetricSample[];
  readonly ops: OpsStore;
  readonly traces: TraceStore;
  readonly logQuery?: LogQuery;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface LocalDashboard {
  serve(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<boolean>;
  /** Builds the body and alarms (once); resolves when they are built or their build failed. */
  ready(): Promise<void>;
  close(): void;
}

export function startDashboard(opts: DashboardOptions): LocalDashboard {
  let live: LiveDashboard | undefined;
  let failure: string | undefined;
  const history = opts.history ?? [];
  const source: MetricSource = { query: () => [...history, ...opts.metrics.query()], subscribe: (l) => opts.metrics.subscribe(l) };
  let building: Promise<void> | undefined;
  const ready = () =>
    (building ??= (() => {
      const started = Date.now();
      return loadDashboardModel(opts.stack, opts.ids).then(
        (model) => {
          live = new LiveDashboard(model, source, { logQuery: opts.logQuery });
          opts.log(`Dashboard ready: ${DASHBOARD_PATH}`, {
            stack: opts.stack,
            widgets: model.body.widgets.length,
            alarms: model.alarms.length,
            ms: Date.now() - started,
          });
        },
        (err: Error) => {
          failure = err.message;
          opts.log('The dashboard could not be built', { level: 'WARN', error: err.message });
        },
      );
    })());
  const deps = { source: { stack: opts.stack, live: () => live, error: () => failure }, ops: opts.ops, traces: opts.traces };
  return {
    serve: (req, res, path, query) => {
      if (path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`)) void ready();
      return serveDashboard(deps, req, res, path, query);
    },
    ready,
    close: () => live?.close(),
  };
}
