import type { Warehouse } from './ports.ts';
import { runStatement } from './sql-exec.ts';
import type { SqlLibrary } from './sql-library.ts';
import { toSqlTimestamp } from './time.ts';

/**
 * Brings the lines Snowpipe could not load into raw.rejected_events as UNLOADABLE_LINE rows
 * (sql/loads/unloadable_lines.sql): the pipes skip a bad line and load the rest of its file
 * (ON_ERROR = CONTINUE), and the tables' error tables keep the line. The local loader writes these rows
 * itself as it loads; on DuckDB the statement finds no error and inserts nothing, so the quality job
 * runs the same step on both warehouses.
 */
export interface CollectUnloadableOptions {
  /** The run's clock. */
  readonly now: Date;
  /** Errors stamped up to this many hours before `now` are read (and checked against raw for copies). @default 24 */
  readonly lookbackHours?: number;
  readonly library: SqlLibrary;
}

export const UNLOADABLE_LOOKBACK_HOURS = 24;

/** Copies the load errors of the lookback window not copied yet; returns the rows inserted. Idempotent. */
export const collectUnloadableLines = (
  warehouse: Warehouse,
  options: CollectUnloadableOptions,
): Promise<number> => {
  const { library } = options;
  const hours = options.lookbackHours ?? UNLOADABLE_LOOKBACK_HOURS;
  return runStatement(warehouse, library.statement('loads/unloadable_lines', 'copy_errors'), {
    errors_from: toSqlTimestamp(new Date(options.now.getTime() - hours * 3_600_000)),
  });
};
