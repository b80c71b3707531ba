/** The warehouse port: the one thing models, loaders and checks talk to. Adapters: DuckDB (local, tests) and Snowflake. */

/** SQL dialects the renderer targets; every statement in `sql/` renders for both. */
export type Dialect = 'snowflake' | 'duckdb';

/** Positional parameters bound to `?` placeholders. */
export type SqlParam = string | number | boolean | null;

export type Row = Record<string, unknown>;

export interface Warehouse {
  readonly dialect: Dialect;
  /** Runs one statement (DDL or DML) and returns the number of rows it changed when the driver reports it. */
  execute(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /** Runs one query and returns its rows as plain objects (column names as the warehouse reports them, lower case). */
  query<T extends Row = Row>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Runs `work` in one transaction: everything it executes commits together or not at all. */
  transaction<T>(work: (tx: Warehouse) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
