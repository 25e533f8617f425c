/**
 * StateReason texts in CloudWatch's wording, e.g. "Threshold Crossed: 3 out of the last 5
 * datapoints [8.0 (07/12/26 14:05:00), …] were greater than the threshold (5.0) (minimum 3
 * datapoints for OK -> ALARM transition)." The wording follows the reasons CloudWatch writes in
 * alarm history; it is for people and is not guaranteed to the letter.
 */
import type { AlarmState, ComparisonOperator } from '../types';
import type { Decision } from './missing-data';

const WORDS: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** `dd/MM/yy HH:mm:ss` in UTC, as alarm history prints datapoint times. */
export function historyTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Numbers as CloudWatch prints doubles: `5.0`, `0.25`. */
export const cwNumber = (x: number): string => (Number.isInteger(x) ? x.toFixed(1) : String(x));

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface ReasonInput {
  readonly decision: Decision;
  readonly state: AlarmState;
  readonly points: readonly { readonly timestamp: number; readonly value: number; readonly breaching: boolean }[];
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  readonly rangeLength: number;
}

export function thresholdReason(r: ReasonInput): string {
  const { decision: d, state } = r;
  const n = r.evaluationPeriods;
  if (state === 'INSUFFICIENT_DATA') {
    return d.rule === 'no-data'
      ? `Insufficient Data: ${plural(r.rangeLength, 'datapoint')} ${r.rangeLength === 1 ? 'was' : 'were'} unknown.`
      : `Insufficient Data: ${plural(r.points.length, 'datapoint')} ${r.points.length === 1 ? 'was' : 'were'} received, fewer than the ${plural(n, 'datapoint')} evaluated, and the rest ${d.filled === 1 ? 'is' : 'are'} missing.`;
  }
  const alarm = state === 'ALARM';
  const shown = r.points.filter((p) => p.breaching === alarm);
  const list = shown.length ? ` [${shown.map((p) => `${cwNumber(p.value)} (${historyTime(p.timestamp)})`).join(', ')}]` : '';
  const treatedAs = `[${d.filledAs === 'breaching' ? 'Breaching' : 'NonBreaching'}]`;
  const fills = d.filled ? ` ${plural(d.filled, 'missing datapoint')} ${d.filled === 1 ? 'was' : 'were'} treated as ${treatedAs}.` : '';
  const cmp = `${alarm ? '' : 'not '}${WORDS[r.comparison]} the threshold (${cwNumber(r.threshold)})`;
  if (d.rule === 'no-data') {
    return `Threshold Crossed: no datapoints were received for ${plural(n, 'period')} and ${plural(d.filled, 'missing datapoint')} ${d.filled === 1 ? 'was' : 'were'} treated as ${treatedAs}.`;
  }
  const count = alarm ? d.breaching : n - d.breaching;
  const minimum = alarm ? r.datapointsToAlarm : n - r.datapointsToAlarm + 1;
  const transition = alarm ? 'OK -> ALARM' : 'ALARM -> OK';
  const head =
    n === 1 && !fills
      ? `1 datapoint${list} was ${cmp}.`
      : `${count} out of the last ${n} datapoints${list} ${count === 1 ? 'was' : 'were'} ${cmp} (minimum ${plural(minimum, 'datapoint')} for ${transition} transition).${fills}`;
  return `Threshold Crossed: ${head}`;
}

export const CREATED_REASON = 'Unchecked: Initial alarm creation';

/** `Friday 04 August, 2023 12:54:46 UTC`, as composite reasons print times. */
export function longTime(ms: number): string {
  const d = new Date(ms);
  const day = d.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  const month = d.toLocaleDateString('en-GB', { month: 'long', timeZone: 'UTC' });
  return `${day} ${pad(d.getUTCDate())} ${month}, ${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)} UTC`;
}

/** A composite's reason: the child change that flipped it, as CloudWatch words it. */
export function compositeReason(to: AlarmState, at: number, trigger?: { readonly arn: string; readonly state: AlarmState }): string {
  return trigger
    ? `${trigger.arn} transitioned to ${trigger.state} at ${longTime(at)}`
    : `The alarm rule evaluated to ${to === 'ALARM' ? 'TRUE' : 'FALSE'} at ${longTime(at)}`;
}
