import type { Dialect, Row, SqlParam } from '#core/warehouse/ports.ts';
import type { SqlValues } from '#core/warehouse/sql-exec.ts';
import type { SlotValues } from '#core/warehouse/template.ts';
import type { ParamReader } from './params.ts';

/** One read: SQL with `?` placeholders and their values (the Warehouse port's `query`). */
export type QueryFn = (sql: string, params?: readonly SqlParam[]) => Promise<Row[]>;

/**
 * The port the read API reads through: the Warehouse port's `query`, with every read of one report in
 * one snapshot where the warehouse offers one (a transaction), so a page never mixes two model runs.
 * Adapters: the local DuckDB warehouse, the CLI's reader of a stopped stack's file; Snowflake later.
 */
export interface ReportSource {
  readonly dialect: Dialect;
  read<T>(work: (query: QueryFn) => Promise<T>): Promise<T>;
}

/** A report's reads: statements and templates of `sql/`, by file and name, values bound by name. */
export interface ReportReads {
  statement(file: string, name: string, values?: SqlValues): Promise<Row[]>;
  template(file: string, name: string, slots: SlotValues, values?: SqlValues): Promise<Row[]>;
}

/** What every report may know besides its parameters. */
export interface ReportContext {
  /** The API's clock: default ranges end on its UTC day. */
  readonly today: Date;
}

/** A request whose parameters were read: what it asks for (the cache key and the answer's echo), and how to answer. */
export interface PreparedReport {
  /** The parameters after defaults, as the answer echoes them; equal objects are the same request. */
  readonly params: Readonly<Record<string, string | number | null>>;
  run(reads: ReportReads): Promise<unknown>;
}

/** One report of the read API (one module each under `reports/`). */
export interface ConsoleReport {
  readonly name: string;
  /** One line for the API index. */
  readonly summary: string;
  /** Reads the parameters (problems go to the reader, which throws them all at once). */
  prepare(params: ParamReader, context: ReportContext): PreparedReport;
}
