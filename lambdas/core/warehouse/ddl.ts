import type { Warehouse } from './ports.ts';
import { runStatement } from './sql-exec.ts';
import type { SqlLibrary } from './sql-library.ts';
import type { RenderedStatement } from './template.ts';

/** Every statement of `sql/ddl/`, the files of `ddl/schemas/` first: what applyWarehouseDdl runs. */
export const warehouseDdl = (library: SqlLibrary): RenderedStatement[] => {
  const files = library.files('ddl/');
  return [
    ...files.filter((f) => f.startsWith('ddl/schemas/')),
    ...files.filter((f) => !f.startsWith('ddl/schemas/')),
  ].flatMap((path) => library.file(path).statements);
};

/**
 * Creates every schema and table of `sql/ddl/` (schemas first), idempotently (IF NOT EXISTS, seeds
 * guarded by NOT EXISTS). Runs outside any transaction: Snowflake commits on each DDL statement.
 */
export const applyWarehouseDdl = async (warehouse: Warehouse, library: SqlLibrary): Promise<void> => {
  for (const statement of warehouseDdl(library)) {
    await runStatement(warehouse, statement);
  }
};
