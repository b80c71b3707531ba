import type { BucketResult, CheckContext, MetricDatum, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { loadedWindow, num, percent, queryCheck } from './check-sql.ts';
import { assertParams, nonNegative, percentage, positive } from './params.ts';

export interface UnknownFeaturesParams {
  readonly lookbackMinutes: number;
  /** Highest share (percent) of a source's feature events that may name an unknown feature. */
  readonly maxPercent: number;
  /** Fewer offending events than this never fail, whatever the rate (small sources are noisy). */
  readonly minCount: number;
}

export const UNKNOWN_FEATURES_DEFAULTS: UnknownFeaturesParams = {
  lookbackMinutes: 60,
  maxPercent: 1,
  minCount: 10,
};

const METRIC: MetricSpec = { name: 'UnknownFeatureRate', unit: 'Percent', dimensions: ['SourceId'] };

/**
 * unknown-features: per source, the share of events with a feature id that the catalog does not know
 * (kept and flagged by the validator). Offending keys: the unknown ids, most frequent first.
 */
export const unknownFeaturesCheck = (
  params: UnknownFeaturesParams = UNKNOWN_FEATURES_DEFAULTS,
): QualityCheck<UnknownFeaturesParams> => {
  assertParams('unknown-features', [
    positive('lookbackMinutes', params.lookbackMinutes),
    percentage('maxPercent', params.maxPercent),
    nonNegative('minCount', params.minCount),
  ]);
  return {
    name: 'unknown-features',
    description: 'Share of feature events naming a feature id the catalog does not know, per source.',
    severity: 'warn',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const values = loadedWindow(context.now, params.lookbackMinutes);
      const totals = await queryCheck(context, 'unknown_features', 'feature_events_by_source', values);
      const unknown = await queryCheck(context, 'unknown_features', 'unknown_by_source_and_feature', values);
      const buckets: BucketResult[] = [];
      const metrics: MetricDatum[] = [];
      for (const total of [...totals].sort((a, b) =>
        String(a.source_id).localeCompare(String(b.source_id)),
      )) {
        const source = String(total.source_id);
        const ids = unknown
          .filter((u) => u.source_id === total.source_id)
          .map((u) => ({ id: String(u.feature_id), events: num(u.events) }))
          .sort((a, b) => b.events - a.events || a.id.localeCompare(b.id));
        const unknownEvents = ids.reduce((sum, u) => sum + u.events, 0);
        const rate = percent(unknownEvents, num(total.events));
        buckets.push({
          bucket: `source=${source}`,
          status: rate > params.maxPercent && unknownEvents >= params.minCount ? 'fail' : 'pass',
          observed: rate,
          expectedMin: 0,
          expectedMax: params.maxPercent,
          sample: ids.slice(0, context.sampleSize).map((u) => u.id),
          detail: `${unknownEvents} of ${num(total.events)} feature events name ${ids.length} unknown feature id(s)`,
        });
        metrics.push(datum(METRIC, [source], rate));
      }
      return { buckets, metrics };
    },
  };
};
