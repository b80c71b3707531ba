import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBResultReader,
  DuckDBTypeId,
  type DuckDBValue,
} from '@duckdb/node-api';
import { WarehouseConflictError, WarehouseError, WarehouseQueryError } from '#core/warehouse/errors.ts';
import type { Row, SqlParam, Warehouse } from '#core/warehouse/ports.ts';
import type { RawFileLoad, RawFileLoading } from '#core/warehouse/raw-file-loading.ts';
import { toSqlTimestamp } from '#core/warehouse/time.ts';
import { rawFileSql } from './raw-file-sql.ts';

/** Where the DuckDB database lives. */
export interface DuckDbWarehouseOptions {
  /** Database file (parent folders are created), or `:memory:` (the default) for a throwaway database. */
  readonly path?: string;
  /** Worker threads; DuckDB's default (all cores) when omitted. */
  readonly threads?: number;
  /**
   * Most memory DuckDB may use for its buffer cache and operators, e.g. `'1GB'`; DuckDB's default (80% of
   * RAM) when omitted. Above it DuckDB spills to a temporary folder beside the database file or fails.
   */
  readonly memoryLimit?: string;
  /**
   * Write-ahead log size after which a commit checkpoints (writes the changed row groups, compressed, to
   * the database file), e.g. `'256MB'`; DuckDB's default (16 MiB) when omitted. A stream of small loads
   * rewrites the table's last, growing row group at every checkpoint: a larger threshold rewrites it
   * less often (less CPU per loaded row) and leaves a longer log to replay after a crash.
   */
  readonly checkpointThreshold?: string;
  /**
   * Rows per row group of the database file (DuckDB's default: 122,880), the unit its zone maps prune.
   * Needs a file `path`: DuckDB keeps it for attached files only, so the file is attached under the name
   * `tally` and every connection uses it. The scan benchmark sets it so that a day of events spans
   * several row groups, as a day spans many micro-partitions on Snowflake.
   */
  readonly rowGroupSize?: number;
}

const SIZE = /^\d+(\.\d+)?\s*(B|[KMGT]i?B)$/i;

/** Every invalid option, so one message lists them all. */
const optionProblems = (options: DuckDbWarehouseOptions): string[] => [
  ...(options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads > 0)
    ? [`threads must be a positive integer, got ${options.threads}`]
    : []),
  ...(options.rowGroupSize !== undefined &&
  !(Number.isInteger(options.rowGroupSize) && options.rowGroupSize >= 2048 && options.path !== undefined)
    ? [`rowGroupSize must be an integer of at least 2048, with a file path, got ${options.rowGroupSize}`]
    : []),
  ...(['memoryLimit', 'checkpointThreshold'] as const)
    .filter((name) => options[name] !== undefined && !SIZE.test(options[name] ?? ''))
    .map((name) => `${name} must be a size such as '1GB' or '512MiB', got '${options[name]}'`),
];

/** The Warehouse port on DuckDB, which also reads raw NDJSON files itself (the raw loader's fast path). */
export type DuckDbWarehouse = Warehouse & RawFileLoading;

/**
 * The Warehouse port on DuckDB, for local mode and tests.
 *
 * Values come back as plain JSON-friendly JS: integers as numbers (strings past 2^53), DECIMAL and
 * DOUBLE as numbers, DATE as `YYYY-MM-DD`, TIMESTAMP as ISO-8601 UTC (`...Z`, millisecond precision),
 * JSON parsed. Each transaction runs on its own connection, so concurrent work in the same process
 * gets DuckDB's MVCC isolation; write-write conflicts surface as WarehouseConflictError. A nested
 * `transaction()` joins the enclosing one.
 */
export const createDuckDbWarehouse = async (
  options: DuckDbWarehouseOptions = {},
): Promise<DuckDbWarehouse> => {
  const problems = optionProblems(options);
  if (problems.length > 0) throw new WarehouseError(`DuckDB warehouse options: ${problems.join('; ')}`);
  const path = options.path ?? ':memory:';
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // raw file loads number lines with WITH ORDINALITY, which needs scans to keep the file's order
  const config: Record<string, string> = { preserve_insertion_order: 'true' };
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  if (options.checkpointThreshold !== undefined) config.checkpoint_threshold = options.checkpointThreshold;
  // DuckDB checkpoints at commit once a transaction wrote more than checkpoint_threshold; in memory that
  // recompresses every table (cost grows with the database, not the write) and persists nothing.
  if (path === ':memory:') config.checkpoint_threshold = '1TB';
  const attached = options.rowGroupSize !== undefined;
  const instance = await DuckDBInstance.create(attached ? ':memory:' : path, config);
  const connect = async (): Promise<DuckDBConnection> => {
    const connection = await instance.connect();
    if (attached) await run(connection, 'USE tally', []);
    return connection;
  };
  if (attached) {
    const setup = await instance.connect();
    await run(setup, `ATTACH ${sqlString(path)} AS tally (ROW_GROUP_SIZE ${options.rowGroupSize})`, []);
    setup.closeSync();
  }
  const main = await connect();
  const open = new Set<DuckDBConnection>([main]);

  const transaction = async <T>(work: (tx: DuckDbWarehouse) => Promise<T>): Promise<T> => {
    const connection = await connect();
    open.add(connection);
    try {
      await run(connection, 'BEGIN TRANSACTION', []);
      const tx = onConnection(connection, (inner) => inner(tx));
      let result: T;
      try {
        result = await work(tx);
        await run(connection, 'COMMIT', []);
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
      return result;
    } finally {
      open.delete(connection);
      connection.closeSync();
    }
  };

  const warehouse = onConnection(main, transaction);
  return {
    ...warehouse,
    close: async () => {
      for (const connection of open) connection.closeSync();
      open.clear();
      instance.closeSync();
    },
  };
};

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

type TransactionFn = <T>(work: (tx: DuckDbWarehouse) => Promise<T>) => Promise<T>;

const onConnection = (connection: DuckDBConnection, transaction: TransactionFn): DuckDbWarehouse => ({
  dialect: 'duckdb',
  execute: async (sql, params = []) => (await run(connection, sql, params)).rowsChanged,
  query: async <T extends Row = Row>(sql: string, params: readonly SqlParam[] = []) => {
    const reader = await read(connection, sql, params);
    return toRows(reader) as T[];
  },
  transaction,
  loadRawFile: (load) => loadRawFile(connection, load),
  close: async () => undefined,
});

const loadRawFile = async (connection: DuckDBConnection, load: RawFileLoad): Promise<number> => {
  const sql = rawFileSql(load.table, load.compression);
  try {
    const result = await run(connection, sql, [load.path, load.fileName, toSqlTimestamp(load.loadedAt)]);
    return result.rowsChanged;
  } catch (error) {
    if (!(error instanceof WarehouseQueryError)) throw error;
    const message = `${load.fileName}: ${error.message}`;
    throw error instanceof WarehouseConflictError
      ? new WarehouseConflictError(message, sql, { cause: error })
      : new WarehouseQueryError(message, sql, { cause: error });
  }
};

const run = async (connection: DuckDBConnection, sql: string, params: readonly SqlParam[]) => {
  try {
    return await connection.run(sql, params.length > 0 ? (params as DuckDBValue[]) : undefined);
  } catch (error) {
    throw toWarehouseError(error, sql);
  }
};

const read = async (connection: DuckDBConnection, sql: string, params: readonly SqlParam[]) => {
  try {
    return await connection.runAndReadAll(sql, params.length > 0 ? (params as DuckDBValue[]) : undefined);
  } catch (error) {
    throw toWarehouseError(error, sql);
  }
};

const toWarehouseError = (error: unknown, sql: string): Error => {
  const message = error instanceof Error ? error.message : String(error);
  if (/conflict/i.test(message)) return new WarehouseConflictError(message, sql, { cause: error });
  return new WarehouseQueryError(message, sql, { cause: error });
};

const INTEGER_TYPES = new Set([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);
const TIMESTAMP_TYPES = new Set([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

type Convert = (value: unknown) => unknown;

const converterFor = (typeId: DuckDBTypeId, alias: string | undefined): Convert => {
  if (alias === 'JSON') return (v) => (typeof v === 'string' ? JSON.parse(v) : v);
  if (INTEGER_TYPES.has(typeId)) {
    return (v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v);
  }
  if (typeId === DuckDBTypeId.DATE) return (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v);
  if (TIMESTAMP_TYPES.has(typeId)) return (v) => (v instanceof Date ? v.toISOString() : v);
  return (v) => v;
};

const toRows = (reader: DuckDBResultReader): Row[] => {
  const names = reader.deduplicatedColumnNames();
  const converters = reader.columnTypes().map((type) => converterFor(type.typeId, type.alias));
  return reader.getRowsJS().map((values) => {
    const row: Row = {};
    values.forEach((value, i) => {
      row[(names[i] ?? `column${i}`).toLowerCase()] =
        value === null ? null : (converters[i] ?? ((v) => v))(value);
    });
    return row;
  });
};
