import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDbWarehouse } from '#adapters/duckdb/duckdb-warehouse.ts';
import { applyPipelineDdl } from '#core/pipeline/pipeline-ddl.ts';
import type { Row, Warehouse } from '#core/warehouse/ports.ts';
import { duckdbSql } from '#test/support/sql-library.ts';

/** An in-memory DuckDB warehouse with every table of the pipeline created (warehouse, activation, quality, erasure). */
export const freshWarehouse = async (): Promise<Warehouse> => {
  const warehouse = await createDuckDbWarehouse({ threads: 1 });
  await applyPipelineDdl(warehouse, { library: duckdbSql });
  return warehouse;
};

/**
 * Prepares a warehouse once (every pipeline table, then `prepare`) in a database file, and returns a maker
 * of in-memory warehouses that each start as a copy of it (DuckDB's COPY FROM DATABASE: every table, view
 * and row): for specs whose tests each change the same loaded and transformed state, where preparing it
 * takes far longer than a copy.
 */
export const preparedWarehouses = async (
  prepare: (warehouse: Warehouse) => Promise<void>,
): Promise<() => Promise<Warehouse>> => {
  const image = join(await mkdtemp(join(tmpdir(), 'tally-warehouse-image-')), 'warehouse.duckdb');
  const prepared = await createDuckDbWarehouse({ path: image, threads: 1 });
  try {
    await applyPipelineDdl(prepared, { library: duckdbSql });
    await prepare(prepared);
  } finally {
    await prepared.close();
  }
  return async () => {
    const warehouse = await createDuckDbWarehouse({ threads: 1 });
    await warehouse.execute(`ATTACH '${image.replaceAll("'", "''")}' AS image (READ_ONLY)`);
    await warehouse.execute('COPY FROM DATABASE image TO memory');
    await warehouse.execute('DETACH image');
    return warehouse;
  };
};

/** The curated tables: what a rebuild must reproduce. */
export const CURATED_TABLES = [
  'curated.dim_feature',
  'curated.feature_closure',
  'curated.fct_feature_events',
  'curated.feature_usage_daily',
  'curated.feature_usage_weekly',
  'curated.user_feature_last_seen',
  'curated.workspace_user_last_seen',
  'curated.feature_adoption_by_workspace',
  'curated.user_first_last',
  'curated.activation_states',
  'curated.activation_summary',
  'curated.user_first_last_current',
  'curated.user_index',
] as const;

/** Every table whose contents a rerun must leave as they are (ops.model_runs is a log and grows). */
export const STATE_TABLES = [
  ...CURATED_TABLES,
  'raw.events',
  'raw.rejected_events',
  'ops.watermarks',
] as const;

/** A table's rows as sorted JSON lines: equal snapshots mean equal contents, whatever the physical order. */
export const tableContents = async (
  warehouse: Warehouse,
  table: string,
  drop: readonly string[] = [],
): Promise<string[]> => {
  const rows = await warehouse.query(`SELECT * FROM ${table}`);
  return rows.map((row) => JSON.stringify(omit(row, drop))).sort();
};

/** Contents of several tables, keyed by name. */
export const snapshot = async (
  warehouse: Warehouse,
  tables: readonly string[],
  drop: readonly string[] = [],
): Promise<Record<string, string[]>> => {
  const out: Record<string, string[]> = {};
  for (const table of tables) out[table] = await tableContents(warehouse, table, drop);
  return out;
};

const omit = (row: Row, drop: readonly string[]): Row =>
  Object.fromEntries(Object.entries(row).filter(([key]) => !drop.includes(key)));

/** Rows of a query, for assertions. */
export const rows = <T extends Row = Row>(warehouse: Warehouse, sql: string): Promise<T[]> =>
  warehouse.query<T>(sql);

/** Rows that differ between two snapshots of a table, as parsed objects: what was there before, what is there now. */
export const changedRows = (
  before: readonly string[],
  after: readonly string[],
): { before: Row[]; after: Row[] } => {
  const was = new Set(before);
  const now = new Set(after);
  return {
    before: before.filter((r) => !now.has(r)).map((r) => JSON.parse(r)),
    after: after.filter((r) => !was.has(r)).map((r) => JSON.parse(r)),
  };
};
