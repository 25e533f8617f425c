/**
 * The scheduled report (OpsReport on AWS): build the guide's check for its window, keep it as
 * Markdown and JSON under `reports/<kind>/…`, and post its summary to the alert topic that goes
 * to Slack. The same builder (../reports/build.ts) makes `npm run ops -- report` locally.
 */
import { REPORTS, type DailyEdition, type ReportKind } from '../../../guide';
import type { Clock } from '../ports';
import { buildReport, type BuildOptions } from '../reports/build';
import { renderMarkdown, renderSummary } from '../reports/markdown';
import type { Report } from '../reports/report';
import type { ReportSource } from '../reports/source';
import { jstDay } from '../reports/windows';

export interface ReportStore {
  /** Where a key can be opened by a person (an S3 URI); for the summary's link. */
  location(key: string): string;
  put(key: string, body: string, contentType: string): Promise<void>;
}

export interface ReportNotifier {
  /** `slack`: what Chatbot posts; `email`: the plain text the e-mail subscribers get. */
  publish(subject: string, message: { slack: string; email: string }): Promise<void>;
}

export interface PublishDeps {
  readonly source: ReportSource;
  readonly store: ReportStore;
  readonly notifier: ReportNotifier;
  readonly clock: Clock;
  readonly costLines?: BuildOptions['costLines'];
}

export interface ReportRequest {
  readonly kind: ReportKind;
  readonly edition?: DailyEdition;
}

/** `reports/daily/2026-12-07-morning`, `reports/weekly/2026-12-07`, `reports/monthly/2026-11`: by the day it ran (the month it covers). */
export function reportKey(r: Report): string {
  const ran = jstDay(new Date(r.generatedAt));
  const name = r.kind === 'daily' ? `${ran}-${r.edition}` : r.kind === 'weekly' ? ran : jstDay(new Date(r.window.start)).slice(0, 7);
  return `${REPORTS.keyPrefix}/${r.kind}/${name}`;
}

/** SNS subjects are ASCII, under 100 characters: the kind, the edition, the source and the verdict. */
export const reportSubject = (r: Report): string =>
  `AsyncProcessing ${r.kind}${r.edition ? ` (${r.edition})` : ''} report, ${r.source}: ${r.breaches ? `${r.breaches} item(s) outside the guide` : 'all within the guide'}`
    .replace(/[^\x20-\x7e]/g, '')
    .slice(0, 99);

/** AWS Chatbot's custom notification: it posts these to Slack as they are. */
export const chatbotMessage = (title: string, description: string): string =>
  JSON.stringify({ version: '1.0', source: 'custom', content: { textType: 'client-markdown', title, description } });

export async function publishReport(
  deps: PublishDeps,
  req: ReportRequest,
): Promise<{ report: Report; keys: { markdown: string; json: string } }> {
  const report = await buildReport(req.kind, deps.source, {
    at: deps.clock.now(),
    ...(req.edition ? { edition: req.edition } : {}),
    costLines: deps.costLines,
  });
  const key = reportKey(report);
  const keys = { markdown: `${key}.md`, json: `${key}.json` };
  await deps.store.put(keys.json, `${JSON.stringify(report, null, 2)}\n`, 'application/json');
  await deps.store.put(keys.markdown, renderMarkdown(report), 'text/markdown; charset=utf-8');
  const summary = renderSummary(report, deps.store.location(keys.markdown));
  const [title, ...lines] = summary.split('\n');
  await deps.notifier.publish(reportSubject(report), { slack: chatbotMessage(title!, lines.join('\n')), email: summary });
  return { report, keys };
}
