import { formatUnit, type Unit } from './charts.ts';
import { type Cell, downloadCsv } from './csv.ts';
import { h } from './dom.ts';

export interface TableColumn<R> {
  readonly key: string;
  readonly label: string;
  /** The value the CSV holds (and the cell shows, formatted by `unit`, unless `render` says otherwise). */
  readonly value: (row: R) => Cell;
  readonly unit?: Unit;
  readonly render?: (row: R) => Node | string;
  /** Whether the server can sort by it (the header then sorts through the URL). */
  readonly sortable?: boolean;
}

export interface TableSpec<R> {
  readonly id: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly columns: readonly TableColumn<R>[];
  readonly rows: readonly R[];
  readonly onRow?: (row: R) => void;
  /** Marks a row as the selected one. */
  readonly selected?: (row: R) => boolean;
  readonly sort?: {
    readonly key: string;
    readonly direction: 'asc' | 'desc';
    readonly onSort: (key: string) => void;
  };
  readonly empty?: string;
  readonly footer?: Node;
}

/** A card with a table and a CSV download of exactly its rows and columns. */
export const tableCard = <R>(spec: TableSpec<R>): HTMLElement => {
  const dataset = {
    columns: spec.columns.map((c) => ({ key: c.key, label: c.label })),
    rows: spec.rows.map((row) => Object.fromEntries(spec.columns.map((c) => [c.key, c.value(row)]))),
  };
  const head = h(
    'tr',
    {},
    spec.columns.map((c) => {
      const numeric = c.unit !== undefined;
      if (!spec.sort || !c.sortable) return h('th', { class: numeric ? 'num' : '' }, c.label);
      const active = spec.sort.key === c.key;
      const arrow = active ? (spec.sort.direction === 'asc' ? ' ▲' : ' ▼') : '';
      return h(
        'th',
        { class: `${numeric ? 'num' : ''} sortable${active ? ' active' : ''}`, 'data-sort': c.key },
        h('button', { type: 'button', onclick: () => spec.sort?.onSort(c.key) }, `${c.label}${arrow}`),
      );
    }),
  );
  const body = spec.rows.map((row) =>
    h(
      'tr',
      {
        class: `${spec.onRow ? 'clickable' : ''}${spec.selected?.(row) ? ' selected' : ''}`,
        onclick: spec.onRow ? () => spec.onRow?.(row) : undefined,
      },
      spec.columns.map((c) => {
        const value = c.value(row);
        const shown = c.render
          ? c.render(row)
          : c.unit
            ? formatUnit(c.unit, typeof value === 'number' ? value : null)
            : String(value ?? '–');
        return h('td', { class: c.unit ? 'num' : '', 'data-col': c.key }, shown);
      }),
    ),
  );
  return h(
    'section',
    { class: 'card table-card', 'data-table': spec.id },
    h(
      'header',
      { class: 'card-head' },
      h('div', {}, h('h3', {}, spec.title), spec.subtitle ? h('p', { class: 'muted' }, spec.subtitle) : null),
      h(
        'button',
        {
          class: 'csv',
          type: 'button',
          title: 'Download these rows as CSV',
          onclick: () => downloadCsv(spec.id, dataset),
        },
        'CSV',
      ),
    ),
    spec.rows.length === 0
      ? h('p', { class: 'empty' }, spec.empty ?? 'No rows in this range.')
      : h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, head), h('tbody', {}, body))),
    spec.footer ?? null,
  );
};
