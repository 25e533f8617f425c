/**
 * The dashboard's pages under /dashboard on the local API's port (read-only, GET and HEAD):
 *
 *   /dashboard                       AsyncProcessing-Dashboard, live: the deployed body's widgets
 *   /dashboard/processes/<id>        one process: its record and its trace as a waterfall
 *   /dashboard/api/state?minutes=N   what the dashboard page draws (JSON)
 *   /dashboard/api/processes/<id>    what the process page draws (JSON)
 *   /dashboard/assets/<file>         the page's scripts and styles, uPlot's among them (no CDN)
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { OpsStore } from '../../functions/src/state/ops-store';
import type { TraceStore } from '../tracing';
import type { DashboardState, LiveDashboard } from './live';
import { dashboardPage, processPage } from './page';
import { waterfall } from './waterfall';

export const DASHBOARD_PATH = '/dashboard';

const UPLOT = join(require.resolve('uplot/package.json'), '..', 'dist');
const ASSETS: Record<string, { file: string; type: string }> = {
  'uPlot.iife.min.js': { file: join(UPLOT, 'uPlot.iife.min.js'), type: 'text/javascript' },
  'uPlot.min.css': { file: join(UPLOT, 'uPlot.min.css'), type: 'text/css' },
  'dashboard.js': { file: join(__dirname, 'assets', 'dashboard.js'), type: 'text/javascript' },
  'process.js': { file: join(__dirname, 'assets', 'process.js'), type: 'text/javascript' },
  'dashboard.css': { file: join(__dirname, 'assets', 'dashboard.css'), type: 'text/css' },
};

/** The dashboard is ready once the offline run has given the stack's body and alarms. */
export interface DashboardSource {
  readonly stack: string;
  live(): LiveDashboard | undefined;
  /** Why there is no dashboard (the offline run failed), if so. */
  error(): string | undefined;
}

export interface DashboardDeps {
  readonly source: DashboardSource;
  readonly ops: OpsStore;
  readonly traces: TraceStore;
}

/** The range a page may ask for: 5 minutes to the guide's 15 months of metrics are more than local data holds; a day is plenty. */
const MAX_MINUTES = 24 * 60;
const RECENT = 20;

const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, head = false) => {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(head ? undefined : body);
};
const json = (res: ServerResponse, status: number, value: unknown, head = false) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), head);

export interface StateAnswer {
  readonly ready: boolean;
  readonly stack: string;
  readonly error?: string;
  readonly state?: DashboardState;
  readonly processes: readonly Record<string, unknown>[];
}

/** Answers a request under /dashboard; false when the path is not one of its pages. */
export async function serveDashboard(
  deps: DashboardDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
): Promise<boolean> {
  if (path !== DASHBOARD_PATH && !path.startsWith(`${DASHBOARD_PATH}/`)) return false;
  const method = req.method ?? 'GET';
  const head = method === 'HEAD';
  if (method !== 'GET' && !head) {
    json(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'The dashboard is read-only: GET or HEAD' } });
    return true;
  }
  const rest = path.slice(DASHBOARD_PATH.length);
  if (rest === '' || rest === '/') {
    send(res, 200, 'text/html; charset=utf-8', dashboardPage(deps.source.stack), head);
    return true;
  }
  const asset = /^\/assets\/([\w.]+)$/.exec(rest);
  if (asset) {
    const a = ASSETS[asset[1]!];
    if (!a) {
      json(res, 404, { error: { code: 'NOT_FOUND', message: `No asset ${asset[1]}` } }, head);
      return true;
    }
    send(res, 200, `${a.type}; charset=utf-8`, await readFile(a.file), head);
    return true;
  }
  const page = /^\/processes\/([0-9a-fA-F-]{36})$/.exec(rest);
  if (page) {
    send(res, 200, 'text/html; charset=utf-8', processPage(page[1]!.toLowerCase()), head);
    return true;
  }
  if (rest === '/api/state') {
    const minutes = Number(new URLSearchParams(query).get('minutes') ?? 60);
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > MAX_MINUTES) {
      json(res, 400, { error: { code: 'VALIDATION_ERROR', message: `minutes must be a whole number from 5 to ${MAX_MINUTES}` } }, head);
      return true;
    }
    const live = deps.source.live();
    const processes = (await deps.ops.recent(RECENT)).map((p) => ({ ...p, traced: deps.traces.forProcess(p.processId).length > 0 }));
    const answer: StateAnswer = {
      ready: live !== undefined,
      stack: deps.source.stack,
      processes,
      ...(deps.source.error() ? { error: deps.source.error() } : {}),
      ...(live ? { state: live.view(minutes) } : {}),
    };
    json(res, 200, answer, head);
    return true;
  }
  const api = /^\/api\/processes\/([0-9a-fA-F-]{36})$/.exec(rest);
  if (api) {
    const id = api[1]!.toLowerCase();
    const [process, spans] = [await deps.ops.process(id), deps.traces.forProcess(id)];
    if (!process && spans.length === 0) {
      json(res, 404, { error: { code: 'NOT_FOUND', message: `No process ${id} in the database and no trace of it` } }, head);
      return true;
    }
    json(res, 200, { process: process ?? null, waterfall: waterfall(spans) }, head);
    return true;
  }
  json(res, 404, { error: { code: 'NOT_FOUND', message: `No dashboard page ${path.slice(0, 200)}` } }, head);
  return true;
}
