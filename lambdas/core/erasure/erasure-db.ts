import type { Row, Warehouse } from '#core/warehouse/ports.ts';
import { queryStatement, runStatement, type SqlValues } from '#core/warehouse/sql-exec.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { fillTemplate } from '#core/warehouse/template.ts';

/** The warehouse and the rendered `sql/`: what every erasure statement runs through. */
export interface ErasureDb {
  readonly warehouse: Warehouse;
  readonly sql: SqlLibrary;
}

/** Runs statement `name` of `sql/erasure/<file>.sql` (or any `sql/` path when it contains a slash). */
export const exec = (db: ErasureDb, file: string, name: string, values: SqlValues = {}): Promise<number> =>
  runStatement(db.warehouse, db.sql.statement(path(file), name), values);

/** Runs query `name` of `sql/erasure/<file>.sql`. */
export const query = <T extends Row = Row>(
  db: ErasureDb,
  file: string,
  name: string,
  values: SqlValues = {},
): Promise<T[]> => queryStatement<T>(db.warehouse, db.sql.statement(path(file), name), values);

/** Marks an object of a request's work table taken up by a worker (template `start` of sql/erasure/work_items.sql). */
export const startWorkItem = (
  db: ErasureDb,
  table: { readonly work_table: string; readonly pass_column?: string },
  values: SqlValues,
): Promise<number> =>
  runStatement(db.warehouse, fillTemplate(db.sql.template(path('work_items'), 'start'), table), values);

/** The same statements inside a transaction. */
export const within = (db: ErasureDb, tx: Warehouse): ErasureDb => ({ warehouse: tx, sql: db.sql });

const path = (file: string): string => (file.includes('/') ? file : `erasure/${file}`);

/** A JSON array of `{"id": ...}` objects: how id lists are bound (json_rows of sql/). */
export const idList = (ids: Iterable<string>): string => JSON.stringify([...ids].map((id) => ({ id })));
