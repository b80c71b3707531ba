import { addDays, startOfDay, toSqlDate } from '#core/warehouse/time.ts';
import type { CheckContext, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { num, queryCheck } from './check-sql.ts';
import { assertParams, nonNegative, positive } from './params.ts';

export interface DedupWindowParams {
  /** Fact rows dated in the last this many days (the run's day included) are searched for a second copy. */
  readonly lookbackDays: number;
  /** Most keys held twice that still pass. */
  readonly maxKeys: number;
}

/** A week: more than twice the dedup window, so copies just outside it show. */
export const DEDUP_WINDOW_DEFAULTS: DedupWindowParams = { lookbackDays: 7, maxKeys: 0 };

const METRIC: MetricSpec = { name: 'DedupWindowCopies', unit: 'Count', dimensions: ['Table'] };
const TABLE = 'curated.fct_feature_events';

/**
 * dedup-window: keys the fact holds more than once among the lookback's events. The transform dedups
 * within an event-date window (TransformSettings.dedupWindowDays) so that it never reads the whole fact;
 * a copy further from the stored one than that becomes a second row, counted twice everywhere. This
 * check counts such keys (the ones whose copies both fall in the lookback). Offending keys: the keys, most
 * copies first.
 */
export const dedupWindowCheck = (
  params: DedupWindowParams = DEDUP_WINDOW_DEFAULTS,
): QualityCheck<DedupWindowParams> => {
  assertParams('dedup-window', [
    positive('lookbackDays', params.lookbackDays),
    nonNegative('maxKeys', params.maxKeys),
  ]);
  return {
    name: 'dedup-window',
    description:
      'Events the fact holds twice: a copy that arrived outside the dedup window of the stored one.',
    severity: 'warn',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const from = toSqlDate(addDays(startOfDay(context.now), 1 - params.lookbackDays));
      const rows = await queryCheck(context, 'dedup_window', 'copies', { dates_from: from });
      const keys = num(rows[0]?.offending);
      return {
        buckets: [
          {
            bucket: TABLE,
            status: keys > params.maxKeys ? 'fail' : 'pass',
            observed: keys,
            expectedMin: 0,
            expectedMax: params.maxKeys,
            sample: rows.slice(0, context.sampleSize).map((r) => String(r.offending_key)),
            detail: `${keys} event(s) stored twice among events dated from ${from}`,
          },
        ],
        metrics: [datum(METRIC, [TABLE], keys)],
      };
    },
  };
};
