import type { Warehouse } from '#core/warehouse/ports.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';

/**
 * `ops.load_history`: one row per bucket object the local loader has loaded, written in the
 * same transaction as the object's rows, so a file is either loaded and recorded or neither
 * (Snowpipe keeps the equivalent history itself on AWS). The primary key refuses a second
 * load of the same file even if two loaders ever raced.
 *
 * DuckDB-only (local mode); kept beside the loader that owns it rather than in `sql/`,
 * which holds what renders for both warehouses.
 */
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ops.load_history (
  file_name VARCHAR NOT NULL PRIMARY KEY,
  target_table VARCHAR NOT NULL,
  rows_loaded BIGINT NOT NULL,
  lines_unloadable BIGINT DEFAULT 0,
  file_bytes BIGINT NOT NULL,
  loaded_at TIMESTAMP NOT NULL,
  duration_ms BIGINT NOT NULL
)`;

export interface LoadRecord {
  /** Object key, e.g. `events/dt=2025-03-09/hr=17/tally-events-1-...json.gz`. */
  readonly fileName: string;
  readonly targetTable: 'raw.events' | 'raw.rejected_events';
  /** Lines stored in `targetTable`. */
  readonly rowsLoaded: number;
  /** Lines that could not be loaded, stored in raw.rejected_events as UNLOADABLE_LINE rows. */
  readonly linesUnloadable: number;
  readonly fileBytes: number;
  readonly loadedAt: Date;
  readonly durationMs: number;
}

/** Creates the table (and the `ops` schema) when missing; adds the columns a history from before them lacks. */
export const ensureLoadHistory = async (warehouse: Warehouse): Promise<void> => {
  await warehouse.execute('CREATE SCHEMA IF NOT EXISTS ops');
  await warehouse.execute(CREATE_TABLE);
  await warehouse.execute(
    'ALTER TABLE ops.load_history ADD COLUMN IF NOT EXISTS lines_unloadable BIGINT DEFAULT 0',
  );
};

/** Every file already loaded. */
export const loadedFiles = async (warehouse: Warehouse): Promise<Set<string>> =>
  new Set(
    (await warehouse.query<{ file_name: string }>('SELECT file_name FROM ops.load_history')).map(
      (r) => r.file_name,
    ),
  );

/** Epoch ms of the latest load, 0 when nothing was loaded yet. */
export const lastLoadedAt = async (warehouse: Warehouse): Promise<number> => {
  const [row] = await warehouse.query<{ latest: string | null }>(
    'SELECT MAX(loaded_at) AS latest FROM ops.load_history',
  );
  return row?.latest ? Date.parse(row.latest) : 0;
};

/** True when `fileName` is recorded (read inside the load's transaction, so the check and the load are atomic). */
export const isLoaded = async (warehouse: Warehouse, fileName: string): Promise<boolean> =>
  (await warehouse.query('SELECT 1 AS hit FROM ops.load_history WHERE file_name = ?', [fileName])).length > 0;

export const recordLoad = async (warehouse: Warehouse, load: LoadRecord): Promise<void> => {
  await warehouse.execute(
    'INSERT INTO ops.load_history (file_name, target_table, rows_loaded, lines_unloadable, file_bytes, loaded_at, duration_ms) ' +
      'VALUES (?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?)',
    [
      load.fileName,
      load.targetTable,
      load.rowsLoaded,
      load.linesUnloadable,
      load.fileBytes,
      toSqlTimestamp(load.loadedAt),
      load.durationMs,
    ],
  );
};
