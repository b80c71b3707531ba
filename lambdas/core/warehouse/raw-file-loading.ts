import type { Warehouse } from './ports.ts';

/**
 * The raw loader's optional port: a warehouse that reads a raw NDJSON file itself (DuckDB's reader,
 * in local mode) instead of being sent the file's lines. The raw loader uses it when the warehouse
 * offers it and falls back to sending lines otherwise; Snowflake loads files through Snowpipe
 * (sql/snowflake/pipes.sql) and has no need for it.
 */

/** The tables a raw file loads into: `events/` files into raw.events, `rejected/` files into raw.rejected_events. */
export type RawTable = 'raw.events' | 'raw.rejected_events';

/** One file to load: every row gets `fileName`, its 1-based line number and `loadedAt`. */
export interface RawFileLoad {
  readonly table: RawTable;
  /** Local path of the file. */
  readonly path: string;
  /** How the file is stored, decided from its first bytes (not its name). */
  readonly compression: 'gzip' | 'none';
  /** The object key recorded in `file_name`. */
  readonly fileName: string;
  readonly loadedAt: Date;
}

export interface RawFileLoading {
  /**
   * Inserts every line of the file as one row, in one statement, and returns the rows inserted. Must
   * store exactly the rows the line path (`insertEventLines` / `insertRejectedLines`) stores for the
   * same file, and fail (the whole statement, nothing inserted) on every file with a line that path
   * would not load: the raw loader then rolls back and loads that file by lines, which routes the bad
   * lines to raw.rejected_events. Failing on more is allowed (it costs only speed), on less is not. The
   * raw loader checks a gzip file whole itself, in the same transaction (DuckDB reads a cut-short file
   * without complaint).
   */
  loadRawFile(load: RawFileLoad): Promise<number>;
}

/** True when the warehouse (or the transaction handle) offers {@link RawFileLoading}. */
export const canLoadRawFiles = (warehouse: Warehouse): warehouse is Warehouse & RawFileLoading =>
  typeof (warehouse as Partial<RawFileLoading>).loadRawFile === 'function';
