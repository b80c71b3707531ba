import type { BucketResult, CheckContext, MetricDatum, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { factDays, loadedWindow, num, queryCheck } from './check-sql.ts';
import { assertParams, nonNegative, positive } from './params.ts';

export interface NullKeysParams {
  /** Rows loaded in the last this many minutes are checked. */
  readonly lookbackMinutes: number;
  /** The event that must name a feature and a workspace. */
  readonly featureEvent: string;
  /** Most rows with a missing key a bucket may have and still pass. */
  readonly maxRows: number;
}

export const NULL_KEYS_DEFAULTS: NullKeysParams = {
  lookbackMinutes: 60,
  featureEvent: 'feature_used',
  maxRows: 0,
};

/** The keys checked: the ones the contract requires but the table cannot declare NOT NULL. */
const TARGETS = [
  { table: 'raw.events', column: 'user_key', statement: 'raw_events_user_key' },
  { table: 'raw.events', column: 'feature_id', statement: 'raw_events_feature_id' },
  { table: 'raw.events', column: 'workspace_id', statement: 'raw_events_workspace_id' },
  { table: 'curated.fct_feature_events', column: 'user_key', statement: 'fct_user_key' },
] as const;

const METRIC: MetricSpec = { name: 'NullKeyRows', unit: 'Count', dimensions: ['Table', 'Column'] };

/** null-keys: rows without a user (user_id and anonymous_id both missing), feature events without a feature or workspace. */
export const nullKeysCheck = (params: NullKeysParams = NULL_KEYS_DEFAULTS): QualityCheck<NullKeysParams> => {
  assertParams('null-keys', [
    positive('lookbackMinutes', params.lookbackMinutes),
    nonNegative('maxRows', params.maxRows),
    [params.featureEvent.length > 0, 'featureEvent must name an event'],
  ]);
  return {
    name: 'null-keys',
    description:
      'Rows whose identifying keys are missing: no user, or a feature event without feature or workspace.',
    severity: 'error',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const window = loadedWindow(context.now, params.lookbackMinutes);
      const values = {
        ...window,
        ...(await factDays(context, window)),
        feature_event: params.featureEvent,
      };
      const buckets: BucketResult[] = [];
      const metrics: MetricDatum[] = [];
      for (const target of TARGETS) {
        const rows = await queryCheck(context, 'null_keys', target.statement, values);
        const offending = num(rows[0]?.offending);
        buckets.push({
          bucket: `${target.table}.${target.column}`,
          status: offending > params.maxRows ? 'fail' : 'pass',
          observed: offending,
          expectedMin: 0,
          expectedMax: params.maxRows,
          sample: rows.slice(0, context.sampleSize).map((r) => String(r.offending_key)),
          detail: `${offending} row(s) loaded in the last ${params.lookbackMinutes} min without ${target.column}`,
        });
        metrics.push(datum(METRIC, [target.table, target.column], offending));
      }
      return { buckets, metrics };
    },
  };
};
