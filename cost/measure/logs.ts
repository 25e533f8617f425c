/**
 * Reads the local runtime's output (JSON lines, exactly what the functions print in Lambda) and
 * sorts each line into the log group it would land in on AWS. The local runtime's own lines
 * (`service: local-runtime`: Step Functions, start-up) and non-JSON lines (Node warnings) have no
 * AWS counterpart and are left out.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { LogVolume } from '../profile';

export type LogGroup = 'worker' | 'start' | 'status' | 'queueMonitor' | 'other';

/** EMF metrics and who prints them. */
const WORKER_METRICS = ['AsyncProcessingCompleted', 'AsyncProcessingFailed', 'AsyncProcessingTimeout', 'ProcessingDuration'];
const MONITOR_METRICS = ['QueueDepth', 'OldestActiveProcessAge'];

export interface ParsedLine {
  readonly group: LogGroup;
  readonly bytes: number;
  readonly json: Record<string, any>;
}

export function classify(json: Record<string, any>): LogGroup | undefined {
  if (json.service === 'local-runtime') return undefined;
  const metrics: string[] = (json._aws?.CloudWatchMetrics ?? []).flatMap((m: any) => (m.Metrics ?? []).map((x: any) => x.Name));
  if (metrics.length) {
    if (metrics.some((m) => WORKER_METRICS.includes(m))) return 'worker';
    if (metrics.some((m) => MONITOR_METRICS.includes(m))) return 'queueMonitor';
    return metrics.includes('AsyncProcessingStarted') ? 'start' : 'other';
  }
  if (json.action) return 'worker';
  if (json.route === 'start') return 'start';
  if (json.route === 'status') return 'status';
  if (json.route) return 'other';
  if ('queueDepth' in json || /queue/i.test(String(json.message ?? ''))) return 'queueMonitor';
  return 'other';
}

/** The lines a file gained since `offset` (bytes), parsed and classified; returns the new offset too. */
export function readNewLines(file: string, offset: number): { lines: ParsedLine[]; offset: number } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - offset));
    readSync(fd, buf, 0, buf.length, offset);
    const end = buf.lastIndexOf(0x0a) + 1;
    const lines: ParsedLine[] = [];
    for (const raw of buf.subarray(0, end).toString('utf8').split('\n')) {
      if (!raw.startsWith('{')) continue;
      let json: Record<string, any>;
      try {
        json = JSON.parse(raw);
      } catch {
        continue;
      }
      const group = classify(json);
      if (group) lines.push({ group, bytes: Buffer.byteLength(raw) + 1, json });
    }
    return { lines, offset: offset + end };
  } finally {
    closeSync(fd);
  }
}

export function volume(lines: readonly ParsedLine[], group: LogGroup): LogVolume {
  const mine = lines.filter((l) => l.group === group);
  return { bytes: mine.reduce((n, l) => n + l.bytes, 0), events: mine.length };
}

/** `Name{dim=value,…}` for every metric of an EMF line. */
export function metricSeries(json: Record<string, any>): string[] {
  const out: string[] = [];
  for (const directive of json._aws?.CloudWatchMetrics ?? []) {
    for (const dims of directive.Dimensions ?? [[]]) {
      const labels = (dims as string[]).map((d) => `${d}=${json[d]}`).join(',');
      for (const m of directive.Metrics ?? []) out.push(`${directive.Namespace}/${m.Name}{${labels}}`);
    }
  }
  return out;
}
