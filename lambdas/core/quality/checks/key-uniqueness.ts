import { addDays, isoWeekStart, startOfDay, toSqlDate } from '#core/warehouse/time.ts';
import type { BucketResult, CheckContext, MetricDatum, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { loadedWindow, num, queryCheck } from './check-sql.ts';
import { assertParams, positive } from './params.ts';

export interface KeyUniquenessParams {
  /** Keys of rows loaded in the last this many hours are checked in raw and the fact. */
  readonly lookbackHours: number;
  /**
   * Aggregates keyed by date are checked from this many days back (weekly: from that week's Monday;
   * activation periods: from the first of that month).
   */
  readonly lookbackDays: number;
}

export const KEY_UNIQUENESS_DEFAULTS: KeyUniquenessParams = { lookbackHours: 24, lookbackDays: 3 };

/** Every table with a key (DESIGN section 5), its key, and the statement of sql/quality/key_uniqueness.sql. */
export const KEYED_TABLES = [
  { table: 'raw.events', key: 'file_name, file_row', statement: 'raw_events' },
  { table: 'raw.rejected_events', key: 'file_name, file_row', statement: 'raw_rejected_events' },
  { table: 'curated.fct_feature_events', key: 'dedup_key', statement: 'fct_feature_events' },
  { table: 'curated.dim_feature', key: 'feature_id', statement: 'dim_feature' },
  { table: 'curated.feature_closure', key: 'feature_id, ancestor_id', statement: 'feature_closure' },
  {
    table: 'curated.feature_usage_daily',
    key: 'event_date, workspace_id, feature_id, platform',
    statement: 'feature_usage_daily',
  },
  {
    table: 'curated.feature_usage_weekly',
    key: 'week_start, workspace_id, feature_id, platform',
    statement: 'feature_usage_weekly',
  },
  {
    table: 'curated.feature_adoption_by_workspace',
    key: 'workspace_id, feature_id',
    statement: 'feature_adoption_by_workspace',
  },
  {
    table: 'curated.user_feature_last_seen',
    key: 'workspace_id, user_key, feature_id',
    statement: 'user_feature_last_seen',
  },
  {
    table: 'curated.workspace_user_last_seen',
    key: 'workspace_id, user_key',
    statement: 'workspace_user_last_seen',
  },
  {
    table: 'curated.user_first_last',
    key: 'fact, user_key, snapshot_date',
    statement: 'user_first_last',
  },
  {
    table: 'curated.activation_states',
    key: 'fact, grain, period_start, user_key',
    statement: 'activation_states',
  },
  { table: 'curated.activation_summary', key: 'fact, grain, period_start', statement: 'activation_summary' },
  { table: 'ops.watermarks', key: 'model_name', statement: 'watermarks' },
] as const;

const METRIC: MetricSpec = { name: 'DuplicateKeys', unit: 'Count', dimensions: ['Table'] };

/**
 * key-uniqueness: no table holds two rows with the same key. A duplicate means a MERGE or a load ran
 * twice where it must not, and every count built on the table is inflated. Offending keys: the
 * duplicated keys, most copies first (key columns joined with `|`, raw keys as file#row).
 */
export const keyUniquenessCheck = (
  params: KeyUniquenessParams = KEY_UNIQUENESS_DEFAULTS,
): QualityCheck<KeyUniquenessParams> => {
  assertParams('key-uniqueness', [
    positive('lookbackHours', params.lookbackHours),
    positive('lookbackDays', params.lookbackDays),
  ]);
  return {
    name: 'key-uniqueness',
    description: 'Duplicated keys in every table with a key (raw, curated and ops).',
    severity: 'error',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const dateFrom = startOfDay(addDays(context.now, -params.lookbackDays));
      const values = {
        loaded_after: loadedWindow(context.now, params.lookbackHours * 60).loaded_after,
        date_from: toSqlDate(dateFrom),
        week_from: toSqlDate(isoWeekStart(dateFrom)),
        month_from: toSqlDate(new Date(Date.UTC(dateFrom.getUTCFullYear(), dateFrom.getUTCMonth(), 1))),
      };
      const buckets: BucketResult[] = [];
      const metrics: MetricDatum[] = [];
      for (const { table, key, statement } of KEYED_TABLES) {
        const rows = await queryCheck(context, 'key_uniqueness', statement, values);
        const duplicated = num(rows[0]?.offending);
        buckets.push({
          bucket: table,
          status: duplicated > 0 ? 'fail' : 'pass',
          observed: duplicated,
          expectedMin: 0,
          expectedMax: 0,
          sample: rows.slice(0, context.sampleSize).map((r) => String(r.offending_key)),
          detail: `${duplicated} duplicated key(s) (${key})`,
        });
        metrics.push(datum(METRIC, [table], duplicated));
      }
      return { buckets, metrics };
    },
  };
};
