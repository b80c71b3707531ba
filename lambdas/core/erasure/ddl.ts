import type { Warehouse } from '#core/warehouse/ports.ts';
import { runStatement } from '#core/warehouse/sql-exec.ts';
import { defaultSqlLibrary, type SqlLibrary } from '#core/warehouse/sql-library.ts';

/**
 * Creates the erasure's tables (sql/erasure/ddl/: ops.erasure_requests, ops.erasure_steps, ops.erasure_objects,
 * ops.erased_users, ops.erasure_suppressions, ops.erasure_sweeps) and the erasure lock row, idempotently.
 * Needs the warehouse DDL (schema ops, ops.locks) first. Runs outside any transaction.
 */
export const applyErasureDdl = async (warehouse: Warehouse, library?: SqlLibrary): Promise<void> => {
  const lib = library ?? defaultSqlLibrary(warehouse.dialect);
  for (const path of lib.files('erasure/ddl/')) {
    for (const statement of lib.file(path).statements) await runStatement(warehouse, statement);
  }
};
