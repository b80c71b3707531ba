import type { Warehouse } from './ports.ts';
import { runStatement } from './sql-exec.ts';
import type { SqlLibrary } from './sql-library.ts';
import type { RenderedStatement } from './template.ts';

/** A statement that creates a table (after any leading comment lines). */
const CREATES_TABLE = /^\s*(?:--[^\n]*\n\s*)*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TRANSIENT\s+)?TABLE\b/i;

/**
 * Every statement of `sql/ddl/` (every schema, table, view and seed of the pipeline, whatever layer uses
 * it), in the order they can run: the files of `ddl/schemas/`, then every table, then the rest (views,
 * seeds, upgrades and backfills, which may read any table), each group in file order. What
 * applyWarehouseDdl runs.
 */
export const warehouseDdl = (library: SqlLibrary): RenderedStatement[] => {
  const files = library.files('ddl/');
  const schemas = files.filter((f) => f.startsWith('ddl/schemas/'));
  const rest = files
    .filter((f) => !f.startsWith('ddl/schemas/'))
    .flatMap((path) => library.file(path).statements);
  return [
    ...schemas.flatMap((path) => library.file(path).statements),
    ...rest.filter((s) => CREATES_TABLE.test(s.sql)),
    ...rest.filter((s) => !CREATES_TABLE.test(s.sql)),
  ];
};

/**
 * Creates every schema, table, view and seed of `sql/ddl/` ({@link warehouseDdl}), idempotently (IF NOT
 * EXISTS, OR REPLACE, seeds guarded by NOT EXISTS). Runs outside any transaction: Snowflake commits on each
 * DDL statement.
 */
export const applyWarehouseDdl = async (warehouse: Warehouse, library: SqlLibrary): Promise<void> => {
  for (const statement of warehouseDdl(library)) {
    await runStatement(warehouse, statement);
  }
};
