/**
 * The dashboard body as something to draw: every widget of the deployed body, at its place on the
 * 24-column grid, with its data computed locally: series for metric widgets, each listed alarm's
 * state for alarm widgets, the query's rows for Logs Insights widgets, the markdown of text
 * widgets. Pure: the caller gives the samples, the alarms' statuses and a way to run a log query.
 */
import type { AlarmStatus } from '../../evaluator/types';
import type { MetricStore } from '../../evaluator/samples/store';
import type { DashboardBody } from '../body';
import type { Annotation, PlacedWidget } from '../widgets';
import { widgetSeries, type DrawnSeries } from './series';

export interface Place {
  readonly index: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly title: string;
}

export type WidgetView =
  | (Place & {
      readonly type: 'metric';
      readonly series: readonly DrawnSeries[];
      readonly annotations: readonly Annotation[];
      readonly yLabel?: string;
    })
  | (Place & { readonly type: 'alarm'; readonly alarms: readonly AlarmView[] })
  | (Place & { readonly type: 'log'; readonly query: string; readonly logGroups: readonly string[]; readonly result: LogResult })
  | (Place & { readonly type: 'text'; readonly markdown: string });

export interface AlarmView {
  readonly name: string;
  readonly state: AlarmStatus['state'] | 'UNKNOWN';
  readonly reason: string;
  readonly since?: number;
}

export interface LogResult {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string | number>>[];
  /** Why there are no rows to show, when the query could not run here. */
  readonly note?: string;
}

export interface ViewInputs {
  readonly store: MetricStore;
  readonly range: { readonly from: number; readonly to: number };
  /** Every alarm's status; an alarm the widget lists but this lacks shows UNKNOWN. */
  readonly alarms: readonly AlarmStatus[];
  /** Runs a Logs Insights widget's query over the local log groups. */
  readonly logQuery?: (logGroups: readonly string[], query: string, range: { from: number; to: number }) => LogResult;
}

/** `SOURCE 'a' | SOURCE 'b' | fields …` → the groups and the query. */
export function splitLogQuery(text: string): { logGroups: string[]; query: string } {
  const logGroups: string[] = [];
  let rest = text;
  for (let m = /^\s*SOURCE\s+'([^']+)'\s*\|\s*/.exec(rest); m; m = /^\s*SOURCE\s+'([^']+)'\s*\|\s*/.exec(rest)) {
    logGroups.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  return { logGroups, query: rest };
}

const alarmName = (ref: string): string => ref.split(':alarm:')[1] ?? ref;

function widgetView(w: PlacedWidget, index: number, inputs: ViewInputs): WidgetView {
  const p = w.properties as Record<string, any>;
  const place: Place = { index, x: w.x, y: w.y, width: w.width, height: w.height, title: String(p.title ?? '') };
  switch (w.type) {
    case 'metric':
      return {
        ...place,
        type: 'metric',
        series: widgetSeries(p.metrics ?? [], inputs.store, inputs.range),
        annotations: (p.annotations?.horizontal ?? []) as Annotation[],
        yLabel: p.yAxis?.left?.label,
      };
    case 'alarm': {
      const byName = new Map(inputs.alarms.map((a) => [a.name, a]));
      return {
        ...place,
        type: 'alarm',
        alarms: (p.alarms as string[]).map((ref) => {
          const s = byName.get(alarmName(ref));
          return s
            ? { name: s.name, state: s.state, reason: s.reason, since: s.since }
            : { name: alarmName(ref), state: 'UNKNOWN', reason: 'Not evaluated locally' };
        }),
      };
    }
    case 'log': {
      const { logGroups, query } = splitLogQuery(String(p.query ?? ''));
      const result = inputs.logQuery?.(logGroups, query, inputs.range) ?? { columns: [], rows: [], note: 'No local log source' };
      return { ...place, type: 'log', query, logGroups, result };
    }
    case 'text':
      return { ...place, type: 'text', markdown: String(p.markdown ?? '') };
  }
}

export const dashboardView = (body: DashboardBody, inputs: ViewInputs): WidgetView[] =>
  body.widgets.map((w, i) => widgetView(w, i, inputs));
