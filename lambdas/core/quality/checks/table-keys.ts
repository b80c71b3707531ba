/**
 * The rows of a table a run can have touched: what the key check reads of a large table.
 * - `after`: rows whose timestamp column is after the lookback's start;
 * - `keysAfter`: every row of a key that has a row whose timestamp column is after the lookback's start;
 * - `date` + `from`: rows whose date column is on or after the lookback's first day, that day's ISO week
 *   Monday, or the first of its month (a period starting before the day is still being written).
 */
export type TouchedRows =
  | { readonly after: string }
  | { readonly keysAfter: string }
  | { readonly date: string; readonly from: 'day' | 'week' | 'month' };

/** A table with a key (DESIGN section 5), as the key-uniqueness check reads it. */
export interface TableKey {
  /** `schema.table`. */
  readonly table: string;
  /** The key's columns, in the order an offending key shows them. */
  readonly key: readonly string[];
  /** Joins the key's columns in an offending key. @default '|' */
  readonly separator?: string;
  /** @default every row */
  readonly touched?: TouchedRows;
}

/**
 * Every keyed table the key-uniqueness check judges, one bucket each, in this order. Adding a table is
 * adding a line; sql/quality/key_uniqueness.sql serves them all.
 */
export const KEYED_TABLES: readonly TableKey[] = [
  { table: 'raw.events', key: ['file_name', 'file_row'], separator: '#', touched: { after: 'loaded_at' } },
  {
    table: 'raw.rejected_events',
    key: ['file_name', 'file_row'],
    separator: '#',
    touched: { after: 'loaded_at' },
  },
  // the lookback's days only (the fact is clustered by event date); a copy the transform could not see
  // (outside its dedup window) shows here when both copies fall in the lookback, and in dedup-window
  { table: 'curated.fct_feature_events', key: ['dedup_key'], touched: { date: 'event_date', from: 'day' } },
  {
    table: 'curated.user_index',
    key: ['user_key_hash', 'user_id_hash', 'anonymous_id_hash', 'workspace_key', 'month_start'],
    touched: { date: 'month_start', from: 'month' },
  },
  { table: 'curated.dim_feature', key: ['feature_id'] },
  { table: 'curated.feature_closure', key: ['feature_id', 'ancestor_id'] },
  {
    table: 'curated.feature_usage_daily',
    key: ['event_date', 'workspace_id', 'feature_id', 'platform'],
    touched: { date: 'event_date', from: 'day' },
  },
  {
    table: 'curated.feature_usage_weekly',
    key: ['week_start', 'workspace_id', 'feature_id', 'platform'],
    touched: { date: 'week_start', from: 'week' },
  },
  { table: 'curated.feature_adoption_by_workspace', key: ['workspace_id', 'feature_id'] },
  {
    table: 'curated.user_feature_last_seen',
    key: ['workspace_id', 'user_key', 'feature_id'],
    touched: { date: 'last_seen', from: 'day' },
  },
  {
    table: 'curated.workspace_user_last_seen',
    key: ['workspace_id', 'user_key'],
    touched: { date: 'last_seen', from: 'day' },
  },
  {
    table: 'curated.user_first_last',
    key: ['fact', 'user_key', 'snapshot_date'],
    touched: { date: 'snapshot_date', from: 'day' },
  },
  {
    table: 'curated.activation_states',
    key: ['fact', 'grain', 'period_start', 'user_key'],
    touched: { date: 'period_start', from: 'month' },
  },
  { table: 'curated.activation_summary', key: ['fact', 'grain', 'period_start'] },
  { table: 'curated.user_first_last_current', key: ['fact', 'user_key'] },
  { table: 'ops.model_runs', key: ['run_id', 'model_name'], touched: { after: 'started_at' } },
  { table: 'ops.watermarks', key: ['model_name'] },
  { table: 'ops.quality_results', key: ['run_id', 'check_name', 'bucket'], touched: { after: 'checked_at' } },
  { table: 'ops.erasure_requests', key: ['request_id'] },
];
