/** Plain-text tables for a terminal, pure: columns padded to their widest cell, two spaces apart. */

export interface Column {
  readonly header: string;
  /** Numbers read better right-aligned. */
  readonly align?: 'left' | 'right';
}

/** Control characters would break the layout or the terminal; hub data is not trusted for that. */
export function sanitizeCell(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Renders a header line and one line per row, each ending in '\n'; trailing spaces are trimmed. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => columns.map((_, i) => sanitizeCell(row[i] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => [...(row[i] ?? '')].length)));
  const line = (row: readonly string[]): string => columns
    .map((c, i) => {
      const text = row[i] ?? '';
      const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...text].length));
      return c.align === 'right' ? pad + text : text + pad;
    })
    .join('  ')
    .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].map((l) => `${l}\n`).join('');
}
