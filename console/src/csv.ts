/** CSV of a dataset, exactly the values a chart or table shows (RFC 4180 quoting). */

export interface Column {
  readonly key: string;
  readonly label: string;
}

export type Cell = string | number | null;

export interface Dataset {
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
}

const quote = (value: Cell): string => {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const toCsv = (dataset: Dataset): string =>
  [
    dataset.columns.map((c) => quote(c.key)),
    ...dataset.rows.map((r) => dataset.columns.map((c) => quote(r[c.key] ?? null))),
  ]
    .map((cells) => cells.join(','))
    .join('\r\n')
    .concat('\r\n');

export const downloadCsv = (name: string, dataset: Dataset): void => {
  const url = URL.createObjectURL(new Blob([toCsv(dataset)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
