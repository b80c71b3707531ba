import type { Row } from '#core/warehouse/ports.ts';

export const OUTPUT_FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const isOutputFormat = (value: string): value is OutputFormat =>
  (OUTPUT_FORMATS as readonly string[]).includes(value);

/** Renders rows for the terminal (`table`), spreadsheets (`csv`, RFC 4180) or programs (`json`). */
export const formatRows = (rows: readonly Row[], format: OutputFormat): string => {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (format === 'csv') {
    return [
      columns.map(csvCell).join(','),
      ...rows.map((r) => columns.map((c) => csvCell(text(r[c], 'exact'))).join(',')),
    ].join('\n');
  }
  if (rows.length === 0) return '(no rows)';
  const cells = rows.map((r) => columns.map((c) => text(r[c])));
  const numeric = columns.map((c) => rows.every((r) => r[c] === null || typeof r[c] === 'number'));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    `(${rows.length} rows)`,
  ].join('\n');
};

/**
 * A cell's text. The table rounds fractions to 3 decimals for reading; CSV is read by programs and
 * spreadsheets, so it writes every number exactly (as JSON does).
 */
const text = (value: unknown, numbers: 'rounded' | 'exact' = 'rounded'): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    return Number.isInteger(value) || numbers === 'exact' ? String(value) : value.toFixed(3);
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

const csvCell = (value: string): string =>
  /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
