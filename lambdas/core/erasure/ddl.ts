import type { Warehouse } from '#core/warehouse/ports.ts';
import { runStatement } from '#core/warehouse/sql-exec.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';

/**
 * Creates the erasure's own tables (sql/erasure/ddl/: ops.erasure_requests, ops.erasure_steps,
 * ops.erasure_objects, ops.erasure_sweeps) and the erasure lock row, idempotently. Needs the warehouse DDL
 * first: schema ops, ops.locks, and the suppression tables the transform reads at every run too
 * (sql/ddl/ops/: ops.erased_users, ops.erasure_suppressions, ops.erasure_staged_rows). Runs outside any
 * transaction.
 */
export const applyErasureDdl = async (warehouse: Warehouse, library: SqlLibrary): Promise<void> => {
  for (const path of library.files('erasure/ddl/')) {
    for (const statement of library.file(path).statements) await runStatement(warehouse, statement);
  }
};
