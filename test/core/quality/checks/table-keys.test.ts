import { KEYED_TABLES, type TouchedRows } from '#core/quality/checks/table-keys.ts';
import type { Warehouse } from '#core/warehouse/ports.ts';
import { freshWarehouse } from '#test/support/warehouse-db.ts';

/**
 * DESIGN section 5: every table it gives a key for, the key spelled in the DDL's columns. The activation
 * views `curated.<fact>_activation_<grain>` (period, user) are slices of curated.activation_states, and
 * first/last is kept per fact, so both keys lead with the fact; quality results keep every run's result.
 */
const DESIGN_KEYS: Readonly<Record<string, readonly string[]>> = {
  'raw.events': ['file_name', 'file_row'],
  'raw.rejected_events': ['file_name', 'file_row'],
  'ops.load_history': ['file_name'],
  'curated.fct_feature_events': ['dedup_key'],
  'curated.dim_feature': ['feature_id'],
  'curated.feature_closure': ['feature_id', 'ancestor_id'],
  'curated.feature_usage_daily': ['event_date', 'workspace_id', 'feature_id', 'platform'],
  'curated.feature_usage_weekly': ['week_start', 'workspace_id', 'feature_id', 'platform'],
  'curated.feature_adoption_by_workspace': ['workspace_id', 'feature_id'],
  'curated.user_feature_last_seen': ['workspace_id', 'user_key', 'feature_id'],
  'curated.user_first_last': ['fact', 'user_key', 'snapshot_date'],
  'curated.activation_states': ['fact', 'grain', 'period_start', 'user_key'],
  'ops.model_runs': ['run_id', 'model_name'],
  'ops.watermarks': ['model_name'],
  'ops.quality_results': ['run_id', 'check_name', 'bucket'],
  'ops.erasure_requests': ['request_id'],
};

const touchedColumn = (touched: TouchedRows): string =>
  'after' in touched ? touched.after : 'keysAfter' in touched ? touched.keysAfter : touched.date;

/** ops.load_history is the local loader's own record (lambdas/adapters/local), not a pipeline DDL table. */
const NOT_IN_PIPELINE_DDL = ['ops.load_history'];

describe('the tables key-uniqueness checks', () => {
  let warehouse: Warehouse;
  let columns: Map<string, Set<string>>;
  beforeAll(async () => {
    warehouse = await freshWarehouse();
    const rows = await warehouse.query<{ t: string; c: string }>(
      `SELECT c.table_schema || '.' || c.table_name AS t, c.column_name AS c
       FROM information_schema.columns c
       JOIN information_schema.tables b
         ON b.table_schema = c.table_schema AND b.table_name = c.table_name AND b.table_type = 'BASE TABLE'`,
    );
    columns = new Map();
    for (const { t, c } of rows) columns.set(t, (columns.get(t) ?? new Set()).add(c));
  });
  afterAll(() => warehouse.close());

  it('cover every table the pipeline DDL creates that DESIGN section 5 gives a key for, with that key', () => {
    const designed = Object.keys(DESIGN_KEYS).filter((t) => !NOT_IN_PIPELINE_DDL.includes(t));
    expect(designed.filter((t) => !columns.has(t))).toEqual([]);
    const declared = new Map(KEYED_TABLES.map((k) => [k.table, k.key]));
    expect(designed.map((t) => [t, declared.get(t)])).toEqual(designed.map((t) => [t, DESIGN_KEYS[t]]));
  });

  it('name only tables and columns the pipeline DDL creates', () => {
    const missing = KEYED_TABLES.flatMap(({ table, key, touched }) =>
      [...key, ...(touched ? [touchedColumn(touched)] : [])]
        .filter((column) => !columns.get(table)?.has(column))
        .map((column) => `${table}.${column}`),
    );
    expect(missing).toEqual([]);
  });

  it('declare each table once', () => {
    const tables = KEYED_TABLES.map((k) => k.table);
    expect(tables.filter((t, i) => tables.indexOf(t) !== i)).toEqual([]);
  });
});
