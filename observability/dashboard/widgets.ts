/**
 * CloudWatch dashboard widgets (Dashboard Body Structure and Syntax), built from the same metric
 * queries the alarms evaluate. Positions are filled in by `layoutRows`.
 */
import type { MetricQuery } from '../metrics';

export interface Annotation {
  readonly label: string;
  readonly value: number;
  readonly color?: string;
}

export interface Widget {
  readonly type: 'metric' | 'text' | 'alarm' | 'log';
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

export interface PlacedWidget extends Widget {
  readonly x: number;
  readonly y: number;
}

/** Ids must be unique in a widget: prefix them, and the references in expressions with them. */
export function prefixed(prefix: string, queries: readonly MetricQuery[]): MetricQuery[] {
  const ids = queries.map((q) => q.id);
  const rename = (expr: string) => expr.replace(/\b[a-z][a-zA-Z0-9_]*\b/g, (word) => (ids.includes(word) ? `${prefix}${word}` : word));
  return queries.map((q) => ({ ...q, id: `${prefix}${q.id}`, expression: q.expression && rename(q.expression) }));
}

/** One entry of a metric widget's `metrics` array. */
export function metricEntry(q: MetricQuery): unknown[] {
  const options: Record<string, unknown> = { id: q.id };
  if (q.label) options.label = q.label;
  if (!q.returnData) options.visible = false;
  if (q.expression) return [{ expression: q.expression, ...options }];
  const m = q.metric!;
  const dims = Object.entries(m.dimensions).flat();
  return [m.namespace, m.metricName, ...dims, { ...options, stat: m.stat, period: m.periodSeconds }];
}

export interface MetricWidgetArgs {
  title: string;
  region: string;
  queries: readonly MetricQuery[];
  annotations?: readonly Annotation[];
  width?: number;
  height?: number;
  view?: 'timeSeries' | 'singleValue';
  yLabel?: string;
}

export function metricWidget(a: MetricWidgetArgs): Widget {
  const properties: Record<string, unknown> = {
    title: a.title,
    region: a.region,
    view: a.view ?? 'timeSeries',
    metrics: a.queries.map(metricEntry),
  };
  if (a.annotations?.length) properties.annotations = { horizontal: a.annotations.map((n) => ({ ...n })) };
  if (a.yLabel) properties.yAxis = { left: { label: a.yLabel, showUnits: false, min: 0 } };
  return { type: 'metric', width: a.width ?? 8, height: a.height ?? 6, properties };
}

export const textWidget = (markdown: string, width = 24, height = 2): Widget => ({ type: 'text', width, height, properties: { markdown } });

/** An alarm status widget; `region` when its alarms are not in the dashboard's region. */
export const alarmWidget = (title: string, alarms: readonly string[], width = 24, height = 6, region?: string): Widget => ({
  type: 'alarm',
  width,
  height,
  properties: { title, alarms: [...alarms], sortBy: 'stateUpdatedTimestamp', ...(region ? { region } : {}) },
});

/** A Logs Insights widget: `SOURCE` lines name the log groups, then the guide's query. */
export function logWidget(title: string, region: string, logGroups: readonly string[], query: string, width = 12, height = 6): Widget {
  const sources = logGroups.map((g) => `SOURCE '${g}'`).join(' | ');
  return { type: 'log', width, height, properties: { title, region, view: 'table', query: `${sources} | ${query}` } };
}

/** Rows left to right, top to bottom, on CloudWatch's 24-column grid. */
export function layoutRows(rows: readonly (readonly Widget[])[]): PlacedWidget[] {
  const placed: PlacedWidget[] = [];
  let y = 0;
  for (const row of rows) {
    let x = 0;
    let height = 0;
    for (const w of row) {
      if (x + w.width > 24) {
        y += height;
        x = 0;
        height = 0;
      }
      placed.push({ type: w.type, x, y, width: w.width, height: w.height, properties: w.properties });
      x += w.width;
      height = Math.max(height, w.height);
    }
    y += height;
  }
  return placed;
}
