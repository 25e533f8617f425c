/**
 * OpsReport, run by EventBridge Scheduler at the guide's check times (JST): `{ "report":
 * "daily" | "weekly" | "monthly", "edition"?: "morning" | "evening", "at"?: ISO time }` (`at`
 * re-makes the report of that time, e.g. one a failed run missed). Builds the report from
 * AWS (adapters/report-aws.ts), writes its Markdown and JSON to the reports bucket and posts the
 * summary to the warning topic (Slack through Chatbot, e-mail).
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DAILY_EDITIONS, REPORT_KINDS, type DailyEdition, type ReportKind } from '../../../guide';
import { AwsReportSource, awsReportClients } from '../adapters/report-aws';
import { S3ReportStore, SnsReportNotifier } from '../adapters/report-publishing';
import { createObserver } from '../observability/observer';
import { systemClock } from '../ports';
import { loadReportConfig } from '../reports/config';
import type { Declared } from '../reports/declared';
import { publishReport, type ReportRequest } from '../usecases/publish-report';

export type OpsReportEvent = ReportRequest & { readonly at?: Date };

export function parseEvent(event: unknown): OpsReportEvent {
  const e = (event ?? {}) as Record<string, unknown>;
  const kind = e.report;
  const edition = e.edition;
  if (typeof kind !== 'string' || !(REPORT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`Expected {"report": ${REPORT_KINDS.map((k) => `"${k}"`).join(' | ')}, "edition"?: "morning" | "evening"}; got ${JSON.stringify(event)}`);
  }
  if (edition !== undefined && (kind !== 'daily' || !(DAILY_EDITIONS as readonly string[]).includes(String(edition)))) {
    throw new Error(`"edition" is for the daily report only, one of ${DAILY_EDITIONS.join(', ')}; got ${JSON.stringify(event)}`);
  }
  const at = e.at === undefined ? undefined : new Date(String(e.at));
  if (at && (Number.isNaN(at.getTime()) || typeof e.at !== 'string')) throw new Error(`"at" must be an ISO 8601 time; got ${JSON.stringify(e.at)}`);
  return { kind: kind as ReportKind, ...(edition ? { edition: edition as DailyEdition } : {}), ...(at ? { at } : {}) };
}

/** The clients, made once per container (tests replace them through aws-sdk-client-mock). */
let clients: { s3: S3Client; sns: SNSClient; source: AwsReportSource; config: ReturnType<typeof loadReportConfig> } | undefined;

function wire() {
  if (clients) return clients;
  const config = loadReportConfig();
  const s3 = new S3Client({ region: config.region });
  const declared = async (): Promise<Declared> => {
    const out = await s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: config.declaredKey }));
    return JSON.parse(await out.Body!.transformToString()) as Declared;
  };
  const source = new AwsReportSource(awsReportClients(config.region), {
    stage: config.stage, stateMachineArn: config.stateMachineArn, api: config.api, functionNames: config.functionNames,
    clusterIdentifier: config.clusterIdentifier, clusterArn: config.clusterArn, webAclName: config.webAclName,
    ...(config.analyzerArn ? { analyzerArn: config.analyzerArn } : {}), declared,
  });
  clients = { s3, sns: new SNSClient({ region: config.region }), source, config };
  return clients;
}

/** Forgets the wired clients (tests change the environment between cases). */
export const resetForTests = (): void => {
  clients = undefined;
};

export async function handler(raw: unknown): Promise<{ markdown: string; json: string; breaches: number }> {
  const request = parseEvent(raw);
  const observer = createObserver({ job: 'ops-report', report: request.kind });
  const { s3, sns, source, config } = wire();
  const { report, keys } = await publishReport({
    source, store: new S3ReportStore(s3, config.bucket), notifier: new SnsReportNotifier(sns, config.topicArn),
    clock: request.at ? { now: () => request.at! } : systemClock, costLines: config.costLines,
  }, request);
  observer.logger.info('運用レポートを作成しました', { report: report.kind, edition: report.edition, window: report.window.label, breaches: report.breaches, ...keys });
  return { ...keys, breaches: report.breaches };
}
