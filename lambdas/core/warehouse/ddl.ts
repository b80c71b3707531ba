import type { Warehouse } from './ports.ts';
import { runStatement } from './sql-exec.ts';
import { defaultSqlLibrary, type SqlLibrary } from './sql-library.ts';

/**
 * Creates every schema and table of `sql/ddl/` (schemas first), idempotently (IF NOT EXISTS, seeds
 * guarded by NOT EXISTS). Runs outside any transaction: Snowflake commits on each DDL statement.
 */
export const applyWarehouseDdl = async (warehouse: Warehouse, library?: SqlLibrary): Promise<void> => {
  const lib = library ?? defaultSqlLibrary(warehouse.dialect);
  const files = lib.files('ddl/');
  const ordered = [
    ...files.filter((f) => f.startsWith('ddl/schemas/')),
    ...files.filter((f) => !f.startsWith('ddl/schemas/')),
  ];
  for (const path of ordered) {
    for (const statement of lib.file(path).statements) await runStatement(warehouse, statement);
  }
};
