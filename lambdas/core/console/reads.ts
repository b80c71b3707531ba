import { WarehouseQueryError } from '#core/warehouse/errors.ts';
import type { Row } from '#core/warehouse/ports.ts';
import { bindParams, type SqlValues } from '#core/warehouse/sql-exec.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { fillTemplate, type RenderedStatement } from '#core/warehouse/template.ts';
import type { QueryFn, ReportReads } from './report.ts';

/** A report's reads over one query function: `sql/` statements by name, values bound by name, failures naming the statement. */
export const reportReads = (sql: SqlLibrary, query: QueryFn): ReportReads => {
  const run = async (statement: RenderedStatement, values: SqlValues): Promise<Row[]> => {
    const params = bindParams(statement, values);
    try {
      return await query(statement.sql, params);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new WarehouseQueryError(`${statement.file}#${statement.name}: ${message}`, statement.sql, {
        cause: error,
      });
    }
  };
  return {
    statement: (file, name, values = {}) => run(sql.statement(file, name), values),
    template: (file, name, slots, values = {}) => run(fillTemplate(sql.template(file, name), slots), values),
  };
};
