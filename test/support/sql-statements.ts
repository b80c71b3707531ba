import type { Row, Warehouse } from '#core/warehouse/ports.ts';
import type { RenderedStatement } from '#core/warehouse/template.ts';
import { testSqlLibrary } from '#test/support/sql-library.ts';

/**
 * Every statement of the DuckDB rendering of `sql/` in the files `include` keeps, as `it.each` rows
 * named `file#statement`.
 */
export const duckdbStatements = (
  include: (file: string) => boolean,
): (readonly [string, RenderedStatement])[] => {
  const duckdb = testSqlLibrary('duckdb');
  return duckdb
    .files()
    .filter(include)
    .flatMap((file) => duckdb.file(file).statements.map((s) => [`${file}#${s.name}`, s] as const));
};

/** Binds and plans `sql` against the warehouse's tables without running it (every parameter null). */
export const explain = (warehouse: Warehouse, sql: string, params: readonly string[]): Promise<Row[]> =>
  warehouse.query(
    `EXPLAIN ${sql}`,
    params.map(() => null),
  );
