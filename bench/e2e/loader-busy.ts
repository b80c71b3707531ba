import type { Row } from '#core/warehouse/ports.ts';

/** One row of `ops.load_history`, as the benchmark reads it. */
export interface LoadRow {
  readonly target_table: string;
  readonly rows_loaded: number;
  readonly loaded_at: string;
  readonly duration_ms: number;
}

export interface LoaderBusy {
  readonly target_table: string;
  readonly files: number;
  readonly rows: number;
  /** Wall time the loader spent on this table: the union of its files' [loaded_at, + duration] spans. */
  readonly busy_ms: number;
  readonly rows_per_busy_second: number;
  readonly p95_file_ms: number;
  readonly max_file_ms: number;
}

/**
 * The loader's work per raw table. Files loaded in one transaction overlap (each one's duration runs
 * to its group's commit), so busy time is the union of the spans, not their sum.
 */
export const loaderBusy = (rows: readonly Row[]): LoaderBusy[] => {
  const byTable = new Map<string, LoadRow[]>();
  for (const row of rows as unknown as LoadRow[]) {
    const list = byTable.get(row.target_table) ?? [];
    list.push(row);
    byTable.set(row.target_table, list);
  }
  return [...byTable.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, loads]) => {
      const spans = loads
        .map((l) => {
          const start = Date.parse(l.loaded_at);
          return [start, start + Number(l.duration_ms)] as const;
        })
        .sort((a, b) => a[0] - b[0]);
      let busy = 0;
      let end = Number.NEGATIVE_INFINITY;
      for (const [from, to] of spans) {
        busy += Math.max(0, to - Math.max(from, end));
        end = Math.max(end, to);
      }
      const rowsLoaded = loads.reduce((sum, l) => sum + Number(l.rows_loaded), 0);
      const durations = loads.map((l) => Number(l.duration_ms)).sort((a, b) => a - b);
      return {
        target_table: table,
        files: loads.length,
        rows: rowsLoaded,
        busy_ms: busy,
        rows_per_busy_second: Math.round((rowsLoaded * 1000) / Math.max(busy, 1)),
        p95_file_ms: durations[Math.min(durations.length - 1, Math.floor(durations.length * 0.95))] ?? 0,
        max_file_ms: durations.at(-1) ?? 0,
      };
    });
};
