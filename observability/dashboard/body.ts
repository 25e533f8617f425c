/**
 * AsyncProcessing-Dashboard, built by code: the body is a pure function of the monitored resources
 * and the alarm catalog. The Pulumi program deploys it; `npm run dashboards` writes it per stack
 * to dashboards/generated/<stack>.json for review.
 */
import { CHECKS, DASHBOARD_NAME, LOG_QUERIES, logGroupName } from '../../guide';
import type { AlarmSpec } from '../alarms/spec';
import type { CompositeSpec } from '../alarms/composites';
import { alarmArn, type MonitoredResources } from '../monitored-resources';
import { SAVED_QUERIES, type SavedQueryKey } from '../saved-queries';
import { processRows } from './process-rows';
import { securityRow } from './security-row';
import { apiRow, auroraRow, bedrockRow, lambdaRow, stepFunctionsRow } from './service-rows';
import { alarmWidget, layoutRows, logWidget, textWidget, type PlacedWidget, type Widget } from './widgets';

/** The guide's sample processId in the trace query: the dashboard variable replaces it. */
export const TRACE_PATTERN = /processId = "([0-9a-f-]{36})"/.exec(LOG_QUERIES.processTrace.query)![1]!;

/** CloudWatch allows up to 100 alarms in one alarm status widget. */
export const ALARMS_PER_WIDGET = 100;

export interface DashboardBody {
  readonly start: string;
  readonly periodOverride: 'auto' | 'inherit';
  readonly variables: readonly Record<string, unknown>[];
  readonly widgets: readonly PlacedWidget[];
}

/** Alarms of the stack's region (an alarm widget shows one region); the edge alarms have their own widget. */
function alarmRows(r: MonitoredResources, specs: readonly AlarmSpec[], composites: readonly CompositeSpec[]): Widget[] {
  // What pages first (the incident composites), then the rest critical first.
  const rank = (a: { kind: AlarmSpec['kind'] }) => (a.kind.category === 'incident' ? 2 : a.kind.severity === 'critical' ? 1 : 0);
  const ordered = [...composites, ...specs.filter((s) => s.placement === 'stack')].sort((a, b) => rank(b) - rank(a));
  const widgets: Widget[] = [];
  for (let i = 0; i < ordered.length; i += ALARMS_PER_WIDGET) {
    const chunk = ordered.slice(i, i + ALARMS_PER_WIDGET).map((p) => alarmArn(r, p.name));
    widgets.push(alarmWidget(i === 0 ? 'Alarms (incidents, then critical first)' : 'Alarms (continued)', chunk));
  }
  const edge = specs.filter((s) => s.placement === 'edge').map((p) => alarmArn({ region: r.waf.region, accountId: r.accountId }, p.name));
  if (edge.length) widgets.push(alarmWidget(`Edge alarms (${r.waf.region}: CloudFront, WAF)`, edge, 24, 3, r.waf.region));
  return widgets;
}

function logRows(r: MonitoredResources): Widget[] {
  // The guide lists the handler and worker log groups; the maintenance functions log the same format.
  const groups = (key: SavedQueryKey) => {
    const spec = SAVED_QUERIES.find((q) => q.key === key)!;
    return r.functions.filter((f) => spec.functions.includes(f.key)).map((f) => logGroupName(f.name));
  };
  return [
    logWidget(`${LOG_QUERIES.errors.name}: ${LOG_QUERIES.errors.title}`, r.region, groups('errors'), LOG_QUERIES.errors.query, 24, 8),
    logWidget(
      `${LOG_QUERIES.durationByType.name}: ${LOG_QUERIES.durationByType.title}`,
      r.region,
      groups('durationByType'),
      LOG_QUERIES.durationByType.query,
    ),
    logWidget(
      `${LOG_QUERIES.processTrace.name}: set the processId variable above`,
      r.region,
      groups('processTrace'),
      LOG_QUERIES.processTrace.query,
    ),
    logWidget(
      `${LOG_QUERIES.errorsByCode.name}: ${LOG_QUERIES.errorsByCode.title}`,
      r.region,
      groups('errorsByCode'),
      LOG_QUERIES.errorsByCode.query,
    ),
  ];
}

const hhmm = (t: { hour: number; minute: number }) => `${t.hour}:${String(t.minute).padStart(2, '0')}`;

function header(r: MonitoredResources, runbookUrl: string): Widget {
  return textWidget(
    [
      `## ${DASHBOARD_NAME} (${r.stack})`,
      `Built by code (observability/dashboard/ in the repository): changes made in the console are overwritten on the next deploy. ` +
        `Runbook: [${runbookUrl}](${runbookUrl}). Daily checks ${hhmm(CHECKS.dailyMorning)} / ${hhmm(CHECKS.dailyEvening)} JST: alarms, error and timeout rates, queue depth, Step Functions.`,
    ].join('\n\n'),
  );
}

export function buildDashboard(
  r: MonitoredResources,
  specs: readonly AlarmSpec[],
  runbookUrl: string,
  composites: readonly CompositeSpec[] = [],
): DashboardBody {
  const rows: Widget[][] = [
    [header(r, runbookUrl)],
    alarmRows(r, specs, composites),
    ...processRows(r.region, specs),
    stepFunctionsRow(r, specs),
    apiRow(r, specs),
    lambdaRow(r),
    auroraRow(r, specs),
    bedrockRow(r, specs),
    securityRow(r),
    logRows(r),
  ];
  return {
    start: '-PT24H',
    // Each graph keeps its own period (1 min for the queue, 5 min for rates, 1 h for the security counts).
    periodOverride: 'inherit',
    variables: [
      {
        type: 'pattern',
        pattern: TRACE_PATTERN,
        inputType: 'input',
        id: 'processId',
        label: 'processId',
        defaultValue: TRACE_PATTERN,
        visible: true,
      },
    ],
    widgets: layoutRows(rows),
  };
}
