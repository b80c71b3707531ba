import type { BucketResult, CheckContext, MetricDatum, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { loadedWindow, num, percent, queryCheck } from './check-sql.ts';
import { assertParams, nonNegative, percentage, positive } from './params.ts';

export interface DuplicateRateParams {
  readonly lookbackMinutes: number;
  /** Highest share (percent) of a source's loaded rows that may be extra copies of an event. */
  readonly maxPercent: number;
  /** Fewer offending events than this never fail, whatever the rate (small sources are noisy). */
  readonly minCount: number;
}

export const DUPLICATE_RATE_DEFAULTS: DuplicateRateParams = {
  lookbackMinutes: 60,
  maxPercent: 5,
  minCount: 10,
};

const METRIC: MetricSpec = { name: 'DuplicateRate', unit: 'Percent', dimensions: ['SourceId'] };

/**
 * duplicate-rate: per source, the share of raw rows that are extra copies of an event already in the
 * window (client retries, a file loaded twice). The models count each event once; a high rate means
 * clients retry too eagerly or a loader replays files. Offending keys: the most copied dedup keys.
 */
export const duplicateRateCheck = (
  params: DuplicateRateParams = DUPLICATE_RATE_DEFAULTS,
): QualityCheck<DuplicateRateParams> => {
  assertParams('duplicate-rate', [
    positive('lookbackMinutes', params.lookbackMinutes),
    percentage('maxPercent', params.maxPercent),
    nonNegative('minCount', params.minCount),
  ]);
  return {
    name: 'duplicate-rate',
    description: 'Share of loaded rows that repeat an event (same dedup_key) of the same window, per source.',
    severity: 'warn',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const window = loadedWindow(context.now, params.lookbackMinutes);
      const totals = await queryCheck(context, 'duplicate_rate', 'rows_by_source', window);
      const copied = await queryCheck(context, 'duplicate_rate', 'most_copied', window);
      const buckets: BucketResult[] = [];
      const metrics: MetricDatum[] = [];
      for (const total of [...totals].sort((a, b) =>
        String(a.source_id).localeCompare(String(b.source_id)),
      )) {
        const source = String(total.source_id);
        const rows = num(total.loaded_rows);
        const extra = rows - num(total.distinct_keys);
        const rate = percent(extra, rows);
        buckets.push({
          bucket: `source=${source}`,
          status: rate > params.maxPercent && extra >= params.minCount ? 'fail' : 'pass',
          observed: rate,
          expectedMin: 0,
          expectedMax: params.maxPercent,
          sample: copied
            .filter((c) => c.source_id === total.source_id)
            .slice(0, context.sampleSize)
            .map((c) => String(c.dedup_key)),
          detail: `${extra} of ${rows} loaded rows repeat an event`,
        });
        metrics.push(datum(METRIC, [source], rate));
      }
      return { buckets, metrics };
    },
  };
};
