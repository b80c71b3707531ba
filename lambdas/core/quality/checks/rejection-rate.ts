import type { BucketResult, CheckContext, MetricDatum, MetricSpec, QualityCheck } from '../check.ts';
import { datum } from '../check.ts';
import { loadedWindow, num, percent, queryCheck } from './check-sql.ts';
import { assertParams, nonNegative, percentage, positive } from './params.ts';

export interface RejectionRateParams {
  readonly lookbackMinutes: number;
  /** Highest share (percent) of a source's events one reject reason may take. */
  readonly maxPercentPerReason: number;
  /** Highest share (percent) of a source's events that may be rejected for any reason. */
  readonly maxPercentTotal: number;
  /** Fewer offending events than this never fail, whatever the rate (small sources are noisy). */
  readonly minCount: number;
}

export const REJECTION_RATE_DEFAULTS: RejectionRateParams = {
  lookbackMinutes: 60,
  maxPercentPerReason: 2,
  maxPercentTotal: 5,
  minCount: 10,
};

/** Reason dimension value of the all-reasons bucket. */
export const ALL_REASONS = 'ALL';

const METRIC: MetricSpec = { name: 'RejectionRate', unit: 'Percent', dimensions: ['SourceId', 'Reason'] };

/**
 * rejection-rate: per source, the share of events (validated + rejected) rejected for each reason, and
 * for all reasons together. A schema deploy that breaks a client, or a client sending a new event
 * without a schema, shows here. Offending keys: event ids (or file#row) of recent rejected events.
 */
export const rejectionRateCheck = (
  params: RejectionRateParams = REJECTION_RATE_DEFAULTS,
): QualityCheck<RejectionRateParams> => {
  assertParams('rejection-rate', [
    positive('lookbackMinutes', params.lookbackMinutes),
    percentage('maxPercentPerReason', params.maxPercentPerReason),
    percentage('maxPercentTotal', params.maxPercentTotal),
    nonNegative('minCount', params.minCount),
  ]);
  return {
    name: 'rejection-rate',
    description: 'Share of events rejected by the validator, per source and reason and in total.',
    severity: 'error',
    params,
    metric: METRIC,
    async run(context: CheckContext) {
      const window = loadedWindow(context.now, params.lookbackMinutes);
      const validated = await queryCheck(context, 'rejection_rate', 'validated_by_source', window);
      const rejected = await queryCheck(context, 'rejection_rate', 'rejected_by_source_and_reason', window);
      const samples = await queryCheck(context, 'rejection_rate', 'rejected_sample', window);
      const sources = [...new Set([...validated, ...rejected].map((r) => String(r.source_id)))].sort();
      const buckets: BucketResult[] = [];
      const metrics: MetricDatum[] = [];
      for (const source of sources) {
        const reasons = rejected
          .filter((r) => r.source_id === source)
          .map((r) => ({ reason: String(r.reason_code), events: num(r.events) }))
          .sort((a, b) => a.reason.localeCompare(b.reason));
        const rejectedEvents = reasons.reduce((sum, r) => sum + r.events, 0);
        const all = num(validated.find((v) => v.source_id === source)?.events) + rejectedEvents;
        const sampleOf = (reason?: string) =>
          samples
            .filter((s) => s.source_id === source && (reason === undefined || s.reason_code === reason))
            .slice(0, context.sampleSize)
            .map((s) => String(s.offending_key));
        for (const { reason, events } of reasons) {
          const rate = percent(events, all);
          buckets.push({
            bucket: `source=${source}|reason=${reason}`,
            status: rate > params.maxPercentPerReason && events >= params.minCount ? 'fail' : 'pass',
            observed: rate,
            expectedMin: 0,
            expectedMax: params.maxPercentPerReason,
            sample: sampleOf(reason),
            detail: `${events} of ${all} events rejected with ${reason}`,
          });
          metrics.push(datum(METRIC, [source, reason], rate));
        }
        const total = percent(rejectedEvents, all);
        buckets.push({
          bucket: `source=${source}|reason=${ALL_REASONS}`,
          status: total > params.maxPercentTotal && rejectedEvents >= params.minCount ? 'fail' : 'pass',
          observed: total,
          expectedMin: 0,
          expectedMax: params.maxPercentTotal,
          sample: sampleOf(),
          detail: `${rejectedEvents} of ${all} events rejected`,
        });
        metrics.push(datum(METRIC, [source, ALL_REASONS], total));
      }
      return { buckets, metrics };
    },
  };
};
