/**
 * OpsReport, run by EventBridge Scheduler at the guide's check times (JST): `{ "report":
 * "daily" | "weekly" | "monthly", "edition"?: "morning" | "evening", "at"?: ISO time }` (`at`
 * re-makes the report of that time, e.g. one a failed run missed). Builds the report from
 * AWS (adapters/report-aws.ts), writes its Markdown and JSON to the reports bucket and posts the
 * summary to the warning topic (Slack through Chatbot, e-mail). What it reads is in the bucket's
 * program/stack.json (reports/config.ts).
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DAILY_EDITIONS, REPORT_KINDS, type DailyEdition, type ReportKind } from '../../../guide';
import { AwsReportSource, awsReportClients } from '../adapters/report-aws';
import { S3ReportStore, SnsReportNotifier } from '../adapters/report-publishing';
import { createObserver } from '../observability/observer';
import { systemClock } from '../ports';
import { captureClient } from '../runtime/trace-clients';
import { loadReportEnv, parseStack, STACK_KEY, type StackForReports } from '../reports/config';
import { publishReport, type ReportRequest } from '../usecases/publish-report';

export type OpsReportEvent = ReportRequest & { readonly at?: Date };

export function parseEvent(event: unknown): OpsReportEvent {
  const e = (event ?? {}) as Record<string, unknown>;
  const kind = e.report;
  const edition = e.edition;
  if (typeof kind !== 'string' || !(REPORT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(
      `Expected {"report": ${REPORT_KINDS.map((k) => `"${k}"`).join(' | ')}, "edition"?: "morning" | "evening"}; got ${JSON.stringify(event)}`,
    );
  }
  if (edition !== undefined && (kind !== 'daily' || !(DAILY_EDITIONS as readonly string[]).includes(String(edition)))) {
    throw new Error(`"edition" is for the daily report only, one of ${DAILY_EDITIONS.join(', ')}; got ${JSON.stringify(event)}`);
  }
  const at = e.at === undefined ? undefined : new Date(String(e.at));
  if (at && (Number.isNaN(at.getTime()) || typeof e.at !== 'string'))
    throw new Error(`"at" must be an ISO 8601 time; got ${JSON.stringify(e.at)}`);
  return { kind: kind as ReportKind, ...(edition ? { edition: edition as DailyEdition } : {}), ...(at ? { at } : {}) };
}

/** The clients and the stack file, read once per container (tests replace AWS through aws-sdk-client-mock). */
let wired: Promise<{ s3: S3Client; sns: SNSClient; source: AwsReportSource; bucket: string; stack: StackForReports }> | undefined;

async function wire() {
  const { region, bucket } = loadReportEnv();
  const trace = captureClient();
  const s3 = trace(new S3Client({ region }));
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: STACK_KEY }));
  const stack = parseStack(JSON.parse(await out.Body!.transformToString()), `s3://${bucket}/${STACK_KEY}`);
  const source = new AwsReportSource(awsReportClients(region, trace), {
    stage: stack.stage,
    stateMachineArn: stack.stateMachineArn,
    api: stack.api,
    functionNames: stack.functionNames,
    clusterIdentifier: stack.clusterIdentifier,
    clusterArn: stack.clusterArn,
    webAclName: stack.webAclName,
    ...(stack.analyzerArn ? { analyzerArn: stack.analyzerArn } : {}),
    declared: async () => stack.declared,
  });
  return { s3, sns: trace(new SNSClient({ region })), source, bucket, stack };
}

/** Forgets the wired clients (tests change the environment between cases). */
export const resetForTests = (): void => {
  wired = undefined;
};

export async function handler(raw: unknown): Promise<{ markdown: string; json: string; breaches: number }> {
  const request = parseEvent(raw);
  const observer = createObserver({ job: 'ops-report', report: request.kind });
  wired ??= wire().catch((err) => {
    wired = undefined;
    throw err;
  });
  const { s3, sns, source, bucket, stack } = await wired;
  const { report, keys } = await publishReport(
    {
      source,
      store: new S3ReportStore(s3, bucket),
      notifier: new SnsReportNotifier(sns, stack.topicArn),
      clock: request.at ? { now: () => request.at! } : systemClock,
      costLines: stack.costLines,
    },
    request,
  );
  observer.logger.info('運用レポートを作成しました', {
    report: report.kind,
    edition: report.edition,
    window: report.window.label,
    breaches: report.breaches,
    ...keys,
  });
  return { ...keys, breaches: report.breaches };
}
