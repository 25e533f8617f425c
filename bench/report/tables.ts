/** Markdown table helpers and the one-line-per-figure summary shared by latest.md and the README. */
import type { Results } from '../suites';
import type { ApiRow } from '../suites/api';
import type { CleanupResult } from '../suites/cleanup';
import type { ColdStartRow } from '../suites/cold-start';
import type { E2eRow } from '../suites/e2e';
import type { InfraResult } from '../suites/infra';
import type { ScaleRow } from '../suites/scale';

type Cell = string | number | boolean | undefined;

export function table(head: string[], rows: Cell[][]): string {
  const line = (cells: Cell[]) => `| ${cells.map((c) => String(c ?? '').replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function summaryRows(results: Results): Cell[][] {
  const rows: Cell[][] = [];
  const s = results.suites;
  if (s.api) {
    for (const r of s.api.data as ApiRow[]) {
      rows.push([
        `${r.route === 'status' ? 'GET status' : 'POST start'}, ${r.connections} conn`,
        `p95 ${r.runtime.p95Ms} ms (${r.ratio.p95}× baseline), ${r.runtime.rps} req/s (${r.ratio.rps}× baseline); SLO p95 < ${r.slo.p95LimitMs} ms ${r.slo.pass ? 'PASS' : 'FAIL'}`,
        `\`${s.api.sectionCommand}\``,
      ]);
    }
  }
  if (s.e2e) {
    for (const r of s.e2e.data as E2eRow[]) {
      rows.push([
        `end to end, N = ${r.n.toLocaleString('en')}`,
        `${r.processesPerSecond} processes/s; ${r.completed}/${r.accepted} COMPLETED${r.lost ? `, ${r.lost} not completed` : ', none lost'}${r.finishedInBudget ? '' : ` (stopped at the ${r.budgetS} s budget)`}`,
        `\`${s.e2e.sectionCommand}\``,
      ]);
    }
  }
  if (s.coldstart) {
    const rs = (s.coldstart.data as ColdStartRow[]).filter((r) => !r.function.startsWith('('));
    const worst = rs.reduce((a, b) => (b.totalMs > a.totalMs ? b : a), rs[0]!);
    const kb = rs.map((r) => Math.round(r.bytes / 1024));
    rows.push([
      'cold start (fresh node, bundle, first request)',
      `${Math.min(...rs.map((r) => r.totalMs))}–${worst.totalMs} ms (slowest: ${worst.function}); bundles ${Math.min(...kb)}–${Math.max(...kb)} KB`,
      `\`${s.coldstart.sectionCommand}\``,
    ]);
  }
  if (s.cleanup) {
    const r = s.cleanup.data as CleanupResult;
    rows.push([
      `cleanup of ${r.rows.toLocaleString('en')} rows`,
      `${r.rowsPerSecond.toLocaleString('en')} rows/s (${r.deleted.toLocaleString('en')} deleted); longest batch (lock held) ${r.longestBatchMs} ms`,
      `\`${s.cleanup.sectionCommand}\``,
    ]);
  }
  if (s.infra) {
    const r = s.infra.data as InfraResult;
    rows.push([
      `infra program (${r.stack}) under mocks`,
      r.error
        ? `not measured: ${r.error.split('\n')[0]}`
        : `${r.constructMs} ms to construct ${r.customResources} resources (+${r.components} components)`,
      `\`${s.infra.sectionCommand}\``,
    ]);
  }
  if (s.scale) {
    const rs = (s.scale.data as { rows: ScaleRow[] }).rows;
    const usd = rs.map((r) => r.usdPerProcess);
    rows.push([
      `scale, N = ${rs.map((r) => r.n.toLocaleString('en')).join(' / ')} (model latency = guide averages, compressed)`,
      `model cost per process $${usd.join(' / ')}; ${rs.map((r) => `${r.completed}/${r.accepted}`).join(', ')} COMPLETED`,
      `\`${s.scale.sectionCommand}\``,
    ]);
  }
  return rows;
}
