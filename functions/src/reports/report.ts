/**
 * A report as data: sections of tables and checks, so the JSON an automation reads and the
 * Markdown a person reads are the same figures (./markdown.ts renders the latter).
 */
import type { DailyEdition, ReportKind } from '../../../guide';

export type Cell = string | number | null;

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** `ok` meets the guide, `breach` does not, `unknown` could not be measured here (the note says why). */
export type CheckStatus = 'ok' | 'breach' | 'unknown';

export interface Check {
  readonly item: string;
  readonly value: Cell;
  readonly target: string;
  readonly status: CheckStatus;
  readonly note?: string;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  /** The guide's checklist line(s) this section answers. */
  readonly guide: string;
  readonly table?: Table;
  readonly checks?: readonly Check[];
  readonly notes?: readonly string[];
}

export interface Report {
  readonly kind: ReportKind;
  readonly edition?: DailyEdition;
  readonly title: string;
  readonly source: string;
  readonly generatedAt: string;
  readonly window: { readonly start: string; readonly end: string; readonly label: string };
  readonly sections: readonly Section[];
  /** Checks that breach, over every section: the Slack summary leads with them. */
  readonly breaches: number;
}

export const check = (item: string, value: Cell, target: string, ok: boolean | undefined, note?: string): Check => ({
  item,
  value,
  target,
  status: ok === undefined ? 'unknown' : ok ? 'ok' : 'breach',
  ...(note ? { note } : {}),
});

/** Rounds for display in both formats: two decimals at most, exact integers kept. */
export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
