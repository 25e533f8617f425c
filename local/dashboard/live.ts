/**
 * The live dashboard's state: the stack's dashboard body and alarms (from the offline run of the
 * real program, model.ts), the alarm evaluator fed with every sample the runtime records, and the
 * store the widgets' series are computed from. `view()` is what the page draws.
 */
import { AlarmEvaluator, type MetricSample } from '../../observability/evaluator';
import type { MetricStore } from '../../observability/evaluator/samples/store';
import { storeOf } from '../../observability/dashboard/render/series';
import { dashboardView, type LogResult, type WidgetView } from '../../observability/dashboard/render/view';
import type { DashboardModel } from './model';

/** Where the runtime's metric samples come from (local/metrics' MetricStore has this shape). */
export interface MetricSource {
  query(): readonly MetricSample[];
  subscribe(listener: (samples: readonly MetricSample[]) => void): () => void;
}

export type LogQuery = (logGroups: readonly string[], query: string, range: { from: number; to: number }) => LogResult;

export interface DashboardState {
  readonly stack: string;
  readonly generatedAt: number;
  readonly range: { readonly from: number; readonly to: number };
  readonly widgets: readonly WidgetView[];
}

export class LiveDashboard {
  private readonly store: MetricStore;
  private readonly evaluator: AlarmEvaluator;
  private readonly unsubscribe: () => void;

  constructor(
    readonly model: DashboardModel,
    source: MetricSource,
    private readonly opts: { now?: () => number; logQuery?: LogQuery } = {},
  ) {
    const now = this.now();
    const existing = source.query();
    this.store = storeOf(existing);
    // Created now, as `pulumi up` would create them; earlier samples count as history.
    this.evaluator = new AlarmEvaluator(model.alarms, { start: now, region: model.region, accountId: model.accountId });
    this.evaluator.put(existing);
    this.unsubscribe = source.subscribe((samples) => {
      this.store.put(samples);
      this.evaluator.put(samples);
    });
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** The dashboard over the last `minutes`, alarms evaluated up to now. */
  view(minutes: number): DashboardState {
    const to = this.now();
    this.evaluator.advanceTo(to);
    const range = { from: to - minutes * 60_000, to };
    const widgets = dashboardView(this.model.body, {
      store: this.store,
      range,
      alarms: this.evaluator.statuses(),
      logQuery: this.opts.logQuery,
    });
    return { stack: this.model.stack, generatedAt: to, range, widgets };
  }

  close(): void {
    this.unsubscribe();
  }
}
