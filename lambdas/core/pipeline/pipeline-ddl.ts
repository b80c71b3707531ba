import { activationDdl } from '#core/activation/ddl.ts';
import type { FactDeclaration } from '#core/activation/fact.ts';
import { FACTS } from '#core/activation/facts.ts';
import { warehouseDdl } from '#core/warehouse/ddl.ts';
import { SqlTemplateError, WarehouseQueryError } from '#core/warehouse/errors.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import type { RenderedStatement } from '#core/warehouse/template.ts';

/** One DDL statement and where it comes from (`file#statement`, or the activation view it creates). */
interface DdlStatement {
  readonly source: string;
  readonly sql: string;
}

/** DDL runs as plain text (a setup script, `execute` without values): a statement with a parameter is a bug. */
const fromFile = (statement: RenderedStatement): DdlStatement => {
  if (statement.params.length > 0) {
    throw new SqlTemplateError(
      `DDL statement ${statement.name} has parameters (${statement.params.join(', ')}); DDL must be plain SQL`,
      statement.file,
    );
  }
  return { source: `${statement.file}#${statement.name}`, sql: statement.sql };
};

const statements = (library: SqlLibrary, facts: readonly FactDeclaration[]): DdlStatement[] => [
  ...warehouseDdl(library).map(fromFile),
  ...activationDdl(library, facts).map((sql) => ({ source: 'activation', sql })),
];

/**
 * Every DDL statement of the pipeline for one dialect, in the order they must run: every schema, table,
 * view and seed of `sql/ddl/<schema>/` (the transform's, the activation's, the quality checks' and the
 * erasure's alike: schemas, then tables, then the rest), then the views of every declared activation fact.
 * Each is idempotent (IF NOT EXISTS, OR REPLACE, guarded seeds): the tables of the Snowflake setup script, and
 * what every local start applies.
 */
export const pipelineDdl = (library: SqlLibrary, facts: readonly FactDeclaration[] = FACTS): string[] =>
  statements(library, facts).map((s) => s.sql);

export interface PipelineDdlOptions {
  /** The `sql/` library rendered for the warehouse's dialect. */
  readonly library: SqlLibrary;
  /** Activation facts whose views are created. @default FACTS */
  readonly facts?: readonly FactDeclaration[];
}

/**
 * Creates every schema, table and view the pipeline uses ({@link pipelineDdl}); safe to run on every
 * start. Runs outside any transaction, as all DDL (Snowflake commits each statement). A failing statement
 * is named in the error.
 */
export const applyPipelineDdl = async (warehouse: Warehouse, options: PipelineDdlOptions): Promise<void> => {
  const { library } = options;
  for (const { source, sql } of statements(library, options.facts ?? FACTS)) {
    try {
      await warehouse.execute(sql);
    } catch (error) {
      throw new WarehouseQueryError(
        `${source}: ${error instanceof Error ? error.message : String(error)}`,
        sql,
        { cause: error },
      );
    }
  }
};
