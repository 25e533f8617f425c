/** Plain-text tables for the terminal (what `console.table` shows, without its index column and quotes). */
export type TextCell = string | number | boolean | null | undefined;

export function textTable(columns: readonly string[], rows: readonly (readonly TextCell[])[]): string {
  if (rows.length === 0) return '(none)\n';
  const text = (c: TextCell) => (c === null || c === undefined ? '—' : String(c));
  const widths = columns.map((col, i) => Math.max(col.length, ...rows.map((r) => text(r[i]).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(r.map(text)))].join('\n')}\n`;
}
